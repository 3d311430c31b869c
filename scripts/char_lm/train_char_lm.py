#!/usr/bin/env python3
"""Interpolated Kneser-Ney character n-gram model, unpruned, as a numpy archive.

`pack_char_lm.py` prunes it and writes the hashed, quantized table (zhclean char_lm.bin).
Memory: about 3 GB for order 4, 8 GB for order 5 on the training text of README.md.

Usage: train_char_lm.py ORDER OUT.npz FILE[:WEIGHT] ...
"""
import math, struct, sys
from collections import Counter, defaultdict

from symbols import BOS, EOS, segments
ORDER = int(sys.argv[1]); OUT = sys.argv[2]; INPUTS = sys.argv[3:]


def lines():
    for t, w in segments(INPUTS):
        s = t[1:-1]
        for _ in range(w):
            yield s


counts = [None] + [Counter() for _ in range(ORDER)]
for s in lines():
    t = BOS + s + EOS
    n = len(t)
    top = counts[ORDER]
    for i in range(1, n):
        lo = max(0, i - ORDER + 1)
        # the highest-order gram ending at i (shorter near BOS: those are counted raw at their order)
        g = t[lo : i + 1]
        counts[len(g)][g] += 1 if len(g) == ORDER or lo == 0 else 0
sys.stderr.write("raw counts done\n")
# raw counts for grams starting at BOS of every order were added above; for lower orders use
# continuation counts: number of distinct left extensions
for k in range(ORDER - 1, 0, -1):
    cont = Counter()
    for g in counts[k + 1]:
        cont[g[1:]] += 1
    for g, c in cont.items():
        if g[0] != BOS:
            counts[k][g] = c
    # BOS-initial grams keep raw counts (already there, when > 0)
    for g in [g for g, c in counts[k].items() if c == 0]:
        del counts[k][g]
sys.stderr.write("continuation counts done: " + " ".join(str(len(c)) for c in counts[1:]) + "\n")
# discounts
D = [0.0] * (ORDER + 1)
for k in range(1, ORDER + 1):
    cc = Counter(counts[k].values())
    n1, n2 = cc.get(1, 0), cc.get(2, 0)
    D[k] = n1 / (n1 + 2 * n2) if n1 + 2 * n2 else 0.5
sys.stderr.write(f"D={D}\n")
# context totals
tot = [None] + [defaultdict(int) for _ in range(ORDER)]
typ = [None] + [defaultdict(int) for _ in range(ORDER)]
for k in range(1, ORDER + 1):
    for g, c in counts[k].items():
        tot[k][g[:-1]] += c
        typ[k][g[:-1]] += 1
V = len(counts[1]) + 1
prob = {}
bow = {}
for k in range(1, ORDER + 1):
    for g, c in counts[k].items():
        h = g[:-1]
        C = tot[k][h]
        gamma = D[k] * typ[k][h] / C
        lower = prob[g[1:]] if k > 1 else 1.0 / V
        prob[g] = max(c - D[k], 0) / C + gamma * lower
    for h in tot[k]:
        bow[h] = D[k] * typ[k][h] / tot[k][h]
    sys.stderr.write(f"order {k} done\n")
# the whole smoothed model, unpruned, for pack_char_lm.py: grams, raw (or continuation) counts,
# log10 P and log10 back-off (NaN where the gram is no context)
import numpy as np
grams = list(prob)
np.savez(
    OUT,
    order=np.array([ORDER]),
    vocab=np.array([V]),
    grams=np.array(grams, dtype=f"U{ORDER}"),
    counts=np.array([counts[len(g)][g] for g in grams], dtype=np.int64),
    logp=np.array([math.log10(prob[g]) for g in grams], dtype=np.float64),
    logbow=np.array([math.log10(bow[g]) if g in bow else float("nan") for g in grams], dtype=np.float64),
)
sys.stderr.write(f"{len(grams)} n-grams written to {OUT}\n")
