#!/usr/bin/env python3
"""Prune a model of train_char_lm.py to a table size and write it as zhclean's char_lm.bin table.

The count bars start at 2 for every order above 2, or at --bars (bigrams and unigrams are all kept); the
highest order's bar is then raised until the n-grams fill at most LOAD of the slots (linear probing
stays short).

Formats (both: magic, u32 order, u32 slots, u32 unknown-char cost × 4096, u32 n-grams, then the slots
as little-endian words, linear probing from the FNV-1a hash's low bits):
- 1: u64 slots, 32-bit fingerprint (hash >> 32, never 0), −log10 P and −log10 back-off as 16-bit
  fixed point (scale 4096).
- 2 (default): two codebooks of 256 little-endian f32 each (−log10 P, −log10 back-off) after the
  header, then u32 slots: 16-bit fingerprint (hash >> 48, never 0), the 8-bit code of −log10 P and
  the 8-bit code of −log10 back-off (code 0 of the back-off book is 0: the gram is no context). The
  codes are equal-count bins of the kept values, each bin's value its mean.

add_bloom.py then appends the pair filter.

Usage: pack_char_lm.py MODEL.npz OUT.bin [--format 1|2] [--slots-log2 N] [--load 0.7] [--bars 3:1,4:2]
"""
import argparse, math, struct, sys

import numpy as np

ap = argparse.ArgumentParser()
ap.add_argument("model")
ap.add_argument("out")
ap.add_argument("--format", type=int, default=2, choices=[1, 2])
ap.add_argument("--slots-log2", type=int, default=23)
ap.add_argument("--load", type=float, default=0.7)
ap.add_argument("--bars", default="", help="starting count bars, e.g. 3:1,4:2 (default 2 for every order above 2)")
ap.add_argument("--prune", default="count", choices=["count", "gain"],
                help="count: bars only; gain: of the n-grams above order 2 that pass the bars, keep those whose "
                     "count times |log10 P - its back-off estimate| is largest")
a = ap.parse_args()

m = np.load(a.model)
ORDER = int(m["order"][0])
V = int(m["vocab"][0])
grams = m["grams"]
counts = m["counts"]
logp = m["logp"]
logbow = m["logbow"]
lens = np.char.str_len(grams)
slots = 1 << a.slots_log2
cap = int(slots * a.load)

bars = {k: 2 for k in range(3, ORDER + 1)}
for kv in filter(None, a.bars.split(",")):
    k, v = kv.split(":")
    bars[int(k)] = int(v)


def kept():
    keep = lens <= 2
    for k, bar in bars.items():
        keep |= (lens == k) & (counts >= bar)
    return keep


keep = kept()
while a.prune == "count" and keep.sum() > cap:
    k = ORDER
    bars[k] += 1
    keep = kept()
    sys.stderr.write(f"{keep.sum()} n-grams > {cap}: bar of order {k} raised to {bars[k]}\n")
if a.prune == "gain":
    # the back-off estimate of each gram: log10 bow(context) + log10 P(gram without its first char)
    index = {g: i for i, g in enumerate(grams.tolist())}
    est = np.zeros(len(grams))
    for i, g in enumerate(grams.tolist()):
        if len(g) > 2 and keep[i]:
            j = index.get(g[:-1])
            bo = logbow[j] if j is not None and not np.isnan(logbow[j]) else 0.0
            est[i] = bo + logp[index[g[1:]]]
    score = np.where((lens > 2) & keep, counts * np.abs(logp - est), -1.0)
    room = cap - int((lens <= 2).sum())
    if room < int((score >= 0).sum()):
        cut = np.partition(score, len(score) - room)[len(score) - room]
        keep = (lens <= 2) | (score > cut)
    del index
by_order = {k: int(((lens == k) & keep).sum()) for k in range(1, ORDER + 1)}
sys.stderr.write(f"kept {keep.sum()} of {len(grams)} (bars {bars}; per order {by_order})\n")
grams, lp, lb = grams[keep], -logp[keep], -logbow[keep]


def fnv(s):
    h = 0xCBF29CE484222325
    for c in s:
        h ^= ord(c)
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def codebook(values, n):
    """n bin means of equal-count bins of `values`, ascending."""
    v = np.sort(values)
    edges = np.linspace(0, len(v), n + 1).astype(int)
    return np.array([v[edges[i] : max(edges[i + 1], edges[i] + 1)].mean() for i in range(n)])


def encode(book, values):
    """The code of the nearest book entry of each value."""
    i = np.clip(np.searchsorted(book, values), 1, len(book) - 1)
    return np.where(np.abs(values - book[i - 1]) <= np.abs(values - book[i]), i - 1, i)


has_bow = ~np.isnan(lb)
if a.format == 2:
    lp_book = codebook(lp, 256)
    lb_book = np.concatenate([[0.0], codebook(lb[has_bow], 255)])
    lp_code = encode(lp_book, lp)
    lb_code = np.zeros(len(lb), dtype=np.int64)
    lb_code[has_bow] = 1 + encode(lb_book[1:], lb[has_bow])
    err_p = np.abs(lp_book[lp_code] - lp)
    err_b = np.abs(lb_book[lb_code][has_bow] - lb[has_bow])
    sys.stderr.write(
        f"quantization error, log10: P mean {err_p.mean():.4f} max {err_p.max():.4f}; "
        f"back-off mean {err_b.mean():.4f} max {err_b.max():.4f}\n"
    )
    table = np.zeros(slots, dtype="<u4")
else:
    lp_code = np.minimum(65535, np.round(lp * 4096)).astype(np.int64)
    lb_code = np.where(has_bow, np.minimum(65535, np.round(np.nan_to_num(lb) * 4096)), 0).astype(np.int64)
    table = np.zeros(slots, dtype="<u8")
mask = slots - 1
for g, p, b in zip(grams.tolist(), lp_code.tolist(), lb_code.tolist()):
    h = fnv(g)
    if a.format == 2:
        e = (((h >> 48) or 1) << 16) | (p << 8) | b
    else:
        e = (((h >> 32) or 1) << 32) | (p << 16) | b
    i = h & mask
    while table[i]:
        i = (i + 1) & mask
    table[i] = e
unk = -math.log10(1.0 / V) + 1.0
with open(a.out, "wb") as f:
    f.write(b"ZHCLM2\0\0" if a.format == 2 else b"ZHCLM1\0\0")
    f.write(struct.pack("<IIII", ORDER, slots, int(round(unk * 4096)), len(grams)))
    if a.format == 2:
        f.write(lp_book.astype("<f4").tobytes())
        f.write(lb_book.astype("<f4").tobytes())
    f.write(table.tobytes())
sys.stderr.write(f"format {a.format}: {slots} slots, {len(grams)} n-grams, V={V}\n")
