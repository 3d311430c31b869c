#!/usr/bin/env python3
"""Try pycorrector offline, stage by stage, and say exactly what fails.

Usage: pycorrector_try.py CORPUS.txt [DEV_OCR_DIR [SENTENCES]]

Stages: import pycorrector (imports torch, not a declared dependency); the
kenlm n-gram Corrector (needs the kenlm module and a ~2.8 GB language model
downloaded at first use); MacBertCorrector (needs torch and a Hugging Face hub
download); ProperCorrector (proper nouns and idioms from a bundled list, no
model: runs offline, but corrects only listed names). A corrector that runs is
timed on the first SENTENCES non-empty lines of the corpus (default: all),
sentences/s and MB/s, and, given DEV_OCR_DIR, run on its gold side (changes
there are false changes) and its OCR side (character edits to gold before and
after). No figure is printed for a stage that failed.
"""
import os
import sys
import time
import traceback

os.environ.setdefault("HF_HUB_ETAG_TIMEOUT", "10")
os.environ.setdefault("HF_HUB_DOWNLOAD_TIMEOUT", "10")


def stage(name, fn):
    t = time.perf_counter()
    try:
        out = fn()
    except BaseException as e:  # SystemExit, network errors, missing modules: report all
        last = traceback.extract_tb(e.__traceback__)[-1]
        print(f"FAIL\t{name}\t{type(e).__name__}: {str(e).strip()[:400]} "
              f"(at {os.path.basename(last.filename)}:{last.lineno})")
        return None
    print(f"OK\t{name}\t{time.perf_counter() - t:.2f} s")
    return out


def timed(name, corrector, lines):
    t = time.perf_counter()
    for line in lines:
        corrector.correct(line)
    secs = time.perf_counter() - t
    nbytes = sum(len(l.encode("utf-8")) for l in lines)
    print(f"{name}: {len(lines)} sentences in {secs:.2f} s = {len(lines) / secs:.1f} sentences/s, "
          f"{nbytes / secs / 1e6:.4f} MB/s")
    print(f"RESULT\t{name}\t{nbytes}\t{secs:.6f}")


def distance(a, b):
    """Character-level Levenshtein distance."""
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a):
        diag, row[0] = row[0], i + 1
        for j, cb in enumerate(b):
            diag, row[j + 1] = row[j + 1], min(diag + (ca != cb), row[j + 1] + 1, row[j] + 1)
    return row[len(b)]


def quality(name, corrector, dev_dir):
    import csv
    import pathlib

    pairs = []
    for tsv in sorted(pathlib.Path(dev_dir).glob("*.tsv")):
        with open(tsv, encoding="utf-8", newline="") as f:
            rows = csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
            pairs += [(r["gold"], r["ocr"]) for r in rows]
    fix = lambda s: corrector.correct(s)["target"]  # noqa: E731
    gold_changed = sum(fix(g) != g for g, _ in pairs)
    before = sum(distance(o, g) for g, o in pairs)
    after = sum(distance(fix(o), g) for g, o in pairs)
    print(f"{name} on dev-ocr: gold side {gold_changed} of {len(pairs)} sentences changed; "
          f"OCR side {before} -> {after} char edits to gold")


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    dev_dir = sys.argv[2] if len(sys.argv) > 2 else None
    if len(sys.argv) > 3:
        lines = lines[: int(sys.argv[3])]
    pc = stage("import pycorrector", lambda: __import__("pycorrector"))
    if pc is None:
        return
    print(f"pycorrector {pc.__version__}")
    kenlm = stage("kenlm Corrector()", lambda: pc.Corrector())
    # The kenlm model is fetched lazily, by the first correct() call.
    if kenlm is not None and stage("Corrector().correct (first call)", lambda: kenlm.correct(lines[0])):
        timed("pycorrector Corrector (kenlm)", kenlm, lines)
        if dev_dir:
            quality("Corrector (kenlm)", kenlm, dev_dir)
    macbert = stage("MacBertCorrector()", lambda: pc.MacBertCorrector())
    if macbert is not None and stage("MacBertCorrector.correct", lambda: macbert.correct(lines[0])):
        timed("pycorrector MacBertCorrector", macbert, lines)
        if dev_dir:
            quality("MacBertCorrector", macbert, dev_dir)
    proper = stage("ProperCorrector()", lambda: pc.ProperCorrector())
    if proper is not None and stage("ProperCorrector.correct", lambda: proper.correct(lines[0])):
        timed("pycorrector ProperCorrector (names/idioms only)", proper, lines)
        if dev_dir:
            quality("ProperCorrector", proper, dev_dir)


if __name__ == "__main__":
    main()
