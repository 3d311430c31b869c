"""The API beyond record-mode identity: settings, threads, errors, bad input."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

import zhclean
from conftest import cli_error, cli_records

DOUBLED = "推动集体经济经济创收,成效明显。\n"
LOOKALIKE = "我们要认真学习，努力工仵。\n"  # 仵 for 作: C702, safe


def test_fix_result_and_finding_fields():
    r = zhclean.fix(DOUBLED, apply="review")
    assert r.text == "推动集体经济创收，成效明显。\n" and r.changed
    assert [f.rule for f in r.findings] == ["R401", "P201"]
    f = r.findings[0]
    assert (f.name, f.tier, f.applied, f.original) == ("doubled-word", "review", True, "经济经济")
    assert f.span == (4, 8) and f.byte_span == (12, 24) and (f.line, f.column) == (1, 5)
    assert f.candidates == [("经济", 1.0)] and 0 < f.score <= 1 and f.reason
    assert f.fix == {"applicability": "review", "edits": [{"span": {"start": 18, "end": 24}, "replacement": ""}]}
    assert f == zhclean.fix(DOUBLED, apply="review").findings[0] and f != r.findings[1]
    assert "R401" in repr(f) and "findings" in repr(r)
    # safe is the default: the review-tier R401 is reported, not applied
    s = zhclean.fix(DOUBLED)
    assert s.text == "推动集体经济经济创收，成效明显。\n"
    assert [(f.rule, f.applied) for f in s.findings] == [("R401", False), ("P201", True)]
    assert zhclean.Cleaner().apply == "safe" and zhclean.Cleaner(apply="review").apply == "review"


def test_settings_reach_the_engine():
    assert zhclean.Cleaner(apply="review", allow=["经济经济"]).fix(DOUBLED).text == "推动集体经济经济创收，成效明显。\n"
    assert [f.rule for f in zhclean.Cleaner(apply="review", ignore=["R4"]).fix(DOUBLED).findings] == ["P201"]
    assert [f.rule for f in zhclean.Cleaner(apply="review", select=["doubled-word"]).fix(DOUBLED).findings] == ["R401"]
    assert zhclean.fix(LOOKALIKE).text == "我们要认真学习，努力工作。\n"
    for words in (["工仵"], [("工仵", 5000)]):
        r = zhclean.Cleaner(words=words).fix(LOOKALIKE)
        assert r.text == LOOKALIKE and not r.findings
    assert zhclean.Cleaner(profile="typing").profile == "typing"


def test_config_file_is_the_clis(zhclean_bin, tmp_path, seeds):
    (tmp_path / "words.txt").write_text("工仵 5000\n", encoding="utf-8")
    (tmp_path / "fixes.tsv").write_text("成效\t成果\n", encoding="utf-8")
    cfg = tmp_path / "zhclean.toml"
    cfg.write_text(
        'apply = "review"\nallow = ["经济经济"]\ndictionaries = ["words.txt"]\ncorrections = ["fixes.tsv"]\n'
        '[rules]\ndisable = ["W302"]\n',
        encoding="utf-8",
    )
    texts = [DOUBLED, LOOKALIKE, *seeds]
    records = cli_records(zhclean_bin, texts, "--config", str(cfg))
    cleaner = zhclean.Cleaner(cfg)
    assert cleaner.apply == "review"
    got = [r.to_dict() for r in cleaner.fix_batch(texts)]
    assert got == [{"text": r["text"], "findings": r["findings"]} for r in records]
    assert got[0]["text"] == "推动集体经济经济创收，成果明显。\n" and got[1]["text"] == LOOKALIKE
    assert zhclean.fix(DOUBLED, config=cfg).text == got[0]["text"]
    # keyword arguments win over the file, as flags do
    assert zhclean.Cleaner(str(cfg), apply="safe").apply == "safe"
    assert 'apply = "review"' in cleaner.config_toml()


def test_fix_batch_on_four_threads_equals_sequential(generated):
    texts = generated[:400]
    sequential = [zhclean.Cleaner(apply="review").fix(t) for t in texts]
    four = zhclean.Cleaner(apply="review", threads=4)
    assert four.threads == 4
    batch = four.fix_batch(texts)
    assert batch == sequential
    assert [r.to_dict() for r in batch] == [r.to_dict() for r in sequential]
    assert four.fix_batch(iter(texts[:10])) == sequential[:10]  # any iterable
    assert four.fix_batch([]) == []
    assert [[f.to_dict() for f in fs] for fs in four.check_batch(texts[:50])] == [
        [f.to_dict() for f in zhclean.Cleaner().check(t)] for t in texts[:50]
    ]


def test_threads_share_one_cleaner(generated):
    from concurrent.futures import ThreadPoolExecutor

    texts = generated[:200]
    cleaner = zhclean.Cleaner(apply="review")
    want = [cleaner.fix(t) for t in texts]
    with ThreadPoolExecutor(4) as ex:
        assert list(ex.map(cleaner.fix, texts)) == want


@pytest.mark.parametrize("bad", [3, None, b"\xe4\xbd\xa0", ["text"], 1.5])
def test_non_str_text_raises_type_error(bad):
    cleaner = zhclean.Cleaner()
    for call in (zhclean.fix, zhclean.check, cleaner.fix, cleaner.check):
        with pytest.raises(TypeError, match="text must be str"):
            call(bad)
    with pytest.raises(TypeError, match=r"texts\[1\] must be str"):
        cleaner.fix_batch(["好", bad])
    with pytest.raises(TypeError):
        cleaner.fix_batch(5)  # not iterable
    with pytest.raises(TypeError, match="not a str"):
        cleaner.fix_batch("今天,明天")  # one text, not many


@pytest.mark.parametrize("bad, at", [("\ud800", 0), ("今天\udcff天气", 2), ("a" * 100 + "\udfff", 100)])
def test_lone_surrogates_raise_input_error(bad, at):
    cleaner = zhclean.Cleaner()
    for call in (zhclean.fix, zhclean.check, cleaner.fix, cleaner.check):
        with pytest.raises(zhclean.InputError, match=f"lone surrogate at char {at}") as e:
            call(bad)
        assert isinstance(e.value, ValueError) and isinstance(e.value, zhclean.ZhcleanError)
    with pytest.raises(zhclean.InputError, match=r"texts\[2\]"):
        cleaner.fix_batch(["好", "", bad])
    # the cleaner goes on
    assert cleaner.fix("今天,明天。").text == "今天，明天。"


def test_odd_but_valid_text_is_cleaned():
    cleaner = zhclean.Cleaner(apply="review")
    for t in ["", "\x00", "\x00今天,明天\x00", "\ufeff今天", "𠀀𠀁,好", "\r\n\r\n", "\u2028,\u2029", "a" * 3_000_000]:
        r = cleaner.fix(t)
        assert isinstance(r.text, str)
    assert cleaner.fix("很长的一行,没有换行符" * 200_000).text.count("，") == 200_000  # 2.2 M chars, cut in pieces


def test_a_panic_in_the_engine_raises_internal_error():
    # The test build (scripts/python-test.sh: --features test-hooks) panics on this marker text inside
    # the engine's call; without the mapping, pyo3 would raise its PanicException (a BaseException).
    marker = getattr(zhclean._zhclean, "_TEST_PANIC_MARKER", None)
    if marker is None:
        pytest.fail("this build has no test hooks: build it with `--features test-hooks` (scripts/python-test.sh does)")
    c = zhclean.Cleaner(apply="review")
    with pytest.raises(zhclean.InternalError, match="processing this text panicked") as e:
        c.fix(marker)
    assert isinstance(e.value, RuntimeError)
    with pytest.raises(zhclean.InternalError, match=r"processing texts\[1\] panicked"):
        c.fix_batch(["中文", marker, "中文"])
    with pytest.raises(zhclean.InternalError, match=r"processing texts\[0\] panicked"):
        c.check_batch([marker])
    with pytest.raises(zhclean.InternalError):
        zhclean.check(marker)
    # The cleaner and the interpreter carry on.
    assert c.fix("推动集体经济经济创收,成效明显。").text == "推动集体经济创收，成效明显。"


def test_setting_errors_map_the_clis(zhclean_bin, tmp_path):
    bad_key = tmp_path / "bad.toml"
    bad_key.write_text('aply = "safe"\n', encoding="utf-8")
    with pytest.raises(zhclean.ConfigError) as e:
        zhclean.Cleaner(bad_key)
    assert str(e.value) == cli_error(zhclean_bin, "--config", str(bad_key)) and "aply" in str(e.value)
    assert isinstance(e.value, ValueError)

    missing = tmp_path / "none.toml"
    with pytest.raises(zhclean.FileError) as e:
        zhclean.Cleaner(missing)
    assert str(e.value) == cli_error(zhclean_bin, "--config", str(missing))
    assert isinstance(e.value, OSError)
    with pytest.raises(zhclean.FileError):
        zhclean.fix("好", config=missing)

    (tmp_path / "fixes.tsv").write_text("好\n", encoding="utf-8")
    malformed = tmp_path / "malformed.toml"
    malformed.write_text('corrections = ["fixes.tsv"]\n', encoding="utf-8")
    with pytest.raises(zhclean.DataFileError, match=r"fixes.tsv:1: ") as e:
        zhclean.Cleaner(malformed)
    assert str(e.value) == cli_error(zhclean_bin, "--config", str(malformed))

    no_words = tmp_path / "nowords.toml"
    no_words.write_text('dictionaries = ["nope.txt"]\n', encoding="utf-8")
    with pytest.raises(zhclean.FileError) as e:
        zhclean.Cleaner(no_words)
    assert str(e.value) == cli_error(zhclean_bin, "--config", str(no_words))

    bad_re = tmp_path / "re.toml"
    bad_re.write_text("ignore_re = ['(']\n", encoding="utf-8")
    with pytest.raises(zhclean.ConfigError) as e:
        zhclean.Cleaner(bad_re)
    assert str(e.value) == cli_error(zhclean_bin, "--config", str(bad_re))


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"apply": "suggest"}, "apply"),
        ({"apply": "always"}, "apply"),
        ({"profile": "pinyin"}, "profile"),
        ({"select": ["Q999"]}, "unknown rule `Q999`"),
        ({"ignore": ["Q9"]}, "unknown rule"),
        ({"words": ["好\x07"]}, "control character"),
        ({"threads": 0}, "threads"),
    ],
)
def test_bad_arguments_raise_config_error(kwargs, match):
    with pytest.raises(zhclean.ConfigError, match=match) as e:
        zhclean.Cleaner(**kwargs)
    assert str(e.value).startswith("arguments") or "word" in str(e.value)


def test_wrong_argument_types_raise_type_error():
    for kwargs in ({"allow": "经济"}, {"words": [3]}, {"apply": 1}, {"threads": "4"}):
        with pytest.raises(TypeError):
            zhclean.Cleaner(**kwargs)
    with pytest.raises(TypeError):
        zhclean.Cleaner(3)


def test_rules_and_version():
    codes = {code for code, _, _ in zhclean.rules()}
    assert {"N101", "P201", "R401", "C702"} <= codes
    assert all(tier in ("safe", "review", "suggest") for _, _, tier in zhclean.rules())
    assert zhclean.__version__


def test_cleaners_are_freed():
    import weakref

    c = zhclean.Cleaner(words=["工仵"])
    r = weakref.ref(c)
    del c
    gc.collect()
    assert r() is None


def test_typed_package_ships_stubs():
    pkg = Path(zhclean.__file__).parent
    assert (pkg / "py.typed").is_file() and (pkg / "_zhclean.pyi").is_file()
    assert os.path.getsize(pkg / "_zhclean.pyi") > 1000
