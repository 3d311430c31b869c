"""Issue 18's figures: fix_batch throughput vs the CLI's record mode, import time, wheel size.

    python python/bench/bench.py [--docs N] [--repeat R] [--wheel PATH]

Run it with the virtual environment where zhclean is installed (scripts/python-test.sh makes
.venv-python/ with a release build). ZHCLEAN_BIN names the CLI (default target/release/zhclean). The
records are the test corpus (tests/spark/corpus.py: seed paragraphs with synthetic OCR damage), N
documents. Every figure is the best of R wall-clock runs; the CLI's time includes its JSON parsing and
writing, the package's its str conversions and Result objects (and, in the `+ to_dict` row, turning
every finding into a dict).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "tests"))
import conftest  # noqa: E402  (the test corpus)

import zhclean  # noqa: E402


def best(f, repeat, who=resource.RUSAGE_SELF):
    """(best wall-clock seconds, CPU seconds (user + sys) of that run) over `repeat` runs."""
    runs = []
    for _ in range(repeat):
        r0 = resource.getrusage(who)
        t = time.perf_counter()
        f()
        wall = time.perf_counter() - t
        r1 = resource.getrusage(who)
        runs.append((wall, (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)))
    return min(runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=5000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--wheel", help="a built wheel, to state its size")
    a = ap.parse_args()
    binary = os.environ.get("ZHCLEAN_BIN") or str(ROOT / "target" / "release" / "zhclean")
    texts = conftest.generated_texts(a.docs)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as f:
        for i, t in enumerate(texts):
            f.write(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n")
        jsonl = f.name
    rows = []

    def cli(threads):
        args = [binary, "fix", "--input-format", "jsonl", "--no-config", "--apply", "review"]
        if threads:
            args += ["-j", str(threads)]
        with open(jsonl, "rb") as inp:
            subprocess.run([*args, "-"], stdin=inp, stdout=subprocess.DEVNULL, check=True)

    ncpu = os.cpu_count() or 1
    for threads in (None, 1):
        label = f"{ncpu} (all cores)" if threads is None else "1"
        t_cli = best(lambda: cli(threads), a.repeat, resource.RUSAGE_CHILDREN)
        c = zhclean.Cleaner(apply="review", threads=threads)
        c.fix(texts[0])  # warm: the engine's lazy tables
        t_py = best(lambda: [r.text for r in c.fix_batch(texts)], a.repeat)
        t_dict = best(lambda: [r.to_dict() for r in c.fix_batch(texts)], a.repeat)
        rows.append((label, t_cli, t_py, t_dict))
    os.unlink(jsonl)

    print(f"{len(texts)} records, {mb:.2f} MB, apply=review, best of {a.repeat}\n")
    print("wall-clock seconds (throughput), CPU seconds (user + sys) of that run in brackets\n")
    print("| threads | CLI record mode | fix_batch | fix_batch + to_dict | fix_batch throughput vs CLI |")
    print("|---|---|---|---|---|")
    for label, (w_cli, c_cli), (w_py, c_py), (w_dict, c_dict) in rows:
        print(
            f"| {label} | {w_cli:.2f} s ({mb / w_cli:.2f} MB/s) [{c_cli:.2f}] "
            f"| {w_py:.2f} s ({mb / w_py:.2f} MB/s) [{c_py:.2f}] "
            f"| {w_dict:.2f} s ({mb / w_dict:.2f} MB/s) [{c_dict:.2f}] | {100 * (w_cli / w_py - 1):+.0f}% |"
        )

    imports = []
    for _ in range(10):
        out = subprocess.run(
            [sys.executable, "-c", "import time; t = time.perf_counter(); import zhclean; print(time.perf_counter() - t)"],
            capture_output=True, text=True, check=True,
        ).stdout
        imports.append(float(out) * 1000)
    first_fix = subprocess.run(
        [sys.executable, "-c",
         "import time; t = time.perf_counter(); import zhclean; zhclean.fix('今天,明天。'); print(time.perf_counter() - t)"],
        capture_output=True, text=True, check=True,
    ).stdout
    print(f"\nimport zhclean: median {statistics.median(imports):.1f} ms, min {min(imports):.1f} ms (10 fresh processes)")
    print(f"import + first fix (builds the engine): {float(first_fix) * 1000:.0f} ms")
    so = Path(zhclean._zhclean.__file__)
    print(f"native module: {so.stat().st_size / 1e6:.1f} MB")
    if a.wheel:
        print(f"wheel {Path(a.wheel).name}: {Path(a.wheel).stat().st_size / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
