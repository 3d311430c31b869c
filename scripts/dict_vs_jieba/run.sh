#!/usr/bin/env bash
# Compare segmentation throughput of zhclean's Lexicon::segment and jieba-rs
# (cut without HMM) on the gold side of ../shared/dev-ocr (or the file given).
# Builds in release mode into the main target/ directory to share artifacts.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
CARGO_TARGET_DIR="$root/target" cargo run --release --quiet \
  --manifest-path "$here/Cargo.toml" -- "${1:-$root/../shared/dev-ocr}"
