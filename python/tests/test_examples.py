"""The examples in python/examples run, and give what the package gives directly."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import zhclean
from conftest import ROOT

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "examples"))


def test_datasets_batched_map(generated):
    import datasets_map

    rows = [{"id": f"doc{i}", "text": t} for i, t in enumerate(generated[:300])]
    out = datasets_map.main(rows)
    assert [r["id"] for r in out] == [r["id"] for r in rows]
    want = zhclean.Cleaner(apply="review").fix_batch(generated[:300])
    assert [r["clean"] for r in out] == [w.text for w in want]
    assert [json.loads(r["findings"]) for r in out] == [w.to_dict()["findings"] for w in want]
    assert [r["text"] for r in out] == generated[:300]  # the input column is kept


def test_pandas_column(generated):
    pd = pytest.importorskip("pandas", reason="pandas is not installed (python/requirements-test.txt has it)")
    import pandas_column

    df = pd.DataFrame({"text": generated[:200]})
    out = pandas_column.clean_column(df)
    want = zhclean.Cleaner(apply="review").fix_batch(generated[:200])
    assert out["clean"].tolist() == [w.text for w in want]
    assert out["n_findings"].tolist() == [len(w.findings) for w in want]
    assert out["text"].tolist() == generated[:200]


def test_generator_pipeline_step(generated):
    import generator_pipeline

    taken = 0

    def source():
        nonlocal taken
        for i, t in enumerate(generated[:100]):
            taken += 1
            yield {"id": i, "text": t, "metadata": {"source": "test"}}

    step = generator_pipeline.drop_empty(generator_pipeline.zhclean_step(source(), batch_size=16))
    first = next(step)
    assert taken == 16  # streams: one batch read ahead, not the whole input
    docs = [first, *step]
    want = zhclean.Cleaner().fix_batch(generated[:100])
    kept = [i for i, w in enumerate(want) if w.text.strip()]
    assert [d["id"] for d in docs] == kept
    assert [d["text"] for d in docs] == [want[i].text for i in kept]
    for d in docs:
        meta = d["metadata"]
        assert meta["source"] == "test"
        w = want[d["id"]]
        assert meta["zhclean"]["applied"] == sum(f.applied for f in w.findings)
        assert meta["zhclean"]["pending"] == [f.to_dict() for f in w.findings if not f.applied]


def test_spark_map_partitions(generated, tmp_path):
    """The mapPartitions job on local[2], with the Spark test's venv (scripts/spark-test.sh makes it)."""
    spark_python = ROOT / ".venv-spark" / "bin" / "python"
    if not spark_python.is_file():
        pytest.skip("no .venv-spark (run scripts/spark-test.sh first; scripts/test.sh does)")
    if shutil.which("java") is None:
        pytest.skip("no java on PATH (Spark needs it)")
    src = tmp_path / "corpus"
    src.mkdir()
    texts = {f"doc_{i:03d}.txt": t for i, t in enumerate(generated[:60]) if t}
    texts.update({"edge_u2028.txt": "第一句\u2028第二句,在同一行.\n", "edge_crlf.txt": "\r\n今天,明天.\r\n"})
    for name, t in texts.items():
        (src / name).write_bytes(t.encode("utf-8"))
    out = tmp_path / "out.json"
    # The package as installed for this interpreter (abi3: any CPython >= 3.9 loads it).
    env = {**os.environ, "PYTHONPATH": str(Path(zhclean.__file__).resolve().parents[1]), "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [str(spark_python), str(Path(__file__).with_name("spark_job.py")), str(src), str(out)],
        env=env,
        capture_output=True,
        timeout=600,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode()[-3000:]
    got = json.loads(out.read_text(encoding="utf-8"))
    for tier in ("safe", "review"):
        cleaner = zhclean.Cleaner(apply=tier)
        names = sorted(texts)
        assert [r["id"] for r in got[tier]] == names
        want = [{"id": n, **cleaner.fix(texts[n]).to_dict()} for n in names]
        assert got[tier] == want
