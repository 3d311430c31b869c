#!/usr/bin/env bash
# Compare segmentation throughput of zhclean's Lexicon::segment and jieba-rs
# (cut without and with HMM) on the gold side of ../shared/dev-ocr, or on the
# file given (a plain text file is taken line by line). Optional second
# argument: interleaved rounds (default 10, each the fastest of 3 runs).
# Builds in release mode into the main target/ directory to share artifacts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
CARGO_TARGET_DIR="$root/target" cargo run --release --quiet \
  --manifest-path "$here/Cargo.toml" -- "${1:-$root/../shared/dev-ocr}" ${2:+"$2"}
