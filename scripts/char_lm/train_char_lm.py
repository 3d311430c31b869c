#!/usr/bin/env python3
"""Interpolated Kneser-Ney character n-gram model -> hashed, quantized table (zhclean char_lm.bin).

Usage: train_char_lm.py ORDER OUT.bin FILE[:WEIGHT] ...
"""
import math, struct, sys
from collections import Counter, defaultdict

from symbols import BOS, EOS, segments
ORDER = int(sys.argv[1]); OUT = sys.argv[2]; INPUTS = sys.argv[3:]
MIN_COUNT = {1: 1, 2: 1, 3: 2, 4: 2, 5: 2}


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
# prune high orders by raw frequency proxy (count value at that order)
# MAX_NGRAMS (environment, optional): raise the count bars, highest order first, until the model
# fits that many n-grams (the table then stays at the same number of slots as a smaller corpus's)
MAX_NGRAMS = int(__import__("os").environ.get("MAX_NGRAMS", "0"))
while True:
    keep = [g for g in prob if len(g) <= 2 or counts[len(g)][g] >= MIN_COUNT[len(g)]]
    if not MAX_NGRAMS or len(keep) <= MAX_NGRAMS:
        break
    k = ORDER if MIN_COUNT[ORDER] <= MIN_COUNT[3] else 3
    MIN_COUNT[k] += 1
    sys.stderr.write(f"{len(keep)} n-grams > {MAX_NGRAMS}: bar of order {k} raised to {MIN_COUNT[k]}\n")
sys.stderr.write(f"kept {len(keep)} of {len(prob)} (bars {MIN_COUNT})\n")


def fnv(s):
    h = 0xCBF29CE484222325
    for c in s:
        h ^= ord(c)
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


slots = 1
while slots < len(keep) / 0.7:
    slots *= 2
table = [0] * slots
mask = slots - 1
SCALE = 4096.0
for g in keep:
    h = fnv(g)
    fp = (h >> 32) or 1
    lp = min(65535, int(round(-math.log10(prob[g]) * SCALE)))
    b = bow.get(g)
    lb = 0 if b is None else min(65535, int(round(-math.log10(b) * SCALE)))
    e = (fp << 32) | (lp << 16) | lb
    i = h & mask
    while table[i]:
        i = (i + 1) & mask
    table[i] = e
unk = -math.log10(1.0 / V) + 1.0
with open(OUT, "wb") as f:
    f.write(b"ZHCLM1\0\0")
    f.write(struct.pack("<IIII", ORDER, slots, int(round(unk * SCALE)), len(keep)))
    f.write(struct.pack(f"<{slots}Q", *table))
sys.stderr.write(f"slots {slots} size {16 + 8 * slots + 8} bytes, V={V}\n")
