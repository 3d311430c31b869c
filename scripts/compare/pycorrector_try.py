#!/usr/bin/env python3
"""Try pycorrector offline, stage by stage, and say exactly what fails.

Usage: pycorrector_try.py CORPUS.txt [SENTENCES]

Stages: import pycorrector (imports torch, not a declared dependency); the
kenlm n-gram Corrector (needs the kenlm module and a ~2.8 GB language model
downloaded at first use); MacBertCorrector (needs torch and a Hugging Face hub
download); ProperCorrector (proper nouns and idioms from a bundled list, no
model: runs offline, but corrects only listed names). A corrector that runs is
timed on the first SENTENCES non-empty lines of the corpus (default: all),
sentences/s and MB/s; no figure is printed for a stage that failed.
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


def main():
    path = sys.argv[1]
    with open(path, encoding="utf-8") as f:
        lines = [l for l in f.read().splitlines() if l.strip()]
    if len(sys.argv) > 2:
        lines = lines[: int(sys.argv[2])]
    pc = stage("import pycorrector", lambda: __import__("pycorrector"))
    if pc is None:
        return
    print(f"pycorrector {pc.__version__}")
    kenlm = stage("kenlm Corrector()", lambda: pc.Corrector())
    # The kenlm model is fetched lazily, by the first correct() call.
    if kenlm is not None and stage("Corrector().correct (first call)", lambda: kenlm.correct(lines[0])):
        timed("pycorrector Corrector (kenlm)", kenlm, lines)
    macbert = stage("MacBertCorrector()", lambda: pc.MacBertCorrector())
    if macbert is not None and stage("MacBertCorrector.correct", lambda: macbert.correct(lines[0])):
        timed("pycorrector MacBertCorrector", macbert, lines)
    proper = stage("ProperCorrector()", lambda: pc.ProperCorrector())
    if proper is not None and stage("ProperCorrector.correct", lambda: proper.correct(lines[0])):
        timed("pycorrector ProperCorrector (names/idioms only)", proper, lines)


if __name__ == "__main__":
    main()
