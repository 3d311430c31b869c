#!/usr/bin/env python3
"""Sample running text from the open-gram word trigram model (Debian sunpinyin-data, CC-BY-SA 3.0).

The model is printed with `tslminfo -v -p lm_sc.t3g > DUMP` (Debian sunpinyin-utils); word ids map to
strings through pydict_sc.bin. Sampling follows the back-off model: the listed trigrams of the history,
else its listed bigrams, else a unigram. Id 0 (unknown words, numbers, Latin, and the sentence boundary)
and the empty ids end a line. Deterministic for a seed (Python's Mersenne Twister).

Usage: sample_sunpinyin.py DUMP N_WORDS SEED OUT.txt
"""
import struct, sys, random, bisect
from collections import defaultdict
DATA = "/usr/lib/x86_64-linux-gnu/sunpinyin/data"
dump, nwords, seed, out = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
random.seed(seed)
b = open(f"{DATA}/pydict_sc.bin", "rb").read()
_, _, so = struct.unpack("<3I", b[:12]); n = (len(b) - so) // 4
words, cur = [], []
for v in struct.unpack(f"<{n}I", b[so:so + 4 * n]):
    if v == 0: words.append("".join(cur)); cur = []
    else: cur.append(chr(v))
uni_w, uni_p = [], []
bi = defaultdict(lambda: ([], []))
tri = defaultdict(lambda: ([], []))
level = -1
for line in open(dump):
    if line.startswith("\\"):
        level = int(line.split("\\")[1].split("-")[0]); continue
    f = line.split()
    if level == 1:
        uni_w.append(int(f[0])); uni_p.append(float(f[1]))
    elif level == 2:
        l = bi[int(f[0])]; l[0].append(int(f[1])); l[1].append(float(f[2]))
    elif level == 3:
        l = tri[(int(f[0]), int(f[1]))]; l[0].append(int(f[2])); l[1].append(float(f[3]))
def cum(ws, ps):
    c, s = [], 0.0
    for p in ps: s += p; c.append(s)
    return (ws, c)
U = cum(uni_w, uni_p)
B = {h: cum(*v) for h, v in bi.items()}
T = {h: cum(*v) for h, v in tri.items()}
del bi, tri
sys.stderr.write("loaded\n")
def draw(table):
    ws, c = table
    r = random.random()
    if r >= c[-1]: return None
    return ws[bisect.bisect_right(c, r)]
def draw_uni():
    ws, c = U
    return ws[min(bisect.bisect_right(c, random.random() * c[-1]), len(ws) - 1)]
h1, h2 = 0, 0
o = open(out, "w")
line = []
for _ in range(nwords):
    w = None
    t = T.get((h1, h2))
    if t is not None: w = draw(t)
    if w is None:
        bt = B.get(h2)
        if bt is not None: w = draw(bt)
    if w is None: w = draw_uni()
    s = words[w] if w < len(words) else ""
    if not s or w == 0:
        if line: o.write("".join(line) + "\n"); line = []
    else:
        line.append(s)
    h1, h2 = h2, w
if line: o.write("".join(line) + "\n")
