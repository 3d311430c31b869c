#!/usr/bin/env bash
# The Python package's tests (python/, issue 18): builds the extension with
# maturin into .venv-python/ and runs python/tests with pytest, comparing the
# package with the release binary's record mode.
#
# Needs python3 (>= 3.9, with venv) and a Rust toolchain; maturin, pytest and
# pandas come from PyPI (python/requirements-test.txt, pinned). The virtual
# environment is created on first use and reused while the requirements are
# unchanged. The extension (its own workspace and Cargo.lock) builds in the
# root's target/ after the CLI's release binary: the same lock versions and
# profile, so the zhclean library and its dependencies compiled for the CLI
# are reused and only pyo3 and the extension crate are compiled (a fresh
# checkout: about 2.5 min less on 2 cores, BENCHMARKS.md "Issue 18"). The
# tests' build has the `test-hooks` feature (a marker text that panics, for
# the InternalError test); test_packaging.py also runs `pip install .` at the
# top of the checkout (a release build without it).
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
# see it. Clippy and the release builds share the root's target/.
cargo fmt --manifest-path python/Cargo.toml -- --check
cargo clippy --manifest-path python/Cargo.toml --locked --all-targets --quiet -- -D warnings
export CARGO_TARGET_DIR
CARGO_TARGET_DIR=$(realpath -m "${CARGO_TARGET_DIR:-target}")

bin=${ZHCLEAN_BIN:-}
if [ -z "$bin" ]; then
    cargo build --release --locked --quiet --bin zhclean
    bin=$CARGO_TARGET_DIR/release/zhclean
fi
# `maturin develop` installs into the active virtual environment (editable:
# the compiled module lands in python/zhclean/).
VIRTUAL_ENV="$PWD/$venv" PATH="$PWD/$venv/bin:$PATH" \
    "$venv/bin/maturin" develop --release --locked --quiet -m python/Cargo.toml \
    --features test-hooks

export PYTHONDONTWRITEBYTECODE=1
cd python
ZHCLEAN_BIN="$bin" exec "../$venv/bin/python" -m pytest -q -p no:cacheprovider tests
