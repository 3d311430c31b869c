#!/usr/bin/env python3
"""Extract clean Chinese sentences for extra OCR channel training pairs.

Source: the zh_CN help pages (Mallard `.page` files, `<p>` elements) of the
Debian bookworm packages baobab, cheese-common, eog, evince-common,
file-roller, gnome-calculator and gnome-logs, whose help is licensed
CC-BY-SA 3.0 (file-roller and gnome-logs pages partly CC-BY-SA 4.0; see their
`legal.xml` / `<license>`). Fetched with
`apt-get download` and unpacked with `dpkg-deb -x` into DIR. These are NOT
the gnome-user-docs pages the dev-ocr gnome rows come from; any sentence equal
to a dev-ocr gold sentence is dropped anyway. Reserved corpora (People's Daily
1998, SIGHAN) are not used.

Usage: scripts/channel_extra_sentences.py DIR > sentences.txt
Then:  /work/shared/tools/make-ocr-pairs.py sentences.txt pairs.tsv --prefix app
"""
import csv
import glob
import html
import re
import sys

APPS = ["baobab", "cheese", "eog", "evince", "file-roller", "gnome-calculator", "gnome-logs"]
csv.field_size_limit(10**8)


def main():
    root = sys.argv[1]
    gold = set()
    for f in glob.glob("/work/shared/dev-ocr/*.tsv"):
        for r in csv.DictReader(open(f), delimiter="\t", quoting=csv.QUOTE_NONE):
            gold.add(r["gold"])
    seen = set()
    for app in APPS:
        for page in sorted(glob.glob(f"{root}/usr/share/help/zh_CN/{app}/*.page")):
            text = open(page, encoding="utf-8").read()
            for p in re.findall(r"<p[^>]*>(.*?)</p>", text, re.S):
                p = html.unescape(re.sub(r"<[^>]+>", "", p))
                p = re.sub(r"\s+", "", p)
                for s in re.findall(r"[^。！？]+[。！？]", p):
                    han = sum("\u4e00" <= c <= "\u9fff" for c in s)
                    if han < 8 or len(s) > 80 or s in gold or s in seen:
                        continue
                    seen.add(s)
                    print(s)


if __name__ == "__main__":
    main()
