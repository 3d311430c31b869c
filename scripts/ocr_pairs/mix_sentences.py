#!/usr/bin/env python3
"""The sentence list of the third batch of channel pairs (dictionaries/channel_pairs_render3.tsv):
the TRAIN sentences not yet rendered (train.txt from sentence SKIP on) interleaved one by one with
prose sentences of scripts/char_lm/extra_text.py's output (10-60 chars, at least 70% Han, no markup
or code characters), those shuffled with seed 14.

Usage: mix_sentences.py TRAIN.txt EXTRA.txt SKIP > render3_sents.txt
"""
import random
import re
import sys

train_path, extra_path, skip = sys.argv[1], sys.argv[2], int(sys.argv[3])
tr = [line.strip() for line in open(train_path, encoding="utf-8") if line.strip()][skip:]
ex = []
for line in open(extra_path, encoding="utf-8"):
    s = line.strip()
    if not 10 <= len(s) <= 60:
        continue
    if sum("\u4e00" <= c <= "\u9fff" for c in s) < 0.7 * len(s):
        continue
    if re.search(r"[<>{}\[\]`\\|#*_=^~$@]", s):
        continue
    ex.append(s)
random.Random(14).shuffle(ex)
out = []
for i in range(max(len(tr), len(ex))):
    if i < len(tr):
        out.append(tr[i])
    if i < len(ex):
        out.append(ex[i])
sys.stdout.write("\n".join(out) + "\n")
sys.stderr.write(f"{len(tr)} train + {len(ex)} extra sentences\n")
