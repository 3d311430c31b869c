#!/usr/bin/env python3
"""Perplexity per char of a char_lm.bin table on text files (one segment per line)."""
import struct, sys, math
import numpy as np
path = sys.argv[1]
b = open(path, "rb").read()
order, slots, unk, grams = struct.unpack("<IIII", b[8:24])
V2 = b[:8] == b"ZHCLM2\0\0"  # format 2: u32 slots and two codebooks (pack_char_lm.py)
if V2:
    PB = np.frombuffer(b, dtype="<f4", count=256, offset=24)
    BB = np.frombuffer(b, dtype="<f4", count=256, offset=24 + 1024)
    T = np.frombuffer(b, dtype="<u4", count=slots, offset=24 + 2048)
else:
    T = np.frombuffer(b, dtype="<u8", count=slots, offset=24)
mask = slots - 1; unk = -unk / 4096.0
from symbols import BOS, EOS, segments
def fnv(s):
    h = 0xCBF29CE484222325
    for c in s:
        h ^= ord(c); h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h
cache = {}
def find(g):
    r = cache.get(g, 0)
    if r != 0: return r
    h = fnv(g); i = h & mask
    fp = ((h >> 48) or 1) if V2 else ((h >> 32) or 1)
    while True:
        e = int(T[i])
        if e == 0: r = None; break
        if V2 and e >> 16 == fp: r = (-float(PB[(e >> 8) & 0xFF]), -float(BB[e & 0xFF])); break
        if not V2 and e >> 32 == fp: r = (-((e >> 16) & 0xFFFF) / 4096.0, -(e & 0xFFFF) / 4096.0); break
        i = (i + 1) & mask
    cache[g] = r; return r
def logp(ctx, w):
    ctx = ctx[-(order - 1):]; back = 0.0
    for k in range(len(ctx) + 1):
        g = ctx[k:] + w
        r = find(g)
        if r: return back + r[0]
        if k < len(ctx):
            c = find(ctx[k:])
            if c: back += c[1]
    return back + unk
for f in sys.argv[2:]:
    tot = 0.0; n = 0
    for s, _ in segments([f]):
        for i in range(1, len(s)):
            tot += logp(s[:i], s[i]); n += 1
    print(f"{f}: chars {n} ppl {10 ** (-tot / n):.1f}")
