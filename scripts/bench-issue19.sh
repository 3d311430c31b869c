#!/usr/bin/env bash
# Issue 19 timings (BENCHMARKS.md, "Issue 19"): user-correction loading,
# fixing a single huge line, and the human report against jsonl on one line
# with many findings. Uses the release build. Prints `uptime` first: wall
# times on a loaded machine wait for a core; user + sys is the CPU cost.
#   scripts/bench-issue19.sh [ZHCLEAN_BINARY]
set -euo pipefail
z=${1:-target/release/zhclean}
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
python3 - "$d" <<'PY'
import sys
d = sys.argv[1]
# 500k distinct 4-char wrong sides; the right side changes the last char.
# The same 500k strings as an allow-list and a word list.
with open(f"{d}/corr500k.tsv", "w") as f, open(f"{d}/corr40k.tsv", "w") as g, \
        open(f"{d}/allow500k.txt", "w") as a, open(f"{d}/words500k.txt", "w") as wl:
    for i in range(500000):
        w = "".join(chr(0x4E00 + ((i >> (5 * k)) & 0x1FF) + 512 * k) for k in range(4))
        line = f"{w}\t{w[:-1]}{chr(0x8000 + i % 4000)}\n"
        f.write(line)
        a.write(f"{w}\n")
        wl.write(f"{w} 5\n")
        if i < 40000:
            g.write(line)
unit = "中文内容测试Ａ"  # one full-width letter: one safe finding per unit
open(f"{d}/line20m.txt", "w").write(unit * 1000000 + "\n")   # 21 MB, 1M findings
open(f"{d}/line40k.txt", "w").write(unit * 40000 + "\n")     # 40k findings
open(f"{d}/small.txt", "w").write("中文\n")
# The same 500k pairs in a random order (a file not sorted by its wrong side).
import random
lines = open(f"{d}/corr500k.tsv").readlines()
random.Random(19).shuffle(lines)
open(f"{d}/corr500k-shuffled.tsv", "w").writelines(lines)
PY
uptime
t() { local label=$1; shift; /usr/bin/time -f "$label: %e s wall, %U s user, %S s sys, %M KB peak RSS" "$@" > /dev/null || true; }
t "load 40k corrections" "$z" check --no-config --corrections "$d/corr40k.tsv" "$d/small.txt"
t "load 500k corrections" "$z" check --no-config --corrections "$d/corr500k.tsv" "$d/small.txt"
t "load 500k corrections, shuffled" "$z" check --no-config --corrections "$d/corr500k-shuffled.tsv" "$d/small.txt"
t "load 500k allow-list terms" "$z" check --no-config --allow "$d/allow500k.txt" "$d/small.txt"
t "load 500k user words" "$z" check --no-config --dict "$d/words500k.txt" "$d/small.txt"
t "fix 21 MB line, 1M findings" "$z" fix --no-config "$d/line20m.txt"
t "check human, 40k findings on one line" "$z" check --no-config "$d/line40k.txt"
t "check jsonl, 40k findings on one line" "$z" check --no-config --format jsonl "$d/line40k.txt"
t "check human, 1M findings on one line" "$z" check --no-config "$d/line20m.txt"
t "check jsonl, 1M findings on one line" "$z" check --no-config --format jsonl "$d/line20m.txt"
: > "$d/empty.jsonl"
t "apply (no decisions) 21 MB line, 1M safe fixes" "$z" apply --no-config --decisions "$d/empty.jsonl" "$d/line20m.txt"
