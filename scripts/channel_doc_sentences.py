#!/usr/bin/env python3
"""Extract clean Chinese sentences from two documentation packages, for more
OCR channel training pairs (see dictionaries/README.md, `channel_pairs_docs.tsv`).

Sources (Debian bookworm, fetched with `apt-get download`, unpacked with
`dpkg-deb -x` into DIR):
- debian-handbook 11.20220922: The Debian Administrator's Handbook, zh-CN
  HTML (`usr/share/doc/debian-handbook/html/zh-CN/*.html`); dual licensed
  CC-BY-SA 3.0 / GPL-2+ (used here under CC-BY-SA 3.0);
- libreoffice-help-zh-cn 7.4.7: LibreOffice help, zh-CN HTML
  (`usr/share/libreoffice/help/zh-CN/text/**/*.html`); MPL-2.0.

Neither is a reserved corpus (People's Daily 1998, SIGHAN), and neither is a
source of the dev-ocr pairs; any sentence equal to a dev-ocr gold sentence is
dropped anyway. Sentences: text of `<p>` elements split after 。！？, 8+ Han
chars, at most 80 chars, no Latin run longer than 12 chars (code, paths),
deduplicated. Every STEP-th sentence is kept (deterministic thinning, the
sentences whose index is OFFSET modulo STEP), per source up to LIMIT.

Usage: scripts/channel_doc_sentences.py DIR [STEP_HANDBOOK LIMIT_HANDBOOK STEP_LO LIMIT_LO [OFFSET]] > sentences.txt
The shipped pairs: `DIR 1 1000 9 2100` (batch 1) and `DIR 1 0 3 5000 1` (batch 2),
rendered with the default sizes. A third batch (`DIR 1 0 3 6000 2`, 6,000 pairs) was
tried and not shipped: it taught the channel `走`→`真`, which changed `走深走实` on a
seed page at the review tier.
Then:  /work/shared/tools/make-ocr-pairs.py sentences.txt pairs.tsv --prefix doc
"""
import csv
import glob
import html
import re
import sys

csv.field_size_limit(10**8)


def sentences(paths, gold, seen):
    for path in paths:
        text = open(path, encoding="utf-8", errors="replace").read()
        for p in re.findall(r"<p[^>]*>(.*?)</p>", text, re.S):
            p = html.unescape(re.sub(r"<[^>]+>", "", p))
            p = re.sub(r"\s+", "", p)
            for s in re.findall(r"[^。！？]+[。！？]", p):
                han = sum("\u4e00" <= c <= "\u9fff" for c in s)
                if han < 8 or len(s) > 80 or re.search(r"[A-Za-z0-9_/.\-]{13,}", s):
                    continue
                if s in gold or s in seen:
                    continue
                seen.add(s)
                yield s


def main():
    root = sys.argv[1]
    args = [int(a) for a in sys.argv[2:7]] or [1, 1000, 9, 2100]
    step_h, limit_h, step_l, limit_l = args[:4]
    offset = args[4] if len(args) > 4 else 0
    gold = set()
    for f in glob.glob("/work/shared/dev-ocr/*.tsv"):
        for r in csv.DictReader(open(f), delimiter="\t", quoting=csv.QUOTE_NONE):
            gold.add(r["gold"])
    seen = set()
    handbook = sorted(glob.glob(f"{root}/usr/share/doc/debian-handbook/html/zh-CN/*.html"))
    lo = sorted(glob.glob(f"{root}/usr/share/libreoffice/help/zh-CN/text/**/*.html", recursive=True))
    for paths, step, limit in ((handbook, step_h, limit_h), (lo, step_l, limit_l)):
        kept = 0
        for i, s in enumerate(sentences(paths, gold, seen)):
            if i % step == offset % step and kept < limit:
                print(s)
                kept += 1


if __name__ == "__main__":
    main()
