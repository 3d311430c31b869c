#!/usr/bin/env python3
"""Typing-error eval set: held-out clean sentences with simulated pinyin-IME errors (issue 14).

Simulation (seeded by the sentence id, so reproducible):
- the sentence is segmented by greedy forward maximum matching on dictionaries/words.tsv
  (words of 1-4 chars);
- 20% of the sentences stay clean (they measure false corrections); the others get one error
  (80%) or two (20%) at different words;
- an error is "the wrong IME candidate picked":
  - word level (where a 2-char word has homophones): the word is replaced by another 2-char
    word of words.tsv with the same toneless pinyin (each char's first reading in
    dictionaries/chars.tsv), chosen among the 5 most frequent, weighted by frequency;
  - otherwise char level: a Han char is replaced by a char with the same toneless syllable
    (first readings, general-standard chars with count > 0), among the 8 most frequent,
    weighted by count;
  - in 25% of the errors the syllable is first moved to a near one (fuzzy-pinyin pairs
    z/zh c/ch s/sh n/l f/h r/l, an/ang en/eng in/ing), as when a key is mistyped or a
    regional accent is typed.
Output TSV (header): id font px blur noise gold ocr engine damage, with font `-`,
px/blur/noise 0, ocr = the typed text, engine `ime-sim`, damage = the edits
(`word:A>B`, `char:a>b`, `near` prefix when fuzzy; `clean`).

Usage: scripts/eval_sets/typing_errors.py SENTENCES.txt OUT.tsv --prefix P [--skip N] [--limit N]
"""
import argparse
import hashlib
import os
import random
import re
import unicodedata

REPO = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
INITIAL_PAIRS = [("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l")]
FINAL_PAIRS = [("ang", "an"), ("eng", "en"), ("ing", "in")]


def toneless(p):
    p = unicodedata.normalize("NFD", p)
    p = "".join(c for c in p if not unicodedata.combining(c))
    return p.replace("ü", "v")


def near(syl, rng, valid):
    """A fuzzy-pinyin neighbour of a toneless syllable that is a real syllable, or None."""
    options = []
    for a, b in INITIAL_PAIRS:
        if syl.startswith(a):
            options.append(b + syl[len(a):])
        elif syl.startswith(b) and not (b in "zcs" and syl[1:2] == "h"):
            options.append(a + syl[len(b):])
    for a, b in FINAL_PAIRS:
        if syl.endswith(a):
            options.append(syl[: -len(a)] + b)
        elif syl.endswith(b):
            options.append(syl[: -len(b)] + a)
    options = [o for o in options if o in valid]
    return rng.choice(options) if options else None


def load():
    reading, count = {}, {}
    for line in open(os.path.join(REPO, "dictionaries", "chars.tsv"), encoding="utf-8"):
        if line.startswith("#"):
            continue
        ch, n, py = line.split("\t")[:3]
        if py != "-":
            reading[ch] = toneless(py.split(",")[0])
            count[ch] = int(n)
    by_syl = {}
    for ch, syl in reading.items():
        if count[ch] > 0:
            by_syl.setdefault(syl, []).append(ch)
    for syl in by_syl:
        by_syl[syl].sort(key=lambda c: -count[c])
    words, by_key = {}, {}
    for line in open(os.path.join(REPO, "dictionaries", "words.tsv"), encoding="utf-8"):
        if line.startswith("#"):
            continue
        w, f = line.split("\t")[:2]
        if 1 <= len(w) <= 4 and re.fullmatch(r"[\u4e00-\u9fff]+", w):
            words[w] = int(f)
            if len(w) == 2 and all(c in reading for c in w):
                by_key.setdefault(tuple(reading[c] for c in w), []).append(w)
    for k in by_key:
        by_key[k].sort(key=lambda w: -words[w])
    return reading, count, by_syl, words, by_key


def segment(s, words):
    out, i = [], 0
    while i < len(s):
        for n in (4, 3, 2, 1):
            if s[i:i + n] in words or n == 1:
                out.append((i, s[i:i + n]))
                i += n
                break
    return out


def pick(rng, cands, weight):
    cands = cands[:8]
    return rng.choices(cands, weights=[max(1, weight(c)) for c in cands])[0] if cands else None


def corrupt(s, rng, data):
    reading, count, by_syl, words, by_key = data
    segs = segment(s, words)
    rng.shuffle(segs)
    want = 1 if rng.random() < 0.8 else 2
    out, edits, used = list(s), [], set()
    for i, w in segs:
        if len(edits) == want:
            break
        if set(range(i, i + len(w))) & used:
            continue
        fuzzy = rng.random() < 0.25
        if len(w) == 2 and all(c in reading for c in w):
            key = [reading[c] for c in w]
            moved = False
            if fuzzy:
                j = rng.randrange(2)
                other = near(key[j], rng, by_syl)
                if other:
                    key[j], moved = other, True
            cands = [x for x in by_key.get(tuple(key), []) if x != w][:5]
            new = pick(rng, cands, words.get)
            if new:
                out[i:i + 2] = list(new)
                used.update((i, i + 1))
                edits.append(("near " if moved else "") + f"word:{w}>{new}")
                continue
        j = i + rng.randrange(len(w))
        c = s[j]
        if c not in reading:
            continue
        syl, moved = reading[c], False
        if fuzzy:
            other = near(syl, rng, by_syl)
            if other:
                syl, moved = other, True
        cands = [x for x in by_syl.get(syl, []) if x != c]
        new = pick(rng, cands, count.get)
        if new:
            out[j] = new
            used.add(j)
            edits.append(("near " if moved else "") + f"char:{c}>{new}")
    return "".join(out), edits


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sentences")
    ap.add_argument("out")
    ap.add_argument("--prefix", default="typ")
    ap.add_argument("--skip", type=int, default=0)
    ap.add_argument("--limit", type=int, default=0)
    a = ap.parse_args()
    sents = [x.strip() for x in open(a.sentences, encoding="utf-8") if x.strip()][a.skip:]
    if a.limit:
        sents = sents[:a.limit]
    data = load()
    with open(a.out, "w", encoding="utf-8") as f:
        f.write("id\tfont\tpx\tblur\tnoise\tgold\tocr\tengine\tdamage\n")
        for s in sents:
            sid = f"{a.prefix}-{hashlib.sha1(s.encode('utf-8')).hexdigest()[:10]}"
            rng = random.Random(sid)
            if rng.random() < 0.2:
                typed, edits = s, []
            else:
                typed, edits = corrupt(s, rng, data)
            f.write("\t".join([sid, "-", "0", "0", "0", s, typed, "ime-sim",
                               "+".join(edits) or "clean"]) + "\n")


if __name__ == "__main__":
    main()
