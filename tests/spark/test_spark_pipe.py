#!/usr/bin/env python3
"""End to end: zhclean's JSON Lines mode as a streaming filter under Spark.

Generates a corpus (tests/spark/corpus.py), cleans it once with a
single-process `zhclean fix DIR --out OUT`, and once with PySpark in local
mode (`local[2]`, loopback only, UI off): documents are read into a
DataFrame with the file name as id, turned into `{"id","text"}` JSON,
piped through the binary (shipped with `SparkContext.addFile`) with
`RDD.pipe`, and the cleaned corpus is written with `saveAsTextFile`. A
non-JSON line and a JSON line without `text` are mixed into the piped RDD.

Checks, for the default tier and for `--apply review`: the Spark text equals
the single-process file byte for byte, document for document; one output
record per input record, in input order; the bad lines come back as error
objects and every other record succeeds. If GNU `parallel` is on PATH, the
README's `parallel --pipe -k` line is checked against `fix --out` as well.

The same comparison runs under Spark's Scala/Java `RDD.pipe` (PipedRDD,
which fails the task when the subprocess exits non-zero): PipeDriver.java
is compiled with javac against the pinned pyspark's jars and run with its
`spark-submit`; the corpus has suggest-tier findings, so this checks that
record mode exits 0 when every record was answered.

Run by scripts/spark-test.sh:  python tests/spark/test_spark_pipe.py BINARY
(the binary must be named `zhclean`: it is looked up by that name).
"""

import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import corpus  # noqa: E402

BAD_LINES = ["this line is not JSON {", '{"id": "no-text", "body": "x"}']
TIERS = [[], ["--apply", "review"]]


def single_process(binary, src, out, tier):
    """`zhclean fix SRC --out OUT`; returns {file name: cleaned bytes}."""
    cmd = [str(binary), "fix", str(src), "--out", str(out), "--no-config", "-q"]
    proc = subprocess.run(cmd + tier, capture_output=True)
    # 0 = nothing pending, 1 = findings left unapplied; 2 = an error.
    if proc.returncode not in (0, 1):
        raise AssertionError(f"{cmd + tier} exited {proc.returncode}: {proc.stderr!r}")
    # The run manifest (`.zhclean-manifest.jsonl`, for resuming) is not a document.
    return {
        p.name: p.read_bytes()
        for p in sorted(Path(out).iterdir())
        if not p.name.startswith(".zhclean-")
    }


def start_spark():
    """A quiet local[2] session bound to the loopback interface."""
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    # conf/log4j2.properties: Spark logs errors only.
    os.environ["SPARK_CONF_DIR"] = str(HERE / "conf")
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("zhclean-spark-pipe-test")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def records(spark, src):
    """The folder as an RDD of `{"id": file name, "text": content}` lines."""
    from pyspark.sql import functions as F

    docs = spark.read.text(str(src), wholetext=True).select(
        F.element_at(F.split(F.input_file_name(), "/"), -1).alias("id"),
        F.col("value").alias("text"),
    )
    return docs.select(F.to_json(F.struct("id", "text"))).rdd.map(lambda row: row[0])


def with_bad_lines(rdd):
    """Insert BAD_LINES after the third record of the first partition."""

    def inject(index, it):
        for n, line in enumerate(it):
            if index == 0 and n == 3:
                yield from BAD_LINES
            yield line

    return rdd.mapPartitionsWithIndex(inject, preservesPartitioning=True)


def pipe_through_zhclean(sc, rdd, tier):
    """`rdd.pipe` through the binary shipped with `sc.addFile`.

    The command is resolved through PATH: on the driver's side (local mode)
    the shipped file is in SparkFiles' root directory; on a cluster's
    executors it is in the working directory (`.`). PySpark's `pipe` gives
    the child process only the `env` passed here.
    """
    from pyspark import SparkFiles

    cmd = shlex.join(["zhclean", "fix", "--format", "jsonl", "--no-config", *tier, "-"])
    env = {"PATH": SparkFiles.getRootDirectory() + os.pathsep + "."}
    return rdd.pipe(cmd, env=env)


def check_tier(spark, binary, src, work, tier):
    """Run both ways with one tier; return the number of checks passed."""
    name = "-".join(tier) or "default"
    expected = single_process(binary, src, work / f"single{name}", tier)
    inputs = with_bad_lines(records(spark, src)).cache()
    in_lines = inputs.collect()
    out_dir = work / f"spark{name}"
    pipe_through_zhclean(spark.sparkContext, inputs, tier).saveAsTextFile(
        out_dir.as_uri()
    )
    parts = sorted(out_dir.glob("part-*"))
    out_lines = [
        line for p in parts for line in p.read_bytes().decode("utf-8").split("\n") if line
    ]
    outputs = [json.loads(line) for line in out_lines]
    passed = 0

    # One output record per input record, in input order.
    assert len(outputs) == len(in_lines), (len(outputs), len(in_lines))
    in_ids = [json.loads(l)["id"] if l.startswith("{") else None for l in in_lines]
    assert [o.get("id") for o in outputs] == in_ids, "ids out of order"
    passed += 1

    # The bad lines come back as error objects; everything else succeeds.
    errors = [o for o in outputs if "error" in o]
    assert len(errors) == len(BAD_LINES), errors
    assert errors[0]["id"] is None and errors[0]["error"].startswith("invalid JSON"), errors
    assert errors[1]["id"] == "no-text" and "text" in errors[1]["error"], errors
    assert all("text" not in e for e in errors), errors
    good = [o for o in outputs if "error" not in o]
    assert all(isinstance(o["findings"], list) for o in good)
    passed += 1

    # Document for document, byte for byte, the same as one process.
    # Spark's whole-text reader yields no row for an empty file.
    originals = {p.name: p.read_bytes() for p in src.iterdir()}
    assert sorted(expected) == sorted(originals), "fix --out missed a file"
    expected = {k: v for k, v in expected.items() if originals[k]}
    got = {o["id"]: o["text"].encode("utf-8") for o in good}
    assert sorted(got) == sorted(expected), (
        sorted(set(got) ^ set(expected))[:10],
        len(got),
        len(expected),
    )
    differ = [k for k in sorted(expected) if got[k] != expected[k]]
    assert not differ, f"{len(differ)} documents differ, e.g. {differ[:5]}"
    passed += 1

    # The run really cleaned something (a test that cannot fail is a defect).
    changed = sum(1 for k, v in got.items() if v != originals[k])
    assert changed >= len(got) // 4, f"only {changed} of {len(got)} documents changed"
    passed += 1
    print(
        f"spark-pipe [{name}]: {len(good)} documents identical to `fix --out` "
        f"({changed} changed), {len(errors)} bad lines answered with errors"
    )
    return passed


def check_java_pipe(binary, src, work, tier):
    """Scala/Java `RDD.pipe` through PipeDriver.java against `fix --out`;
    returns the number of checks passed."""
    import pyspark

    name = "-".join(tier) or "default"
    expected = single_process(binary, src, work / f"single-java{name}", tier)
    jars = Path(pyspark.__file__).resolve().parent / "jars"
    classes = work / "java-classes"
    jar = work / "pipe-driver.jar"
    if not jar.exists():
        classes.mkdir(exist_ok=True)
        subprocess.run(
            ["javac", "-cp", f"{jars}/*", "-d", str(classes), str(HERE / "PipeDriver.java")],
            check=True,
        )
        subprocess.run(["jar", "cf", str(jar), "-C", str(classes), "."], check=True)
    docs = sorted(p for p in src.iterdir() if p.read_bytes().strip())
    lines = [
        json.dumps({"id": p.name, "text": p.read_bytes().decode("utf-8")}, ensure_ascii=False)
        for p in docs
    ]
    lines[3:3] = BAD_LINES
    inp, outp = work / f"java-in{name}.jsonl", work / f"java-out{name}.jsonl"
    inp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    submit = Path(sys.executable).parent / "spark-submit"
    cmd = [
        str(submit), "--master", "local[2]", "--class", "PipeDriver", str(jar),
        str(inp), str(outp), "2",
        str(binary), "fix", "--input-format", "jsonl", "--no-config", *tier, "-",
    ]
    env = dict(
        os.environ,
        # spark-submit finds Spark here (not through a `python3` on PATH).
        SPARK_HOME=str(jars.parent),
        SPARK_LOCAL_IP="127.0.0.1",
        SPARK_CONF_DIR=str(HERE / "conf"),
        # Not the PySpark gateway's: this is a plain JVM application.
        PYSPARK_SUBMIT_ARGS="",
    )
    proc = subprocess.run(cmd, capture_output=True, env=env)
    assert proc.returncode == 0, (
        f"spark-submit PipeDriver exited {proc.returncode}:\n"
        + proc.stderr.decode("utf-8", "replace")[-3000:]
    )
    outputs = [json.loads(l) for l in outp.read_text(encoding="utf-8").split("\n") if l]
    assert len(outputs) == len(lines), (len(outputs), len(lines))
    ids = [json.loads(l)["id"] if l.startswith("{") else None for l in lines]
    assert [o.get("id") for o in outputs] == ids, "ids out of order"
    errors = [o for o in outputs if "error" in o]
    assert len(errors) == len(BAD_LINES), errors
    good = [o for o in outputs if "error" not in o]
    differ = [o["id"] for o in good if o["text"].encode("utf-8") != expected[o["id"]]]
    assert not differ, f"{len(differ)} documents differ, e.g. {differ[:5]}"
    suggest = sum(
        1 for o in good for f in o["findings"] if f["tier"] == "suggest" and not f["applied"]
    )
    assert suggest > 0, "no suggest-tier finding left: the exit status was not tested"
    print(
        f"java-pipe [{name}]: {len(good)} documents identical to `fix --out` under "
        f"Scala/Java RDD.pipe ({suggest} suggest-tier findings left; exit 0)"
    )
    return 1


def check_parallel(binary, src, work):
    """The docs' GNU parallel line, in small blocks (several jobs), against
    `fix --out`; returns the number of checks passed (0 without parallel)."""
    if shutil.which("parallel") is None:
        print("gnu-parallel: `parallel` not on PATH, check skipped")
        return 0
    expected = single_process(binary, src, work / "single-parallel", [])
    lines = [
        json.dumps({"id": p.name, "text": p.read_bytes().decode("utf-8")}, ensure_ascii=False)
        for p in sorted(src.glob("*.txt"))
    ]
    cmd = "parallel --pipe -k --block 50k zhclean fix --format jsonl --no-config -j 1 -"
    env = dict(os.environ, PATH=f"{binary.parent}{os.pathsep}{os.environ['PATH']}")
    proc = subprocess.run(
        shlex.split(cmd), input="\n".join(lines) + "\n", capture_output=True,
        text=True, encoding="utf-8", env=env,
    )
    # Split on "\n" only: str.splitlines() also splits at U+2028 and U+0085,
    # which serde_json leaves unescaped inside strings.
    outputs = [json.loads(line) for line in proc.stdout.split("\n") if line]
    assert [o["id"] for o in outputs] == [p.name for p in sorted(src.glob("*.txt"))]
    differ = [o["id"] for o in outputs if o["text"].encode("utf-8") != expected[o["id"]]]
    assert not differ, f"{len(differ)} documents differ, e.g. {differ[:5]}"
    print(f"gnu-parallel: {len(outputs)} documents identical to `fix --out`")
    return 1


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: test_spark_pipe.py PATH/TO/zhclean")
    binary = Path(sys.argv[1]).resolve()
    passed = failed = 0
    work = Path(tempfile.mkdtemp(prefix="zhclean-spark-"))
    spark = None
    try:
        src = work / "corpus"
        names = corpus.generate(src, ROOT / "seeds")
        assert len(names) >= 200, len(names)
        try:
            passed += check_parallel(binary, src, work)
        except Exception:  # noqa: BLE001 - count it, go on, report at the end
            traceback.print_exc()
            failed += 1
        spark = start_spark()
        spark.sparkContext.addFile(str(binary))
        for tier in TIERS:
            try:
                passed += check_tier(spark, binary, src, work, tier)
            except Exception:  # noqa: BLE001 - count it, go on, report at the end
                traceback.print_exc()
                failed += 1
        spark.stop()
        spark = None
        for tier in TIERS:
            try:
                passed += check_java_pipe(binary, src, work, tier)
            except Exception:  # noqa: BLE001 - count it, go on, report at the end
                traceback.print_exc()
                failed += 1
    finally:
        if spark is not None:
            spark.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"spark: {passed} passed, {failed} failed")
    sys.exit(1 if failed or not passed else 0)


if __name__ == "__main__":
    main()
