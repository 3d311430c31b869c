"""The package gives what the CLI's record mode gives, record for record, key for key."""

from __future__ import annotations

import json
import subprocess

import pytest

import zhclean
from conftest import ROOT, cli_records


def expected(records: list[dict]) -> list[dict]:
    return [{"text": r["text"], "findings": r["findings"]} for r in records]


def assert_same(texts: list[str], results: list[zhclean.Result], records: list[dict]) -> None:
    assert len(results) == len(records) == len(texts)
    want = expected(records)
    for i, (t, r, w) in enumerate(zip(texts, results, want)):
        got = r.to_dict()
        assert got == w, f"record {i} differs"
        # The attributes say what the dicts say; char spans index the Python str.
        for f, d in zip(r.findings, w["findings"]):
            assert f.to_dict() == d
            assert (f.rule, f.tier, f.applied, f.original) == (d["rule"], d["tier"], d["applied"], d["original"])
            assert f.span == (d["span"]["char_start"], d["span"]["char_end"])
            assert f.byte_span == (d["span"]["byte_start"], d["span"]["byte_end"])
            assert t[f.span[0] : f.span[1]] == f.original
            assert t.encode()[f.byte_span[0] : f.byte_span[1]] == f.original.encode()
            assert f.evidence == d["evidence"] and f.fix == d["fix"]
            assert f.candidates == [(c["text"], c["score"]) for c in d["evidence"].get("candidates", [])]


@pytest.mark.parametrize("tier", ["safe", "review"])
def test_seed_pages_match_record_mode(zhclean_bin, seeds, tier):
    records = cli_records(zhclean_bin, seeds, "--apply", tier)
    assert sum(len(r["findings"]) for r in records) > 100
    cleaner = zhclean.Cleaner(apply=tier)
    assert_same(seeds, [cleaner.fix(t) for t in seeds], records)
    # the module-level function is the same engine
    assert_same(seeds, [zhclean.fix(t, apply=tier) for t in seeds], records)


@pytest.mark.parametrize("tier", ["safe", "review"])
def test_generated_records_match_record_mode(zhclean_bin, generated, tier):
    records = cli_records(zhclean_bin, generated, "--apply", tier)
    results = zhclean.Cleaner(apply=tier).fix_batch(generated)
    assert_same(generated, results, records)
    assert sum(r.changed for r in results) > len(generated) // 2


def test_typing_profile_matches_record_mode(zhclean_bin, generated):
    texts = generated[:200]
    records = cli_records(zhclean_bin, texts, "--apply", "review", "--profile", "typing")
    assert_same(texts, zhclean.Cleaner(apply="review", profile="typing").fix_batch(texts), records)


def test_check_matches_cli_check(zhclean_bin, seeds):
    """`check` is `zhclean check --format jsonl` (the same finding objects, without `path`)."""
    paths = sorted((ROOT / "seeds").glob("*.txt"))
    proc = subprocess.run(
        [zhclean_bin, "check", "--no-config", "--format", "jsonl", *map(str, paths)],
        capture_output=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stderr.decode()
    by_path: dict[str, list[dict]] = {str(p): [] for p in paths}
    for line in proc.stdout.split(b"\n"):
        if line:
            d = json.loads(line)
            by_path[d.pop("path")].append(d)
    cleaner = zhclean.Cleaner()
    for p, t in zip(paths, seeds):
        findings = cleaner.check(t)
        assert findings and not any(f.applied for f in findings)
        assert [f.to_dict() for f in findings] == by_path[str(p)]
        assert [f.to_dict() for f in zhclean.check(t)] == by_path[str(p)]
    assert [[f.to_dict() for f in fs] for fs in cleaner.check_batch(seeds)] == list(by_path.values())
