#!/usr/bin/env python3
"""Calibrate the channel prior for look-alike pairs never seen in OCR pairs
(PRIOR_AT_PIVOT, PRIOR_SLOPE, PRIOR_PIVOT in src/correct/noisy.rs).

The channel table (scripts/build_channel.py --tune) is learned on the dev-ocr
rows with id suffix 1 or 2 (mod 4) plus the extra pairs in dictionaries/.
On the rows with suffix 3, for every gold Han char and every look-alike in its
glyph list (dictionaries/confusion_glyph.tsv) whose pair was NOT seen in that
training data, count how often OCR read the char as that look-alike. The
rate per glyph-similarity bucket is the prior the corrector should charge for
an unseen pair. Held-out rows (suffix 0) are not read.

Usage: scripts/calibrate_channel_prior.py
Output (2026-11-22): log10 rate 0.4: -3.53, 0.5: -3.37, 0.6: -2.91,
0.7: -2.44, 0.8: -2.20; the line -3.55 + 3.6 (sim - 0.45) follows it (the
prior it replaced, -4.0 + 2.5 (sim - 0.4), was 0.3-0.7 too low).
"""
import collections
import csv
import difflib
import glob
import math
import re

csv.field_size_limit(10**8)
EXTRA = ["dictionaries/channel_pairs_gnome_apps.tsv", "dictionaries/channel_pairs_docs.tsv"]


def suffix(i):
    m = re.search(r"(\d+)$", i)
    return int(m.group(1)) % 4 if m else 0


def han(c):
    return "\u4e00" <= c <= "\u9fff"


def aligned(g, o):
    """gold index -> ocr char, for equal and same-length replaced blocks."""
    amap = {}
    sm = difflib.SequenceMatcher(None, g, o, autojunk=False)
    for op, a, b, c, d in sm.get_opcodes():
        if op == "equal" or (op == "replace" and b - a == d - c):
            for k in range(b - a):
                amap[a + k] = o[c + k]
    return amap


def main():
    conf = {}
    for line in open("dictionaries/confusion_glyph.tsv", encoding="utf-8"):
        if line.startswith("#"):
            continue
        c, rest = line.rstrip("\n").split("\t")
        conf[c] = {x.split(":")[0]: float(x.split(":")[1]) for x in rest.split()}
    train, tune = [], []
    for f in sorted(glob.glob("/work/shared/dev-ocr/*.tsv")):
        for r in csv.DictReader(open(f), delimiter="\t", quoting=csv.QUOTE_NONE):
            k = suffix(r["id"])
            if k in (1, 2):
                train.append((r["gold"], r["ocr"]))
            elif k == 3:
                tune.append((r["gold"], r["ocr"]))
    for f in EXTRA:
        rows = (l for l in open(f, encoding="utf-8") if not l.startswith("#"))
        for r in csv.DictReader(rows, delimiter="\t", quoting=csv.QUOTE_NONE):
            train.append((r["gold"], r["ocr"]))
    seen = set()
    for g, o in train:
        for i, oc in aligned(g, o).items():
            if oc != g[i]:
                seen.add((g[i], oc))
    num, den = collections.Counter(), collections.Counter()
    for g, o in tune:
        amap = aligned(g, o)
        for i, ch in enumerate(g):
            if not han(ch) or i not in amap:
                continue
            for cand, s in conf.get(ch, {}).items():
                if (ch, cand) in seen:
                    continue
                b = min(int(s * 10), 9) / 10
                den[b] += 1
                num[b] += amap[i] == cand
    print("sim bucket  misread  candidates  log10 rate  line -3.55+3.6(s-0.45)")
    for b in sorted(den):
        rate = f"{math.log10(num[b] / den[b]):.2f}" if num[b] else "-"
        print(f"{b:.1f}  {num[b]:7d}  {den[b]:10d}  {rate:>10}  {-3.55 + 3.6 * (b + 0.05 - 0.45):.2f}")


if __name__ == "__main__":
    main()
