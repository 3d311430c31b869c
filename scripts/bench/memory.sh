#!/usr/bin/env bash
# Issue 17 memory figures (BENCHMARKS.md, "Issue 17: memory"): peak RSS of
# `fix` and `check` in every report format on 100 MB of mixed text and on a
# 160 MB single line with millions of findings, and of record mode with one
# 50 MB record among small ones (run under a virtual-memory cap: every
# record must be answered). Uses the release build.
#   scripts/bench/memory.sh [ZHCLEAN_BINARY] [WORK_DIR]
# WORK_DIR keeps the generated inputs between runs (default: a temporary
# directory, removed at the end). MEM_ONLY=mixed|line|records runs one group;
# MEM_FORMATS (default "fix human jsonl sarif github statistics") the
# commands run on each text input. Disk: reports wait in temporary files
# (TMPDIR) until their document ends; on line160.txt that is ~10 GB for
# jsonl and ~34 GB for SARIF, one command at a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
z=${1:-$root/target/release/zhclean}
if [ -n "${2:-}" ]; then
    d=$2
    mkdir -p "$d"
else
    d=$(mktemp -d)
    trap 'rm -rf "$d"' EXIT
fi
# Virtual-memory cap (KB) for every command: a run that would pass it aborts
# instead of taking the machine down. 4 GB.
cap=${MEM_CAP_KB:-4194304}
python3 - "$d" "$root" <<'PY'
import json, os, sys
d, root = sys.argv[1], sys.argv[2]
full = str.maketrans("0123456789", "０１２３４５６７８９")
parts = [open(f"{root}/eval/clean/docs_heldout.txt", encoding="utf-8").read()]
seeds = f"{root}/seeds"
for n in sorted(os.listdir(seeds)):
    if n.endswith(".txt"):
        parts.append(open(f"{seeds}/{n}", encoding="utf-8").read().translate(full))
unit = "\n".join(parts) + "\n"
def fill(path, size, unit):
    if os.path.exists(path) and os.path.getsize(path) >= size:
        return
    with open(path, "w", encoding="utf-8") as f:
        n = 0
        while n < size:
            f.write(unit)
            n += len(unit.encode())
fill(f"{d}/mixed100.txt", 100 << 20, unit)
# one line, three half-width commas per 21 bytes: ~23 million findings
line = f"{d}/line160.txt"
if not (os.path.exists(line) and os.path.getsize(line) >= 160 << 20):
    with open(line, "w", encoding="utf-8") as f:
        f.write("中文,内容,测试," * ((160 << 20) // 21) + "\n")
# record mode: 1000 small records, one of 50 MB, 1000 small records
rec = f"{d}/records.jsonl"
if not os.path.exists(rec):
    big = unit * ((50 << 20) // len(unit.encode()) + 1)
    small = [p.strip()[:400] for p in unit.split("\n") if p.strip()][:1000]
    with open(rec, "w", encoding="utf-8") as f:
        for i, t in enumerate(small):
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
        f.write(json.dumps({"id": "big", "text": big}, ensure_ascii=False) + "\n")
        for i, t in enumerate(small):
            f.write(json.dumps({"id": 1000 + i, "text": t}, ensure_ascii=False) + "\n")
PY
t() {
    local label=$1
    shift
    local rss
    rss=$( (ulimit -v "$cap"; /usr/bin/time -f "%M %e %x" "$@" 2>&1 >/dev/null) | tail -1 || true)
    read -r kb secs code <<<"$rss"
    printf '%-44s %6s MB peak RSS  %7s s  exit %s\n' "$label" "$((kb / 1024))" "$secs" "$code"
}
group=${MEM_ONLY:-all}
for input in mixed100 line160; do
    [ "$group" = all ] || [ "$group" = "${input%%[0-9]*}" ] || continue
    f=$d/$input.txt
    for fmt in ${MEM_FORMATS:-fix human jsonl sarif github statistics}; do
        case $fmt in
        fix) t "$input: fix" "$z" fix --no-config "$f" ;;
        statistics) t "$input: check --statistics" "$z" check --no-config --statistics "$f" ;;
        *) t "$input: check --format $fmt" "$z" check --no-config --format "$fmt" "$f" ;;
        esac
    done
done
if [ "$group" = all ] || [ "$group" = records ]; then
    t "records (50 MB record among 2000)" "$z" fix --no-config --input-format jsonl "$d/records.jsonl"
    answered=$( (ulimit -v "$cap"; "$z" fix --no-config --input-format jsonl "$d/records.jsonl" 2>/dev/null || true) | wc -l)
    echo "records answered: $answered of $(wc -l <"$d/records.jsonl")"
fi
