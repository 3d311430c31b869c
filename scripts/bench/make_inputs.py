#!/usr/bin/env python3
"""Build the benchmark inputs of scripts/bench/run.sh.

Sources (all in this repository, permissively licensed; see eval/README.md):
  docs  eval/clean/docs_heldout.txt and the gold sides of eval/ocr/*.tsv:
        clean documentation sentences (debian-handbook, LibreOffice and GNOME
        help, manpages-zh)
  ocr   the OCR sides of eval/ocr/*.tsv: the same kind of sentences as read
        by Tesseract and RapidOCR from damaged images

Kinds of input:
  news  news-like layout: paragraphs of 3-8 clean sentences, one a line
  docs  documentation: one clean sentence a line
  ocr   OCR-noisy: one OCR line a line

The sources hold about 0.6 MB of text, so larger inputs repeat their
sentences (reshuffled, so paragraphs rarely repeat): the engine's memos make
repeated text cheaper than new text of the same kind.

usage: make_inputs.py OUTDIR [SIZES_MB...]   (default sizes: 1 20 100)
Writes OUTDIR/{news,docs,ocr}-{N}mb.txt, OUTDIR/news-line-20mb.txt (the
20 MB news input as one line) and OUTDIR/small/ (2,000 files of ~10 KB of
news text).
"""
import csv
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
MB = 1 << 20


def sentences():
    docs, ocr = [], []
    with open(os.path.join(ROOT, "eval/clean/docs_heldout.txt"), encoding="utf-8") as f:
        docs += [l.strip() for l in f if l.strip()]
    for name in ("heldout_id.tsv", "ood.tsv"):
        with open(os.path.join(ROOT, "eval/ocr", name), encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
        docs += sorted({r["gold"].strip() for r in rows if r["gold"].strip()})
        ocr += [r["ocr"].strip() for r in rows if r["ocr"].strip()]
    return docs, ocr


def lines(kind, docs, ocr, rng):
    """Endless lines of one kind."""
    while True:
        if kind == "ocr":
            pool = ocr[:]
            rng.shuffle(pool)
            yield from pool
        elif kind == "docs":
            pool = docs[:]
            rng.shuffle(pool)
            yield from pool
        else:
            pool = docs[:]
            rng.shuffle(pool)
            i = 0
            while i < len(pool):
                n = rng.randint(3, 8)
                yield "".join(pool[i : i + n])
                i += n


def write(path, kind, size, docs, ocr, seed, sep="\n"):
    rng = random.Random(seed)
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for l in lines(kind, docs, ocr, rng):
            f.write(l)
            f.write(sep)
            n += len(l.encode()) + len(sep.encode())
            if n >= size:
                break
        if sep != "\n":
            f.write("\n")


def main():
    out = sys.argv[1]
    sizes = [int(s) for s in sys.argv[2:]] or [1, 20, 100]
    os.makedirs(out, exist_ok=True)
    docs, ocr = sentences()
    for kind in ("news", "docs", "ocr"):
        for mb in sizes:
            write(os.path.join(out, f"{kind}-{mb}mb.txt"), kind, mb * MB, docs, ocr, seed=mb)
    # the same text as the 20 MB news input, as one line
    write(os.path.join(out, "news-line-20mb.txt"), "news", 20 * MB, docs, ocr, seed=20, sep="")
    small = os.path.join(out, "small")
    os.makedirs(small, exist_ok=True)
    rng = random.Random(7)
    it = lines("news", docs, ocr, rng)
    for k in range(2000):
        with open(os.path.join(small, f"{k:04}.txt"), "w", encoding="utf-8") as f:
            n = 0
            while n < 10_000:
                l = next(it) + "\n"
                f.write(l)
                n += len(l.encode())


if __name__ == "__main__":
    main()
