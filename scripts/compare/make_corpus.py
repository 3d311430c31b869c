#!/usr/bin/env python3
"""Write the comparison corpus: the seed pages, then the gold side, then the
OCR side of ../shared/dev-ocr/*.tsv, one sentence per line.

Usage: make_corpus.py SEEDS_DIR DEV_OCR_DIR OUT_TXT [OUT_GOLD_TXT]

OUT_GOLD_TXT (optional) gets the gold side alone, for the false-change count.
Generated text is never committed; run.sh writes it under a temp directory.
"""
import csv
import pathlib
import sys


def dev_ocr_rows(dev_dir):
    for tsv in sorted(pathlib.Path(dev_dir).glob("*.tsv")):
        with open(tsv, encoding="utf-8", newline="") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                yield row["gold"], row["ocr"]


def main():
    seeds, dev, out = sys.argv[1:4]
    gold_out = sys.argv[4] if len(sys.argv) > 4 else None
    parts = []
    for page in sorted(pathlib.Path(seeds).glob("*.txt")):
        text = page.read_text(encoding="utf-8")
        parts.append(text if text.endswith("\n") else text + "\n")
    rows = list(dev_ocr_rows(dev))
    gold = "".join(g + "\n" for g, _ in rows)
    ocr = "".join(o + "\n" for _, o in rows)
    pathlib.Path(out).write_text("".join(parts) + gold + ocr, encoding="utf-8")
    if gold_out:
        pathlib.Path(gold_out).write_text(gold, encoding="utf-8")


if __name__ == "__main__":
    main()
