"""Clean a corpus on Spark with the Python package: one Cleaner per partition, ``fix_batch`` per chunk.

Beside the pipe job in the main README (``RDD.pipe`` through the ``zhclean`` binary), this runs zhclean
inside the Python workers: no binary to ship, but every executor needs the ``zhclean`` wheel installed
(``pip install zhclean-*.whl`` in the executors' image or environment; ``--py-files`` cannot ship it, since
Python does not import native modules from a zip).

    spark-submit spark_map_partitions.py SRC_DIR DST_DIR

Records are ``{"id": file name, "text": content}``; the output is JSON Lines ``{"id", "text", "findings"}``,
the same objects as the CLI's record mode.
"""

from __future__ import annotations

import json
import sys
from typing import Iterable, Iterator


def clean_partition(rows: Iterable, apply: str = "safe", batch_size: int = 256) -> Iterator[str]:
    """A ``mapPartitions`` function: rows with ``id`` and ``text`` in, JSON lines out."""
    import itertools

    import zhclean  # imported in the worker

    # threads=1: Spark already runs one task per core.
    cleaner = zhclean.Cleaner(apply=apply, threads=1)
    it = iter(rows)
    while chunk := list(itertools.islice(it, batch_size)):
        for row, r in zip(chunk, cleaner.fix_batch(row["text"] for row in chunk)):
            yield json.dumps({"id": row["id"], **r.to_dict()}, ensure_ascii=False)


def documents(spark, src: str):
    """The files under ``src`` as an RDD of rows ``(id = file name, text = content)``."""
    from pyspark.sql import functions as F

    return (
        spark.read.text(src, wholetext=True)
        .select(
            F.element_at(F.split(F.input_file_name(), "/"), -1).alias("id"),
            F.col("value").alias("text"),
        )
        .rdd
    )


def run(spark, src: str, apply: str = "safe") -> list[dict]:
    """Clean the files under ``src``; the records, sorted by id."""
    lines = documents(spark, src).mapPartitions(lambda rows: clean_partition(rows, apply))
    return sorted((json.loads(x) for x in lines.collect()), key=lambda r: r["id"])


if __name__ == "__main__":
    from pyspark.sql import SparkSession

    src, dst = sys.argv[1], sys.argv[2]
    spark = SparkSession.builder.appName("zhclean-python").getOrCreate()
    documents(spark, src).mapPartitions(clean_partition).saveAsTextFile(dst)
    spark.stop()
