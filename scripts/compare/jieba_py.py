#!/usr/bin/env python3
"""Segmentation throughput of jieba (Python), line by line, on a text file.

Usage: jieba_py.py CORPUS.txt [ROUNDS]

Times jieba.lcut(line, HMM=False) and jieba.lcut(line) (HMM on, the default)
over every line, fastest of ROUNDS rounds (interleaved), one thread. Prints
`RESULT name bytes seconds` lines for run.sh, and the dictionary load time.
"""
import logging
import sys
import time


def main():
    path = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with open(path, encoding="utf-8") as f:
        text = f.read()
    lines = text.splitlines()
    nbytes = sum(len(l.encode("utf-8")) for l in lines)  # as dict_vs_jieba: line bodies

    t = time.perf_counter()
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    print(f"jieba {jieba.__version__}: import + initialize {1e3 * (time.perf_counter() - t):.0f} ms")

    runs = {
        "jieba (Python) lcut HMM=False": lambda: sum(len(jieba.lcut(l, HMM=False)) for l in lines),
        "jieba (Python) lcut (HMM, default)": lambda: sum(len(jieba.lcut(l)) for l in lines),
    }
    best = {name: float("inf") for name in runs}
    tokens = {}
    for _ in range(rounds):
        for name, run in runs.items():
            t = time.perf_counter()
            tokens[name] = run()
            best[name] = min(best[name], time.perf_counter() - t)
    for name, secs in best.items():
        print(f"{name:40} {nbytes / secs / 1e6:8.2f} MB/s  ({tokens[name]} tokens)")
        print(f"RESULT\t{name}\t{nbytes}\t{secs:.6f}")


if __name__ == "__main__":
    main()
