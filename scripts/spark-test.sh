#!/usr/bin/env bash
# End-to-end Spark test (tests/spark): zhclean's JSON Lines mode under
# PySpark's RDD.pipe, compared with a single-process `zhclean fix --out`.
#
# Needs python3 (with venv) and a Java 17 JDK (java, javac, jar) on PATH; everything else comes from
# this repo, crates.io and PyPI. The virtual environment .venv-spark/ is
# created on first use and reused while tests/spark/requirements.txt is
# unchanged. ZHCLEAN_BIN=PATH skips the release build and tests that binary.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-spark
req=tests/spark/requirements.txt
if ! command -v java >/dev/null || ! command -v javac >/dev/null || ! command -v jar >/dev/null; then
    echo "spark-test: java, javac or jar not found (Spark 3.5 needs Java 8, 11 or 17; the" >&2
    echo "  Scala/Java RDD.pipe check compiles tests/spark/PipeDriver.java): install a JDK," >&2
    echo "  e.g. apt-get install openjdk-17-jdk-headless" >&2
    exit 2
fi
if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
    echo "spark-test: python3 with venv is needed (e.g. apt-get install python3-venv)" >&2
    exit 2
fi
stamp="$venv/.requirements.sha256"
want=$(sha256sum "$req" | cut -d' ' -f1)
if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --require-hashes -r "$req"
    echo "$want" >"$stamp"
fi

bin=${ZHCLEAN_BIN:-}
if [ -z "$bin" ]; then
    cargo build --release --locked --quiet --bin zhclean
    bin=${CARGO_TARGET_DIR:-target}/release/zhclean
fi

# -u: unbuffered, so progress and Spark's messages interleave in order;
# no __pycache__ left in tests/spark.
export PYTHONDONTWRITEBYTECODE=1
exec "$venv/bin/python" -u tests/spark/test_spark_pipe.py "$bin"
