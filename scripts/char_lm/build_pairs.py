#!/usr/bin/env python3
"""Char pair adjacency lists for the decoder's context candidates (zhclean char_pairs.bin).

Usage: build_pairs.py OUT.bin MIN_COUNT FILE[:WEIGHT] ...

Reads the same training text as train_char_lm.py (same char mapping, BOS/EOS per
whitespace segment), counts char pairs, keeps those seen MIN_COUNT times or more, and
writes for every symbol its successors (with a quantized log10 P(next | this)) and its
predecessors, both sorted by symbol index, so that the chars that fit between two
neighbours are the intersection of two sorted lists.

Format (little-endian): b"ZHCPAIR1", u32 symbols, u32 pairs; symbols × u32 code points
(sorted); (symbols + 1) × u32 successor offsets; pairs × u16 successor index; pairs × u8
successor cost (−log10 P(next | this) × 16, capped at 255); (symbols + 1) × u32
predecessor offsets; pairs × u16 predecessor index; pairs × u8 predecessor cost (the
same pair's −log10 P(this | predecessor) × 16).
"""
import math, struct, sys
from collections import Counter

BOS, EOS = "\x02", "\x03"
OUT = sys.argv[1]
MIN = int(sys.argv[2])
INPUTS = sys.argv[3:]


def norm(c):
    if "a" <= c <= "z" or "A" <= c <= "Z":
        return "a"
    if "0" <= c <= "9":
        return "0"
    return c


pairs = Counter()
for spec in INPUTS:
    path, _, w = spec.partition(":")
    w = int(w or 1)
    local = Counter()
    for line in open(path, encoding="utf-8"):
        for seg in line.split():
            t = BOS + "".join(norm(c) for c in seg) + EOS
            local.update(zip(t, t[1:]))
    for k, v in local.items():
        pairs[k] += v * w
left = Counter()
for (a, b), n in pairs.items():
    left[a] += n
keep = {k: n for k, n in pairs.items() if n >= MIN}
syms = sorted({c for k in keep for c in k}, key=ord)
assert len(syms) < 65536
idx = {c: i for i, c in enumerate(syms)}
succ = [[] for _ in syms]
pred = [[] for _ in syms]
for (a, b), n in keep.items():
    cost = min(255, int(round(-math.log10(n / left[a]) * 16)))
    succ[idx[a]].append((idx[b], cost))
    pred[idx[b]].append((idx[a], cost))
with open(OUT, "wb") as f:
    f.write(b"ZHCPAIR1")
    f.write(struct.pack("<II", len(syms), len(keep)))
    f.write(struct.pack(f"<{len(syms)}I", *[ord(c) for c in syms]))
    off, o = [], 0
    for s in succ:
        s.sort()
        off.append(o)
        o += len(s)
    off.append(o)
    f.write(struct.pack(f"<{len(off)}I", *off))
    f.write(struct.pack(f"<{o}H", *[i for s in succ for i, _ in s]))
    f.write(bytes(c for s in succ for _, c in s))
    off, o = [], 0
    for p in pred:
        p.sort()
        off.append(o)
        o += len(p)
    off.append(o)
    f.write(struct.pack(f"<{len(off)}I", *off))
    f.write(struct.pack(f"<{o}H", *[i for p in pred for i, _ in p]))
    f.write(bytes(c for p in pred for _, c in p))
sys.stderr.write(f"{len(syms)} symbols, {len(keep)} pairs of {len(pairs)} (count >= {MIN})\n")
