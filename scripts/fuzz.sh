#!/usr/bin/env bash
# Run every fuzz target for a set time (default 600 s each).
#   scripts/fuzz.sh [SECONDS] [TARGET...]
# Needs cargo-fuzz (`cargo install cargo-fuzz`) and a nightly toolchain
# (or RUSTC_BOOTSTRAP=1 with stable). Crashes land in fuzz/artifacts/TARGET/;
# turn each into a regression test before fixing it. fuzz/seeds/TARGET holds
# the committed seed inputs (the first input of a run also pays for
# building the embedded lexicon and model tables under ASan, hence the 60 s
# per-input timeout); fuzz/corpus/TARGET (ignored) what the fuzzer grows.
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
secs=${1:-600}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo fuzz list)
fi
toolchain=()
if rustup toolchain list 2>/dev/null | grep -q nightly; then
  toolchain=(+nightly)
else
  export RUSTC_BOOTSTRAP=1
fi
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t" "seeds/$t"
  echo "== fuzzing $t for ${secs}s"
  cargo "${toolchain[@]}" fuzz run "$t" "corpus/$t" "seeds/$t" -- -max_total_time="$secs" -max_len=4096 -timeout=60
done
