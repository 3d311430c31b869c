"""Clean a pandas column: one ``fix_batch`` call for the whole column (parallel, GIL released)."""

from __future__ import annotations

import pandas as pd

import zhclean


def clean_column(df: pd.DataFrame, column: str = "text", cleaner: zhclean.Cleaner | None = None) -> pd.DataFrame:
    """``df`` with ``clean``, ``n_findings`` and ``rules`` columns added."""
    cleaner = cleaner or zhclean.Cleaner(apply="review")
    results = cleaner.fix_batch(df[column].tolist())
    return df.assign(
        clean=[r.text for r in results],
        n_findings=[len(r.findings) for r in results],
        rules=[sorted({f.rule for f in r.findings}) for r in results],
    )


if __name__ == "__main__":
    df = pd.DataFrame({"text": ["推动集体经济经济创收,成效明显。", "今天天气很好。"]})
    print(clean_column(df).to_string())
