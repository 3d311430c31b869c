#!/usr/bin/env bash
# Side-by-side runs on the same text against what users would use instead
# (issue 6): segmentation (jieba Python, jieba-rs), punctuation normalization
# (the autocorrect crate), pycorrector (where it runs offline), and zhclean end
# to end. One thread each; rounds interleaved; the fastest round is reported.
#
# Usage: scripts/compare/run.sh [ROUNDS]        (default 5)
# Environment: DEV_OCR (default ../shared/dev-ocr), SEEDS (default seeds/),
#   VENV (default /tmp/zhclean-compare-venv), ZHCLEAN (binary; default: built
#   here), KEEP=1 (keep the temp directory with the corpus and logs),
#   SKIP_PYCORRECTOR=1 (its install pulls torch, about 6 GB).
# See scripts/compare/README.md for what is measured and the caveats.
set -uo pipefail # no -e: a tool that is unavailable is skipped with a message

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
rounds="${1:-5}"
dev="${DEV_OCR:-$root/../shared/dev-ocr}"
seeds="${SEEDS:-$root/seeds}"
venv="${VENV:-/tmp/zhclean-compare-venv}"
work="$(mktemp -d /tmp/zhclean-compare.XXXXXX)"
if [ -z "${KEEP:-}" ]; then trap 'rm -rf "$work"' EXIT; else echo "keeping $work"; fi
results="$work/results.tsv"
: >"$results"
say() { printf '\n== %s\n' "$*"; }
skip() { printf 'SKIPPED: %s\n' "$*"; }

say "machine"
date -u
echo "nproc: $(nproc)"
lscpu | head -n 15
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
rustc -V
python3 -V

say "corpus (seed pages + dev-ocr gold + dev-ocr OCR, one temp file)"
python3 "$here/make_corpus.py" "$seeds" "$dev" "$work/corpus.txt" "$work/gold.txt" || exit 2
corpus="$work/corpus.txt"
wc -lc "$corpus"
printf '国务院常务会议今天召开，研究部署进一步改善营商环境的举措。\n' >"$work/one.txt"

say "build (release, CARGO_TARGET_DIR=$root/target)"
export CARGO_TARGET_DIR="$root/target"
if [ -z "${ZHCLEAN:-}" ]; then
  cargo build --release --quiet --manifest-path "$root/Cargo.toml" || exit 2
fi
zhclean="${ZHCLEAN:-$root/target/release/zhclean}"
"$zhclean" --version
seg_rs="" ac_rs=""
if cargo build --release --quiet --manifest-path "$root/scripts/dict_vs_jieba/Cargo.toml"; then
  seg_rs="$CARGO_TARGET_DIR/release/dict_vs_jieba"
else skip "dict_vs_jieba (jieba-rs) did not build"; fi
if cargo build --release --quiet --manifest-path "$here/autocorrect_vs_zhclean/Cargo.toml"; then
  ac_rs="$CARGO_TARGET_DIR/release/autocorrect_vs_zhclean"
else skip "autocorrect_vs_zhclean did not build"; fi

say "python venv $venv"
py=""
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
if "$venv/bin/pip" install -q jieba; then
  py="$venv/bin/python"
  "$py" -c 'import jieba; print("jieba", jieba.__version__)'
else skip "jieba (Python): pip install failed"; fi

say "in-process throughput, $rounds interleaved rounds (one thread each)"
for r in $(seq "$rounds"); do
  echo "round $r, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  # dict_vs_jieba: 1 outer round = fastest of 3 runs of each measurement.
  [ -n "$seg_rs" ] && "$seg_rs" "$corpus" 1 >"$work/seg_rs.log"
  [ -n "$py" ] && "$py" "$here/jieba_py.py" "$corpus" 1 >"$work/seg_py.log"
  [ -n "$ac_rs" ] && SHOW=6 "$ac_rs" "$corpus" "$dev" 3 >"$work/ac.log"
  cat "$work"/seg_rs.log "$work"/seg_py.log "$work"/ac.log 2>/dev/null | grep '^RESULT' >>"$results"
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
say "last round, segmentation"
grep -hv '^RESULT' "$work"/seg_rs.log "$work"/seg_py.log 2>/dev/null
say "last round, normalization (and what each tool changes on dev-ocr)"
grep -v '^RESULT' "$work/ac.log" 2>/dev/null

say "pycorrector"
if [ -n "${SKIP_PYCORRECTOR:-}" ]; then
  skip "pycorrector (SKIP_PYCORRECTOR set)"
elif timeout 900 "$venv/bin/pip" install -q pycorrector torch kenlm; then
  # The hub client retries a failed DNS lookup for minutes; offline mode fails
  # at once with the same "couldn't connect to huggingface.co" error.
  (cd "$work" && HF_HUB_OFFLINE=1 timeout 600 "$venv/bin/python" "$here/pycorrector_try.py" "$corpus" "$dev" \
    2>"$work/pycorrector.err" | tee "$work/pycorrector.log")
  grep '^RESULT' "$work/pycorrector.log" >>"$results"
else skip "pycorrector: pip install pycorrector torch kenlm failed or timed out"; fi

say "CLI runs with hyperfine (wall time, includes process start-up)"
hf=()
if command -v hyperfine >/dev/null; then
  norm="N101,N102,N103,N104,N105,P201,P202,P203,W301,W302,W303"
  text="$norm,R401,R402,R403,R404,S501,F601,F602,C701"
  hyperfine -N -i --warmup 2 --runs 20 --export-json "$work/hf_startup.json" \
    "$zhclean fix --no-config -q $work/one.txt" \
    "$zhclean explain --list"
  hyperfine -N -i --warmup 1 --runs "$((rounds < 3 ? 3 : rounds))" --export-json "$work/hf_fix.json" \
    "$zhclean fix --no-config -q --only $norm $corpus" \
    "$zhclean fix --no-config -q --only $text $corpus" \
    "$zhclean fix --no-config -q $corpus"
  seg_cmds=("$zhclean dict segment < $corpus")
  [ -n "$py" ] && seg_cmds+=("$py -m jieba -n -q $corpus" "$py -m jieba -q $corpus")
  hyperfine -i --warmup 1 --runs "$((rounds < 3 ? 3 : rounds))" --export-json "$work/hf_seg.json" "${seg_cmds[@]}"
  hf=("$work/hf_startup.json" "$work/hf_fix.json" "$work/hf_seg.json")
else
  skip "hyperfine not installed (apt-get install -y hyperfine); one timed run instead"
  time "$zhclean" fix --no-config -q "$corpus" >/dev/null
fi

say "summary: fastest of all rounds; corpus $(wc -c <"$corpus") bytes"
python3 "$here/summarize.py" "$results" "${hf[@]}"
