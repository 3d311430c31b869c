"""Clean a Hugging Face ``datasets`` column with ``Dataset.map(batched=True)``.

With ``datasets`` installed::

    from datasets import load_dataset
    ds = load_dataset("json", data_files="corpus.jsonl", split="train")
    ds = ds.map(clean_batch, batched=True, batch_size=256, num_proc=4)

Each worker process builds one ``Cleaner`` (on first use) and cleans a whole batch per call, in parallel,
with the GIL released. The findings become plain dicts, so Arrow can store them. ``main`` runs the same
function over a list of dicts the way ``datasets`` does (batches as dicts of columns), with no dependency.
"""

from __future__ import annotations

import json
import sys
from typing import Any, Optional

import zhclean

_cleaner: Optional[zhclean.Cleaner] = None


def cleaner() -> zhclean.Cleaner:
    """One Cleaner per process (``datasets`` forks or spawns ``num_proc`` workers)."""
    global _cleaner
    if _cleaner is None:
        _cleaner = zhclean.Cleaner(apply="review", threads=1)
    return _cleaner


def clean_batch(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
    """A ``datasets`` batched map function: adds ``clean`` and ``findings`` columns."""
    results = cleaner().fix_batch(batch["text"])
    return {
        **batch,
        "clean": [r.text for r in results],
        # JSON strings keep the column's Arrow type fixed whatever the findings hold;
        # `[f.to_dict() for f in r.findings]` works too.
        "findings": [json.dumps([f.to_dict() for f in r.findings], ensure_ascii=False) for r in results],
    }


def map_batched(rows: list[dict[str, Any]], fn, batch_size: int = 256) -> list[dict[str, Any]]:
    """What ``Dataset.map(fn, batched=True)`` does, on a list of dicts."""
    out: list[dict[str, Any]] = []
    for i in range(0, len(rows), batch_size):
        chunk = rows[i : i + batch_size]
        columns = {k: [r[k] for r in chunk] for k in chunk[0]}
        mapped = fn(columns)
        out.extend(dict(zip(mapped, values)) for values in zip(*mapped.values()))
    return out


def main(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return map_batched(rows, clean_batch, batch_size=64)


if __name__ == "__main__":
    # python datasets_map.py < corpus.jsonl > cleaned.jsonl   ({"id", "text"} per line)
    rows = [json.loads(line) for line in sys.stdin if line.strip()]
    for row in main(rows):
        print(json.dumps(row, ensure_ascii=False))
