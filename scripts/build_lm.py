#!/usr/bin/env python3
"""Derive the pruned word bigram model shipped in dictionaries/lm_*.tsv.

Source: Debian `sunpinyin-data` (open-gram, CC-BY-SA 3.0): `lm_sc.t3g`, a
back-off word trigram model, printed with `tslminfo -v -p` (Debian
`sunpinyin-utils`); word ids map to words through `pydict_sc.bin` (header of
three little-endian u32: word count, node count, string offset; then UCS-4
NUL-terminated words in id order).

Derivation:
- unigrams: every word with a non-empty string; log10 P(w) and log10 of its
  back-off weight (multiplicative in sunpinyin) -> lm_unigram.tsv.
- bigrams: P(w2 | w1) from the 2-gram level. A bigram is worth keeping when it
  differs from its back-off estimate bow(w1) * P(w2); rank by
  P(w1) * P(w2|w1) * |log(P(w2|w1) / (bow(w1) P(w2)))| (its share of the
  relative entropy) and keep the top N -> lm_bigram.tsv.
- trigrams are dropped. Id 0 (<unk>, also used as the sentence boundary) is
  dropped.

Usage: scripts/build_lm.py [N_BIGRAMS]   (default 600000)
"""
import math
import struct
import subprocess
import sys

DATA = "/usr/lib/x86_64-linux-gnu/sunpinyin/data"
N = int(sys.argv[1]) if len(sys.argv) > 1 else 600000


def vocab():
    b = open(f"{DATA}/pydict_sc.bin", "rb").read()
    _, _, so = struct.unpack("<3I", b[:12])
    n = (len(b) - so) // 4
    words, cur = [], []
    for v in struct.unpack(f"<{n}I", b[so : so + 4 * n]):
        if v == 0:
            words.append("".join(cur))
            cur = []
        else:
            cur.append(chr(v))
    return words


def ok(w):
    return w and "\t" not in w and "\x1f" not in w and not w.isspace()


def main():
    words = vocab()
    out = subprocess.run(
        ["tslminfo", "-v", "-p", f"{DATA}/lm_sc.t3g"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    level = -1
    uni, bow, bi = {}, {}, []
    for line in out.splitlines():
        if line.startswith("\\"):
            level = int(line.split("\\")[1].split("-")[0])
            continue
        f = line.split()
        if level == 1:
            i = int(f[0])
            uni[i] = float(f[1])
            bow[i] = float(f[2])
        elif level == 2:
            bi.append((int(f[0]), int(f[1]), float(f[2])))
        elif level == 3:
            break
    uni_ok = {i for i in uni if i > 0 and i < len(words) and ok(words[i]) and uni[i] > 0}
    scored = []
    for h, w, p in bi:
        if h not in uni_ok or w not in uni_ok or p <= 0:
            continue
        q = bow[h] * uni[w]
        gain = uni[h] * p * abs(math.log(p / q))
        scored.append((gain, h, w, p))
    scored.sort(reverse=True)
    kept = scored[:N]
    with open("dictionaries/lm_unigram.tsv", "w") as f:
        f.write(
            "# word\tlog10 P(w)\tlog10 backoff(w)  -- derived from Debian sunpinyin-data "
            "0.1.22 lm_sc.t3g (open-gram, CC-BY-SA 3.0) by scripts/build_lm.py\n"
        )
        for i in sorted(uni_ok, key=lambda i: words[i]):
            f.write(f"{words[i]}\t{math.log10(uni[i]):.3f}\t{math.log10(bow[i]):.3f}\n")
    with open("dictionaries/lm_bigram.tsv", "w") as f:
        f.write(
            "# w1\tw2\tlog10 P(w2|w1)  -- top bigrams of Debian sunpinyin-data 0.1.22 "
            "lm_sc.t3g (open-gram, CC-BY-SA 3.0), pruned by scripts/build_lm.py\n"
        )
        for _, h, w, p in sorted(kept, key=lambda t: (words[t[1]], words[t[2]])):
            f.write(f"{words[h]}\t{words[w]}\t{math.log10(p):.2f}\n")
    print(f"unigrams {len(uni_ok)}, bigrams {len(kept)} of {len(bi)}", file=sys.stderr)


if __name__ == "__main__":
    main()
