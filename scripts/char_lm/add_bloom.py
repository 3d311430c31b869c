#!/usr/bin/env python3
"""Append the pair filter (a Bloom filter of every char bigram of the model) to a char_lm.bin."""
import sys
from symbols import segments
LOG2M, K = 23, 4
def fnv(s):
    h = 0xCBF29CE484222325
    for c in s:
        h ^= ord(c); h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h
src, out = sys.argv[1], sys.argv[2]
pairs = set()
for t, _ in segments(sys.argv[3:]):
    for i in range(len(t) - 1):
        pairs.add(t[i:i + 2])
m = 1 << LOG2M; bits = bytearray(m // 8)
for p in pairs:
    h = fnv(p); h1 = h & (m - 1); h2 = (h >> 32) | 1
    for i in range(K):
        b = (h1 + i * h2) & (m - 1)
        bits[b >> 3] |= 1 << (b & 7)
data = open(src, "rb").read()
with open(out, "wb") as f:
    f.write(data); f.write(LOG2M.to_bytes(4, "little")); f.write(K.to_bytes(4, "little")); f.write(bits)
sys.stderr.write(f"{len(pairs)} pairs, {m} bits\n")
