#!/usr/bin/env bash
# The README's test command: everything the tests need comes from this repo
# and crates.io.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked --all-targets
cargo test --locked --doc
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --lib
./scripts/spark-test.sh
