#!/usr/bin/env bash
# The Python package's tests (python/, issue 18): builds the extension with
# maturin into .venv-python/ and runs python/tests with pytest, comparing the
# package with the release binary's record mode.
#
# Needs python3 (>= 3.9, with venv) and a Rust toolchain; maturin, pytest and
# pandas come from PyPI (python/requirements-test.txt, pinned). The virtual
# environment is created on first use and reused while the requirements are
# unchanged. The extension builds in target/python (its own workspace and
# Cargo.lock, so the root crate's builds are untouched; reused between runs).
# ZHCLEAN_BIN=PATH skips the CLI's release build and compares with that
# binary. The Spark example's test uses .venv-spark/ (scripts/spark-test.sh
# makes it) and is skipped without it.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-python
req=python/requirements-test.txt
if ! python3 -c 'import sys, venv, ensurepip; assert sys.version_info >= (3, 9)' 2>/dev/null; then
    echo "python-test: python3 >= 3.9 with venv is needed (e.g. apt-get install python3-venv)" >&2
    exit 2
fi
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req"
    echo "$want" >"$stamp"
fi

# The extension crate is its own workspace: the root's fmt and clippy do not
# see it. Clippy shares the root's target/ (most of the dependencies are
# checked there already); the release build has its own, target/python.
cargo fmt --manifest-path python/Cargo.toml -- --check
cargo clippy --manifest-path python/Cargo.toml --locked --all-targets --quiet -- -D warnings
root_target=$(realpath -m "${CARGO_TARGET_DIR:-target}")
export CARGO_TARGET_DIR="$root_target/python"
# `maturin develop` installs into the active virtual environment (editable:
# the compiled module lands in python/zhclean/).
VIRTUAL_ENV="$PWD/$venv" PATH="$PWD/$venv/bin:$PATH" \
    "$venv/bin/maturin" develop --release --locked --quiet -m python/Cargo.toml

bin=${ZHCLEAN_BIN:-}
if [ -z "$bin" ]; then
    CARGO_TARGET_DIR="$root_target" cargo build --release --locked --quiet --bin zhclean
    bin=$root_target/release/zhclean
fi

export PYTHONDONTWRITEBYTECODE=1
cd python
ZHCLEAN_BIN="$bin" exec "../$venv/bin/python" -m pytest -q -p no:cacheprovider tests
