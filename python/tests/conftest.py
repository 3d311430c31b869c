"""Shared fixtures: the CLI binary the package is compared with, and the texts.

``ZHCLEAN_BIN`` names the ``zhclean`` binary (``scripts/python-test.sh`` builds the release one); without it
``target/release/zhclean`` of this checkout is used. The generated records come from
``tests/spark/corpus.py`` (the Spark test's corpus: seed paragraphs with synthetic OCR damage, plus its
edge cases), 1,000 documents, deterministic.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests" / "spark"))
import corpus  # noqa: E402

N_GENERATED = 1000


@pytest.fixture(scope="session")
def zhclean_bin() -> str:
    b = os.environ.get("ZHCLEAN_BIN") or str(ROOT / "target" / "release" / "zhclean")
    if not Path(b).is_file():
        pytest.fail(f"no zhclean binary at {b}: run `cargo build --release` or set ZHCLEAN_BIN")
    return b


def seed_texts() -> list[str]:
    """The seed pages, as record mode gets them: the bytes decoded, CRLF kept."""
    return [p.read_bytes().decode("utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def generated_texts(n: int = N_GENERATED, seed: int = 18) -> list[str]:
    rng = random.Random(seed)
    paras = corpus.seed_paragraphs(ROOT / "seeds")
    texts = [corpus.document(rng, paras) for _ in range(n - len(corpus.EDGE_CASES))]
    texts.extend(corpus.EDGE_CASES.values())
    return texts


@pytest.fixture(scope="session")
def seeds() -> list[str]:
    texts = seed_texts()
    assert len(texts) == 5
    return texts


@pytest.fixture(scope="session")
def generated() -> list[str]:
    texts = generated_texts()
    assert len(texts) == N_GENERATED
    return texts


def cli_records(binary: str, texts: list[str], *args: str) -> list[dict]:
    """``zhclean fix --input-format jsonl --no-config ARGS -`` on ``texts``; the output records in order."""
    lines = "".join(
        json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in enumerate(texts)
    )
    proc = subprocess.run(
        [binary, "fix", "--input-format", "jsonl", "--no-config", *args, "-"],
        input=lines.encode("utf-8"),
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    # Split on "\n" only: the output keeps U+2028 and friends unescaped.
    out = [json.loads(line) for line in proc.stdout.split(b"\n") if line]
    assert [r["id"] for r in out] == list(range(len(texts)))
    return out


def cli_error(binary: str, *args: str) -> str:
    """The message of a CLI run that must fail with exit 2, without ``zhclean: error: ``."""
    proc = subprocess.run(
        [binary, "fix", "--input-format", "jsonl", "--no-config", *args, "-"],
        input=b"",
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 2, proc
    err = proc.stderr.decode().strip()
    prefix = "zhclean: error: "
    assert err.startswith(prefix), err
    return err[len(prefix):]
