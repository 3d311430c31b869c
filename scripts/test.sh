#!/usr/bin/env bash
# The README's test command (what CI runs via .ci/run).
#
# Needs: a Rust toolchain (crates.io for the crates); for the Spark test
# (scripts/spark-test.sh) Java 17 with javac and jar, and python3 with venv
# (PyPI for pyspark); for the Python package's tests (scripts/python-test.sh)
# the same python3 (PyPI for maturin, pytest, pandas); for the terminal
# review test, tmux. These are checked
# first, before any build: as root with apt-get they are installed
# (openjdk-17-jdk-headless, python3-venv, tmux); otherwise the script stops
# at once and says what to install. Without tmux (not installable) the tmux
# test is skipped with a loud message; Java and venv are required.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v javac >/dev/null && command -v jar >/dev/null || missing+=(openjdk-17-jdk-headless)
python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
command -v tmux >/dev/null || missing+=(tmux)
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "test.sh: installing ${missing[*]} with apt-get" >&2
        apt-get update -qq || true
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null || true
    fi
    if ! command -v javac >/dev/null || ! command -v jar >/dev/null \
        || ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
        echo "test.sh: the Spark test needs Java 17 (javac, jar) and python3 with venv;" >&2
        echo "  install them first, e.g.: sudo apt-get install openjdk-17-jdk-headless python3-venv" >&2
        exit 2
    fi
    if ! command -v tmux >/dev/null; then
        echo "test.sh: WARNING: tmux is not installed and could not be; the terminal review test" >&2
        echo "  (tests/cli_review.rs) will be SKIPPED. Install it: sudo apt-get install tmux" >&2
    fi
fi

cargo fmt --all -- --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --locked --all-targets
cargo test --locked --doc
RUSTDOCFLAGS="-D warnings" cargo doc --locked --no-deps --lib
./scripts/spark-test.sh
# After the Spark test: its .venv-spark/ runs the package's Spark example.
./scripts/python-test.sh
