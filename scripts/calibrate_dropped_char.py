#!/usr/bin/env python3
"""Calibrate C703 (dropped-char) tiers on clean text.

For each clean sentence holding a lexicon idiom (IDIOM flag, 4+ chars), one
char of its first idiom is dropped at random (seeded); the damaged sentences
and the clean ones are run through `zhclean check --only C703`, and for
several review rules the table gives: restorations of the dropped char
(right place, right char), proposals of a wrong char or place, and findings
on the clean sentences (false changes).

Usage: scripts/calibrate_dropped_char.py ZHCLEAN SENTENCES.txt [MORE.txt ...]
Sentences used for the table in src/rules/docs/C703.md: the output of
`scripts/channel_doc_sentences.py DIR 1 100000 1 100000` (Debian handbook and
LibreOffice help zh-CN) plus the gold side of the dev-ocr TRAINING rows (id
suffix not divisible by 4). Never the seeds, never the reserved corpora.
"""
import json
import random
import subprocess
import sys
import tempfile


def idioms():
    out = set()
    for line in open("dictionaries/words.tsv", encoding="utf-8"):
        if line.startswith("#"):
            continue
        w, _, flags = line.rstrip("\n").split("\t")
        if int(flags) & 1 and len(w) >= 4:
            out.add(w)
    return out


def findings(zhclean, text):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
        f.write(text)
    out = subprocess.run([zhclean, "check", f.name, "--only", "C703", "--format", "jsonl"],
                         capture_output=True, text=True).stdout
    return [json.loads(l) for l in out.splitlines() if l.startswith("{")]


def main():
    zhclean, files = sys.argv[1], sys.argv[2:]
    clean = [l.rstrip("\n") for f in files for l in open(f, encoding="utf-8") if l.strip()]
    idi, rng = idioms(), random.Random(7)
    damaged, meta = [], []
    for s in clean:
        for i in range(len(s) - 3):
            if s[i:i + 4] in idi:
                k = rng.randrange(4)
                damaged.append(s[:i + k] + s[i + k + 1:])
                meta.append((i + k, s[i + k]))
                break
    # one sentence per paragraph: line = 2 * index + 1
    syn = findings(zhclean, "\n\n".join(damaged) + "\n")
    cln = findings(zhclean, "\n\n".join(clean) + "\n")

    def row(d):
        t = d["evidence"]["terms"]
        margin = t["score"] - t.get("runner_up", float("-inf"))
        return t["lm_gain"], t["score"], margin, t.get("unexplained") == 1.0 and t.get("inside") == 1.0

    right, wrong = [], []
    for d in syn:
        pos, ch = meta[(d["line"] - 1) // 2]
        cands = d["evidence"].get("candidates") or []
        ok = d["column"] - 1 == pos and cands and cands[0]["text"] == ch
        (right if ok else wrong).append(row(d))
    fp = [row(d) for d in cln]
    rules = [
        ("gain - drop >= 3 (alone)", lambda g, s, m, u: s >= 3 and m >= 1),
        ("unexplained inside gap, gain >= 1.5", lambda g, s, m, u: u and g >= 1.5 and m >= 1),
        ("unexplained inside gap, gain >= 2", lambda g, s, m, u: u and g >= 2 and m >= 1),
        ("unexplained inside gap, gain >= 2.5", lambda g, s, m, u: u and g >= 2.5 and m >= 1),
        ("either (shipped)", lambda g, s, m, u: m >= 1 and (s >= 3 or (u and g >= 2))),
    ]
    chars = sum(len(s) for s in clean)
    print(f"{len(damaged)} damaged sentences; {len(clean)} clean sentences, {chars} chars")
    print("| review rule | restored correctly | wrong char | changes on clean text |")
    print("|---|---|---|---|")
    for name, f in rules:
        n = lambda rows: sum(1 for r in rows if f(*r))
        print(f"| {name} | {n(right)} | {n(wrong)} | {n(fp)} |")


if __name__ == "__main__":
    main()
