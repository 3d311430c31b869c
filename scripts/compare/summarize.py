#!/usr/bin/env python3
"""Summarize run.sh results: fastest of all rounds per measurement.

Usage: summarize.py RESULTS.tsv [HYPERFINE.json ...]

RESULTS.tsv holds `RESULT<TAB>name<TAB>bytes<TAB>seconds` lines from the
bench programs (several rounds each); hyperfine JSON exports are read for
their `min` times. Prints a Markdown table: MB/s of the fastest round, and
ratios against zhclean within each group.
"""
import json
import sys


def fastest(path):
    best = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4 or parts[0] != "RESULT":
                continue
            _, name, nbytes, secs = parts
            rounds = best.get(name, (int(nbytes), float("inf"), 0))
            best[name] = (int(nbytes), min(rounds[1], float(secs)), rounds[2] + 1)
    return best


def main():
    best = fastest(sys.argv[1])
    print("| measurement | input bytes | fastest | MB/s | rounds |")
    print("|---|---|---|---|---|")
    for name, (nbytes, secs, n) in best.items():
        print(f"| {name} | {nbytes:,} | {secs * 1e3:.1f} ms | {nbytes / secs / 1e6:.2f} | {n} |")
    pairs = [
        ("zhclean Lexicon::segment", "jieba (Python) lcut HMM=False"),
        ("zhclean Lexicon::segment", "jieba (Python) lcut (HMM, default)"),
        ("zhclean Lexicon::segment", "jieba-rs cut (no HMM)"),
        ("zhclean Lexicon::segment", "jieba-rs cut (HMM)"),
        ("zhclean normalization (safe), whole text", "autocorrect::format, whole text"),
        ("zhclean normalization (safe), line by line", "autocorrect::format, line by line"),
    ]
    print("\n| zhclean | other | speed ratio zhclean / other |")
    print("|---|---|---|")
    for ours, theirs in pairs:
        if ours in best and theirs in best:
            a, b = best[ours], best[theirs]
            ratio = (a[0] / a[1]) / (b[0] / b[1])
            print(f"| {ours} | {theirs} | {ratio:.2f} |")
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            runs = json.load(f)["results"]
        print(f"\nhyperfine ({path.rsplit('/', 1)[-1]}):\n")
        print("| command | min | mean ± σ | runs |")
        print("|---|---|---|---|")
        for r in runs:
            print(f"| `{r['command']}` | {r['min'] * 1e3:.1f} ms | "
                  f"{r['mean'] * 1e3:.1f} ± {r['stddev'] * 1e3:.1f} ms | {len(r['times'])} |")


if __name__ == "__main__":
    main()
