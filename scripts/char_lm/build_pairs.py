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

from symbols import segments

OUT = sys.argv[1]
MIN = int(sys.argv[2])
INPUTS = sys.argv[3:]


pairs = Counter()
for t, w in segments(INPUTS):
    for k in zip(t, t[1:]):
        pairs[k] += w
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


def write_lists(f, lists):
    """Offsets, then every list's indices (u16), then their costs (u8), each list sorted."""
    off, o = [], 0
    for entries in lists:
        entries.sort()
        off.append(o)
        o += len(entries)
    off.append(o)
    f.write(struct.pack(f"<{len(off)}I", *off))
    f.write(struct.pack(f"<{o}H", *[i for entries in lists for i, _ in entries]))
    f.write(bytes(c for entries in lists for _, c in entries))


with open(OUT, "wb") as f:
    f.write(b"ZHCPAIR1")
    f.write(struct.pack("<II", len(syms), len(keep)))
    f.write(struct.pack(f"<{len(syms)}I", *[ord(c) for c in syms]))
    write_lists(f, succ)
    write_lists(f, pred)
sys.stderr.write(f"{len(syms)} symbols, {len(keep)} pairs of {len(pairs)} (count >= {MIN})\n")
