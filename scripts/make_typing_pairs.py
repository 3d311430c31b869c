#!/usr/bin/env python3
"""Simulate pinyin-IME typing errors on clean sentences: (gold, typed) pairs
for `zhclean eval` of `--profile typing`.

A typist enters the right syllables and picks a wrong candidate, or mistypes
a syllable as a near one. Per sentence, with a seeded random generator:

- 30% of sentences are left clean; the others get 1 + Poisson(lam) errors
  with lam = len / (30 * 0.7) - 1 (at least 0): about one error per 30
  chars, and as a word error changes two or more chars, about one char
  error per 25 chars (CER about 4%). Errors never overlap.
- Each error is one of (weights in brackets):
  - **same pinyin, wrong candidate** [0.5]: a Han char replaced by another
    char with the same toneless syllable (its most common reading), drawn
    with probability proportional to the char's frequency (the IME lists
    frequent chars first);
  - **whole-word homophone** [0.3]: a lexicon word (dictionaries/words.tsv,
    2-4 chars) in the sentence replaced by another lexicon word with the same
    toneless pinyin sequence (each char's most common reading), drawn in
    proportion to word frequency;
  - **near syllable** [0.2]: a Han char replaced by a char of a syllable one
    IME confusion away (initials z/zh, c/ch, s/sh, n/l, f/h, r/l; finals
    an/ang, en/eng, in/ing, and so ian/iang, uan/uang: the fuzzy-pinyin pairs
    of src/correct/pinyin.rs), the syllable drawn uniformly, the char by
    frequency.
  When the drawn kind has no candidate in the sentence, another kind is
  tried. Only chars of the 8,105-char general standard table with a nonzero
  frequency are ever written.

Readings and frequencies come from dictionaries/chars.tsv (pinyin-data, MIT;
counts from the word list), words from dictionaries/words.tsv (jieba, MIT).

Input: pair files with a header naming `id` and `gold` (e.g. the dev-ocr
pairs); the split rule of `zhclean eval` picks rows: `--split train` keeps
rows whose id suffix is not divisible by 4, `--split heldout` those whose
suffix is. Output: `id font px blur noise gold ocr engine` rows with
engine = `typing`, font/px/blur/noise `-`, id = `typing-` + the source id (the
suffix, hence the split, is kept).

Usage:
  scripts/make_typing_pairs.py --split train --seed 14 \\
      /work/shared/dev-ocr/*.tsv > eval/typing/tune.tsv
  scripts/make_typing_pairs.py --split heldout --seed 15 \\
      /work/shared/dev-ocr/*.tsv > eval/typing/heldout.tsv
The CER of the output is printed on stderr.
"""
import argparse
import bisect
import csv
import math
import random
import re
import sys
import unicodedata
from collections import defaultdict

csv.field_size_limit(10**8)

CLEAN_SHARE = 0.3
CHARS_PER_ERROR = 30
KINDS = [("char", 0.5), ("word", 0.3), ("near", 0.2)]
INITIAL_PAIRS = [("z", "zh"), ("c", "ch"), ("s", "sh"), ("n", "l"), ("f", "h"), ("r", "l")]
FINAL_PAIRS = [("an", "ang"), ("en", "eng"), ("in", "ing")]
INITIALS = ["zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j",
            "q", "x", "r", "z", "c", "s", "y", "w"]


def toneless(reading):
    """Tone marks stripped, ü as v (as typed)."""
    out = []
    for c in unicodedata.normalize("NFD", reading):
        if unicodedata.combining(c) and c != "\u0308":
            continue
        out.append(c)
    s = unicodedata.normalize("NFC", "".join(out))
    return s.replace("ü", "v")


def split_syllable(s):
    for i in INITIALS:
        if s.startswith(i) and len(s) > len(i):
            return i, s[len(i):]
    return "", s


def near_syllables(s, known):
    ini, fin = split_syllable(s)
    cands = []
    for a, b in INITIAL_PAIRS:
        for x, y in ((a, b), (b, a)):
            if ini == x:
                cands.append(y + fin)
    for a, b in FINAL_PAIRS:
        for x, y in ((a, b), (b, a)):
            if fin.endswith(x):
                cands.append(ini + fin[: len(fin) - len(x)] + y)
    out = []
    for c in cands:
        if c != s and c in known and c not in out:
            out.append(c)
    return out


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


class Weighted:
    """Items drawn in proportion to their weights."""

    def __init__(self, items):
        self.items = [i for i, w in items if w > 0]
        acc, self.cum = 0, []
        for _, w in items:
            if w > 0:
                acc += w
                self.cum.append(acc)

    def draw(self, rng, exclude=()):
        for _ in range(20):
            if not self.cum:
                return None
            x = rng.random() * self.cum[-1]
            item = self.items[bisect.bisect_right(self.cum, x)]
            if item not in exclude:
                return item
        rest = [i for i in self.items if i not in exclude]
        return rest[0] if rest else None


def load(dict_dir):
    primary, freq = {}, {}
    by_syl = defaultdict(list)
    with open(f"{dict_dir}/chars.tsv") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            ch, count, pinyin = line.rstrip("\n").split("\t")[:3]
            if not pinyin or pinyin == "-":
                continue
            readings = [toneless(r) for r in pinyin.split(",") if r]
            primary[ch] = readings[0]
            freq[ch] = int(count)
            if int(count) > 0:
                by_syl[readings[0]].append((ch, int(count)))
    syl_pick = {s: Weighted(v) for s, v in by_syl.items()}
    words = defaultdict(list)
    word_key = {}
    with open(f"{dict_dir}/words.tsv") as fh:
        for line in fh:
            if line.startswith("#"):
                continue
            w, f = line.rstrip("\n").split("\t")[:2]
            if not 2 <= len(w) <= 4 or not all(c in primary and freq.get(c, 0) > 0 for c in w):
                continue
            key = " ".join(primary[c] for c in w)
            words[key].append((w, int(f)))
            word_key[w] = key
    word_pick = {k: Weighted(v) for k, v in words.items() if len(v) > 1}
    word_key = {w: k for w, k in word_key.items() if k in word_pick}
    return primary, syl_pick, word_pick, word_key


def corrupt(sentence, rng, tables):
    primary, syl_pick, word_pick, word_key = tables
    chars = list(sentence)
    n = len(chars)
    if rng.random() < CLEAN_SHARE:
        return sentence, []
    lam = max(n / (CHARS_PER_ERROR * (1 - CLEAN_SHARE)) - 1, 0)
    # Poisson by inversion
    k, p, u = 0, math.exp(-lam), rng.random()
    s = p
    while u > s:
        k += 1
        p *= lam / k
        s += p
    want = 1 + k
    used = set()
    done = []
    tries = 0
    while len(done) < want and tries < 50:
        tries += 1
        kind = rng.choices([k for k, _ in KINDS], [w for _, w in KINDS])[0]
        han = [i for i in range(n) if i not in used and chars[i] in primary and is_han(chars[i])]
        if kind == "word":
            spots = []
            for L in (4, 3, 2):
                for i in range(n - L + 1):
                    if any(j in used for j in range(i, i + L)):
                        continue
                    w = "".join(chars[i:i + L])
                    if w in word_key:
                        spots.append((i, w))
            if not spots:
                continue
            i, w = rng.choice(spots)
            new = word_pick[word_key[w]].draw(rng, exclude=(w,))
            if new is None:
                continue
            chars[i:i + len(w)] = list(new)
            used.update(range(i, i + len(w)))
            done.append(("word", w, new))
        else:
            if not han:
                continue
            i = rng.choice(han)
            c = chars[i]
            syl = primary[c]
            if kind == "near":
                near = near_syllables(syl, syl_pick)
                if not near:
                    continue
                pick = syl_pick[rng.choice(near)]
            else:
                pick = syl_pick.get(syl)
                if pick is None:
                    continue
            new = pick.draw(rng, exclude=(c,))
            if new is None or new == c:
                continue
            chars[i] = new
            used.add(i)
            done.append((kind, c, new))
    return "".join(chars), done


def heldout(i):
    m = re.search(r"(\d+)$", i)
    return m is None or int(m.group(1)) % 4 == 0


def lev(a, b):
    prev = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        cur = [i]
        for j, y in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x != y)))
        prev = cur
    return prev[-1]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pairs", nargs="+")
    ap.add_argument("--split", choices=["train", "heldout", "all"], required=True)
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--dict-dir", default="dictionaries")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    tables = load(a.dict_dir)
    out = csv.writer(sys.stdout, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n")
    out.writerow(["id", "font", "px", "blur", "noise", "gold", "ocr", "engine"])
    chars = errs = rows = clean = 0
    kinds = defaultdict(int)
    for f in a.pairs:
        with open(f) as fh:
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                h = heldout(r["id"])
                if (a.split == "train" and h) or (a.split == "heldout" and not h):
                    continue
                gold = r["gold"]
                typed, done = corrupt(gold, rng, tables)
                out.writerow([f"typing-{r['id']}", "-", "-", "-", "-", gold, typed, "typing"])
                rows += 1
                chars += len(gold)
                errs += lev(gold, typed)
                clean += typed == gold
                for k, _, _ in done:
                    kinds[k] += 1
    print(
        f"{rows} pairs, {chars} gold chars, {errs} char errors: CER {100 * errs / max(chars, 1):.2f}% "
        f"(one per {chars / max(errs, 1):.1f} chars); {clean} clean sentences "
        f"({100 * clean / max(rows, 1):.0f}%); errors by kind {dict(kinds)}",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
