#!/usr/bin/env python3
"""Per-engine figures of pair TSVs (columns read by header name; `#` lines skipped).

For each file and engine: rows, gold characters, CER (Levenshtein edits / gold chars), share of
rows with at least one error, and the fonts. With OUT.stats.json beside a file (written by
make_pairs.py), also the dropped rows and seconds per sentence.

Usage: scripts/ocr_pairs/summarize.py PAIRS.tsv [PAIRS.tsv ...]   (Markdown table on stdout)
"""
import collections
import csv
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from make_pairs import cer  # noqa: E402

csv.field_size_limit(10**8)


def main():
    print("| file | engine | rows | gold chars | CER | rows with errors | dropped (empty / CER>0.5) | s per sentence |")
    print("|---|---|---|---|---|---|---|---|")
    for path in sys.argv[1:]:
        lines = [line for line in open(path, encoding="utf-8") if not line.startswith("#")]
        per = collections.defaultdict(lambda: [0, 0, 0.0, 0])
        for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            e = per[r.get("engine", "tesseract")]
            c = cer(r["gold"], r["ocr"])
            e[0] += 1
            e[1] += len(r["gold"])
            e[2] += c * len(r["gold"])
            e[3] += c > 0
        stats = {}
        for sp in (path + ".stats.json", path.rsplit(".", 1)[0] + ".stats.json"):
            if os.path.exists(sp):
                stats = json.load(open(sp))["engines"]
        for engine, (n, chars, edits, wrong) in sorted(per.items()):
            st = stats.get(engine, {})
            drop = f"{st['dropped_empty']} / {st['dropped_cer']}" if st else "-"
            sec = st.get("sec_per_sentence", "-")
            print(f"| {os.path.basename(path)} | {engine} | {n:,} | {chars:,} | {edits / max(1, chars):.1%} "
                  f"| {wrong / max(1, n):.0%} | {drop} | {sec} |")


if __name__ == "__main__":
    main()
