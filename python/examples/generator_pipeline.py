"""A pipeline step over a stream of documents (the shape of a datatrove or data-juicer step).

``zhclean_step`` takes any iterable of ``{"id", "text", ...}`` dicts and yields them cleaned, in order,
``batch_size`` at a time through ``fix_batch``: memory stays bounded whatever the stream's length, and
each batch runs on all cores. Documents keep their other keys; the step adds ``metadata["zhclean"]``.
"""

from __future__ import annotations

import itertools
import json
import sys
from typing import Any, Iterable, Iterator

import zhclean


def zhclean_step(
    docs: Iterable[dict[str, Any]],
    cleaner: zhclean.Cleaner | None = None,
    batch_size: int = 256,
) -> Iterator[dict[str, Any]]:
    cleaner = cleaner or zhclean.Cleaner()
    it = iter(docs)
    while batch := list(itertools.islice(it, batch_size)):
        for doc, r in zip(batch, cleaner.fix_batch(d["text"] for d in batch)):
            meta = dict(doc.get("metadata") or {})
            meta["zhclean"] = {
                "changed": r.changed,
                "applied": sum(f.applied for f in r.findings),
                "pending": [f.to_dict() for f in r.findings if not f.applied],
            }
            yield {**doc, "text": r.text, "metadata": meta}


def drop_empty(docs: Iterable[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Another step, to show the chaining."""
    return (d for d in docs if d["text"].strip())


if __name__ == "__main__":
    # python generator_pipeline.py < corpus.jsonl > cleaned.jsonl
    source = (json.loads(line) for line in sys.stdin if line.strip())
    for doc in drop_empty(zhclean_step(source)):
        print(json.dumps(doc, ensure_ascii=False))
