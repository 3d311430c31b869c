#!/usr/bin/env python3
"""TRAIN-split running text of the Debian zh-CN docs, one sentence per line.

Sources (`apt-get download` + `dpkg-deb -x` into ROOT, as scripts/ocr_pairs/README.md): debian-handbook
11.20220922 (CC-BY-SA 3.0), libreoffice-help-zh-cn 7.4.7 (MPL-2.0), zh_CN help of baobab, cheese, eog,
evince, file-roller, gnome-calculator, gnome-logs (CC-BY-SA 3.0). `<p>` text, whitespace removed, split
after 。！？; a sentence is kept when it has 4+ Han chars, its int(sha1) % 10 is in 0..7 (the TRAIN
split of scripts/ocr_pairs/sentences.py: held-out ID sentences are 8..9) and it is not the gold side of a
dev-ocr pair (DEV_OCR, default ../shared/dev-ocr). manpages-zh (the OOD source) is never read.

Usage: docs_text.py ROOT > docs_train.txt
"""
import csv, glob, gzip, hashlib, html, re, sys
csv.field_size_limit(10**8)
root = sys.argv[1]
gold = set()
import os
for f in glob.glob(os.path.join(os.environ.get("DEV_OCR", "../shared/dev-ocr"), "*.tsv")):
    for r in csv.DictReader(open(f), delimiter="\t", quoting=csv.QUOTE_NONE):
        gold.add(re.sub(r"\s+", "", r["gold"]))
APPS = ["baobab", "cheese", "eog", "evince", "file-roller", "gnome-calculator", "gnome-logs"]
paths = sorted(glob.glob(f"{root}/usr/share/doc/debian-handbook/html/zh-CN/*.html"))
paths += sorted(glob.glob(f"{root}/usr/share/libreoffice/help/zh-CN/text/**/*.html", recursive=True))
pages = []
for a in APPS:
    pages += sorted(glob.glob(f"{root}/usr/share/help/zh_CN/{a}/*.page"))
def paras():
    for p in paths:
        t = open(p, encoding="utf-8", errors="replace").read()
        for x in re.findall(r"<p[^>]*>(.*?)</p>", t, re.S):
            yield html.unescape(re.sub(r"<[^>]+>", "", x))
    for p in pages:
        t = open(p, encoding="utf-8", errors="replace").read()
        for x in re.findall(r"<p[^>]*>(.*?)</p>", t, re.S):
            yield html.unescape(re.sub(r"<[^>]+>", "", x))
seen = set(); n = 0
for p in paras():
    p = re.sub(r"\s+", "", p)
    for s in re.findall(r"[^。！？]+[。！？]?", p):
        if sum("\u4e00" <= c <= "\u9fff" for c in s) < 4 or s in seen or s in gold:
            continue
        seen.add(s)
        if int(hashlib.sha1(s.encode()).hexdigest(), 16) % 10 >= 8:
            continue
        print(s); n += 1
sys.stderr.write(f"{n} sentences\n")
