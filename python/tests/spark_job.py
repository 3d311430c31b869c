"""Run examples/spark_map_partitions.py on local[2] (called by test_examples.py with the Spark venv's Python).

    python spark_job.py SRC_DIR OUT.json
"""

import json
import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE.parent / "examples"))
import spark_map_partitions  # noqa: E402


def main():
    src, out = sys.argv[1], sys.argv[2]
    os.environ["PYSPARK_PYTHON"] = sys.executable
    os.environ["SPARK_LOCAL_IP"] = "127.0.0.1"
    os.environ["SPARK_CONF_DIR"] = str(ROOT / "tests" / "spark" / "conf")  # errors only
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("zhclean-python-example")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    # The workers unpickle functions of this module: ship it to them.
    spark.sparkContext.addPyFile(spark_map_partitions.__file__)
    try:
        result = {tier: spark_map_partitions.run(spark, src, tier) for tier in ("safe", "review")}
    finally:
        spark.stop()
    Path(out).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
