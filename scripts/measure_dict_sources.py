#!/usr/bin/env python3
"""Measure candidate word lists (jieba dict, wordfreq large_zh, CC-CEDICT):
size, traditional-form entries, junk entries, and coverage on the gold side
of dev-ocr (max-probability segmentation).

usage: scripts/measure_dict_sources.py [DATA_DIR] [DEV_OCR_DIR]
"""
import glob
import math
import os
import sys
import unicodedata


def is_han(c):
    o = ord(c)
    return (0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x323AF
            or 0xF900 <= o <= 0xFAFF or o == 0x3007)


def load_ts(data):
    """Characters that are traditional-only (OpenCC TSCharacters, char not among its own targets)."""
    trad = set()
    with open(os.path.join(data, "opencc", "TSCharacters.txt"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            src, tgt = line.rstrip("\n").split("\t")
            if src not in tgt.split():
                trad.add(src)
    return trad


def load_jieba(data):
    d = {}
    with open(os.path.join(data, "jieba_dict.txt"), encoding="utf-8") as f:
        for line in f:
            p = line.split()
            if len(p) >= 2:
                d[p[0]] = d.get(p[0], 0) + int(p[1])
    return d


def load_wordfreq(data):
    d = {}
    with open(os.path.join(data, "wordfreq_zh_large.tsv"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            w, p = line.rstrip("\n").split("\t")
            d[w] = max(1, round(float(p) * 1e9))
    return d


def load_cedict(data):
    """Simplified headwords; no frequencies, so every word gets count 1."""
    d = {}
    with open(os.path.join(data, "cedict_ts.u8"), encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.split(" ", 2)
            if len(parts) >= 2:
                d[parts[1]] = 1
    return d


def load_ours(path):
    d = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                w, freq, _ = line.rstrip("\n").split("\t")
                d[w] = int(freq)
    return d


def segment(text, d, logtotal, maxlen):
    n = len(text)
    best = [(0.0, n)] * (n + 1)
    floor = -logtotal - 2.0
    for k in range(n - 1, -1, -1):
        b = (floor + best[k + 1][0], k + 1)
        for e in range(k + 2, min(n, k + maxlen) + 1):
            f = d.get(text[k:e])
            if f:
                s = math.log(f) - logtotal + best[e][0]
                if s > b[0]:
                    b = (s, e)
        f = d.get(text[k])
        if f:
            s = math.log(f) - logtotal + best[k + 1][0]
            if s > b[0]:
                b = (s, k + 1)
        best[k] = b
    out, k = [], 0
    while k < n:
        e = best[k][1]
        out.append(text[k:e])
        k = e
    return out


def measure(name, d, trad, gold, general):
    n_rare1 = sum(1 for w in d if len(w) == 1 and is_han(w) and w not in general)
    size = sum(len(w.encode()) + 8 for w in d)
    n_trad = sum(1 for w in d if any(c in trad for c in w))
    n_nonhan = sum(1 for w in d if not all(is_han(c) for c in w))
    n_digit_latin = sum(1 for w in d if any(c.isascii() and c.isalnum() or unicodedata.category(c) == "Nd" for c in w))
    n_nfc = sum(1 for w in d if unicodedata.normalize("NFC", w) != w)
    total = sum(d.values())
    logtotal = math.log(total)
    maxlen = 16
    han = in_word = oov_tok = han_tok = 0
    oov_chars = 0
    for text in gold:
        # segment runs of Han characters only
        run = ""
        for c in text + "\0":
            if is_han(c):
                run += c
                continue
            if run:
                for t in segment(run, d, logtotal, maxlen):
                    han += len(t)
                    han_tok += 1
                    if len(t) >= 2:
                        in_word += len(t)
                    elif t not in d:
                        oov_tok += 1
                        oov_chars += 1
                run = ""
    print(f"| {name} | {len(d):,} | {size/1e6:.1f} MB | {n_trad:,} ({100*n_trad/len(d):.1f}%) | "
          f"{n_nonhan:,} ({100*n_nonhan/len(d):.1f}%) | {n_digit_latin:,} | {n_nfc} | {n_rare1:,} | "
          f"{100*in_word/han:.1f}% | {100*oov_chars/han:.2f}% |")


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "../shared/data"
    dev = sys.argv[2] if len(sys.argv) > 2 else os.path.join(data, "..", "dev-ocr")
    with open(os.path.join(data, "unihan_tghz2013_8105.tsv"), encoding="utf-8") as f:
        general = {l.split("\t")[0] for l in f if not l.startswith("#")}
    # Same definition as the build script: the 8105 table's characters are
    # standard simplified characters even when OpenCC converts them (苧, 薳).
    trad = load_ts(data) - general
    gold = []
    for p in sorted(glob.glob(os.path.join(dev, "*.tsv"))):
        with open(p, encoding="utf-8") as f:
            header = f.readline().rstrip("\n").split("\t")
            gi = header.index("gold")
            for line in f:
                gold.append(line.rstrip("\n").split("\t")[gi])
    print(f"gold sentences: {len(gold)}, Han chars: {sum(1 for t in gold for c in t if is_han(c))}")
    print("| list | entries | approx bytes | entries with traditional-only chars | entries with non-Han chars |"
          " with digits/Latin | not NFC | single chars outside the 8105 table | gold Han chars inside a ≥2-char word | gold Han chars OOV |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, loader in [("jieba dict.txt", load_jieba), ("wordfreq large_zh", load_wordfreq),
                         ("CC-CEDICT (simplified headwords, uniform freq)", load_cedict)]:
        measure(name, loader(data), trad, gold, general)
    ours = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "dictionaries", "words.tsv")
    if os.path.exists(ours):
        measure("dictionaries/words.tsv (jieba cleaned)", load_ours(ours), trad, gold, general)


if __name__ == "__main__":
    main()
