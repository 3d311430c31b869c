#!/usr/bin/env python3
"""Learn OCR channel statistics from the TRAINING rows of
/work/shared/dev-ocr/*.tsv (plus every row of
dictionaries/channel_pairs_gnome_apps.tsv) into dictionaries/channel_ocr.tsv, and report the
coverage of dictionaries/confusion_glyph.tsv on real substitutions.

Split: a row is held out when the numeric suffix of its id is divisible by 4
(dev-004, gnome-008, ...); only the other rows are read here.

Alignment: difflib.SequenceMatcher over chars; a `replace` block of equal
length gives 1:1 substitutions, other blocks give deletions / insertions.

Output lines:  kind<TAB>intended<TAB>observed<TAB>count<TAB>log10 P(observed | intended)
  kind = sub (substitution), del (intended char dropped: observed = ""),
         ins (observed char inserted: intended = "")
P is count / (occurrences of the intended char in the training gold + 20,
a shrinkage so rare chars do not get P near 1); for
`ins`, count / training gold chars. Pairs seen once are kept (the rule smooths
with the glyph prior). Source data: dev-ocr pairs (gnome: CC-BY-SA 3.0,
ud_gsdsimp: CC-BY-SA 4.0), so this file is CC-BY-SA 4.0.

Usage: scripts/build_channel.py [--tune]
  --tune learns only on rows with id suffix % 4 in {1, 2}, so that thresholds
  can be tuned on the rows with suffix % 4 == 3 without seeing their pairs
  (the shipped table is built without --tune).
"""
import csv
import difflib
import glob
import math
import re
import sys
from collections import Counter

csv.field_size_limit(10**8)


TUNE = "--tune" in sys.argv
# P = count / (occurrences of the intended char + SHRINK): a char seen once
# and misread once must not get P = 1
SHRINK = 20


def heldout(i):
    m = re.search(r"(\d+)$", i)
    if m is None:
        return True
    k = int(m.group(1)) % 4
    return k == 0 or (TUNE and k == 3)


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


EXTRA = [
    "dictionaries/channel_pairs_gnome_apps.tsv",
    "dictionaries/channel_pairs_docs.tsv",
    "dictionaries/channel_pairs_render2.tsv",
    "dictionaries/channel_pairs_render3.tsv",
]


def rows():
    """(row, is_extra): the dev-ocr pairs, then the extra pairs (all used)."""
    for f in sorted(glob.glob("/work/shared/dev-ocr/*.tsv")):
        with open(f) as fh:
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                yield r, False
    for extra in EXTRA:
        try:
            with open(extra) as fh:
                for r in csv.DictReader(
                    (l for l in fh if not l.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE
                ):
                    yield r, True
        except FileNotFoundError:
            pass


def main():
    sub, dele, ins, occ = Counter(), Counter(), Counter(), Counter()
    total = 0
    for r, extra in rows():
        if not extra and heldout(r["id"]):
            continue
        g, o = r["gold"], r["ocr"]
        occ.update(g)
        total += len(g)
        sm = difflib.SequenceMatcher(None, g, o, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "replace" and i2 - i1 == j2 - j1:
                for a, b in zip(g[i1:i2], o[j1:j2]):
                    sub[(a, b)] += 1
            elif tag in ("replace", "delete"):
                for a in g[i1:i2]:
                    dele[a] += 1
                for b in o[j1:j2]:
                    ins[b] += 1
            elif tag == "insert":
                for b in o[j1:j2]:
                    ins[b] += 1
    with open("dictionaries/channel_ocr.tsv", "w") as f:
        f.write(
            "# kind\tintended\tobserved\tcount\tlog10 P(observed|intended)  -- learned by "
            "scripts/build_channel.py from the training rows (id suffix not divisible by 4) of "
            "the dev-ocr Tesseract pairs (CC-BY-SA 3.0 / 4.0)\n"
        )
        for (a, b), n in sorted(sub.items()):
            f.write(f"sub\t{a}\t{b}\t{n}\t{math.log10(n / (max(occ[a], n) + SHRINK)):.3f}\n")
        for a, n in sorted(dele.items()):
            f.write(f"del\t{a}\t\t{n}\t{math.log10(n / (max(occ[a], n) + SHRINK)):.3f}\n")
        for b, n in sorted(ins.items()):
            f.write(f"ins\t\t{b}\t{n}\t{math.log10(n / total):.3f}\n")
    # coverage of the glyph confusion set
    sim = {}
    for l in open("dictionaries/confusion_glyph.tsv"):
        if l.startswith("#"):
            continue
        c, rest = l.rstrip("\n").split("\t")
        sim[c] = {x.split(":")[0] for x in rest.split()}
    han = [(a, b, n) for (a, b), n in sub.items() if is_han(a) and is_han(b)]
    tot = sum(n for _, _, n in han)
    cov = sum(n for a, b, n in han if b in sim.get(a, ()))
    print(f"training gold chars {total}; substitutions {sum(sub.values())}, "
          f"deletions {sum(dele.values())}, insertions {sum(ins.values())}")
    print(f"Han->Han substitutions {tot}; covered by confusion_glyph {cov} ({100 * cov / max(tot, 1):.1f}%)")


if __name__ == "__main__":
    main()
