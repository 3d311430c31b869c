#!/usr/bin/env python3
"""Clean zh-CN sentences for rendered OCR pairs, split TRAIN / held-out ID / OOD (issue 14).

Sources (Debian bookworm packages, `apt-get download` + `dpkg-deb -x` into ROOT; see
scripts/ocr_pairs/README.md):
- TRAIN and held-out ID, the sources the project's channel pairs already use, extracted by
  the same code (scripts/channel_doc_sentences.py `sentences()`: `<p>` text split after
  。！？, 8+ Han, no Latin run of 13+):
  - debian-handbook 11.20220922 zh-CN HTML: CC-BY-SA-3.0 or GPL-2.0+ (used under CC-BY-SA 3.0);
  - libreoffice-help-zh-cn 7.4.7 zh-CN HTML: MPL-2.0;
  - zh_CN Mallard help of baobab, cheese-common, eog, evince-common, file-roller,
    gnome-calculator, gnome-logs (the apps of scripts/channel_extra_sentences.py): CC-BY-SA 3.0
    (their legal.xml).
  Split by hash: int(sha1(sentence), 16) % 10 in 0..7 -> TRAIN, 8..9 -> held-out ID.
  A held-out ID sentence must also not be the gold side of a pair the shipped channel already
  trains on (dictionaries/channel_pairs_*.tsv: about 40% of the 8..9 sentences are), so it is
  held out from every training step; such sentences are dropped from held-out ID.
- OOD: manpages-zh 1.6.4.0 (man pages in /usr/share/man/zh_CN, roff): GFDL-1.2+ (debian/copyright;
  the three pages under other licences, kill.1 GPL-2.0, intro.6 GPLv2+, epoll.7 GPL-2.0+, are
  skipped). Never used in any training step. A sentence that is also a TRAIN/held-out sentence
  is dropped.
Every sentence equal to a dev-ocr gold sentence (/work/shared/dev-ocr/*.tsv, `gold` column)
is dropped. Reserved corpora (People's Daily 1998, SIGHAN) are not used.

Filter (all sets): whitespace removed (the OCR side is read without whitespace), 10-60 chars,
at least 70% Han characters, no markup or code characters (<>{}[]\\|=`$#@_^~ or "http"),
no roff escape left. Deduplicated. Each output file is ordered by sha1 of the sentence
(a deterministic shuffle across sources), so taking the first N mixes sources.

Usage: scripts/ocr_pairs/sentences.py ROOT OUTDIR   -> OUTDIR/{train,heldout_id,ood}.txt
"""
import csv
import glob
import gzip
import hashlib
import os
import re
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from channel_doc_sentences import sentences as p_sentences  # noqa: E402
from channel_extra_sentences import APPS  # noqa: E402

csv.field_size_limit(10**8)
MARKUP = re.compile(r"[<>{}\[\]\\|=`$#@_^~]|http")
MAN_SKIP = {"kill.1.gz", "intro.6.gz", "epoll.7.gz"}


def han(c):
    return "\u4e00" <= c <= "\u9fff"


def clean(s):
    s = re.sub(r"\s+", "", s)
    if not 10 <= len(s) <= 60 or MARKUP.search(s):
        return None
    if sum(map(han, s)) < 0.7 * len(s):
        return None
    return s


def h(s):
    return int(hashlib.sha1(s.encode("utf-8")).hexdigest(), 16)


def roff_text(raw):
    """Paragraph texts of a roff man page: requests dropped, font/char escapes removed."""
    paras, cur = [], []
    for line in raw.splitlines():
        if line.startswith((".", "'")):
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        line = re.sub(r"\\f(\[[^\]]*\]|\(..|.)", "", line)
        line = re.sub(r"\\\(..|\\\[[^\]]*\]|\\[-e&/,|^ ]", lambda m: "-" if m.group(0) == "\\-" else "", line)
        if "\\" in line:  # an escape we do not decode: leave the line out
            if cur:
                paras.append(" ".join(cur))
                cur = []
            continue
        if line.strip():
            cur.append(line.strip())
        elif cur:
            paras.append(" ".join(cur))
            cur = []
    if cur:
        paras.append(" ".join(cur))
    return paras


def main():
    root, outdir = sys.argv[1], sys.argv[2]
    gold = set()
    for f in glob.glob("/work/shared/dev-ocr/*.tsv"):
        for r in csv.DictReader(open(f, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE):
            gold.add(r["gold"])
    trained = set()  # gold side of the committed channel training pairs
    repo = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
    for f in sorted(glob.glob(os.path.join(repo, "dictionaries", "channel_pairs_*.tsv"))):
        lines = [line for line in open(f, encoding="utf-8") if not line.startswith("#")]
        for r in csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE):
            trained.add(r["gold"])
    seen = set()
    paths = sorted(glob.glob(f"{root}/usr/share/doc/debian-handbook/html/zh-CN/*.html"))
    paths += sorted(glob.glob(f"{root}/usr/share/libreoffice/help/zh-CN/text/**/*.html", recursive=True))
    for app in APPS:
        paths += sorted(glob.glob(f"{root}/usr/share/help/zh_CN/{app}/*.page"))
    indist = set()
    for s in p_sentences(paths, gold, seen):
        s = clean(s)
        if s and s not in gold:
            indist.add(s)
    train = sorted((s for s in indist if h(s) % 10 <= 7), key=h)
    held = sorted((s for s in indist if h(s) % 10 >= 8 and s not in trained), key=h)
    ood = set()
    for page in sorted(glob.glob(f"{root}/usr/share/man/zh_CN/man*/*.gz")):
        if os.path.basename(page) in MAN_SKIP:
            continue
        raw = gzip.open(page).read().decode("utf-8", errors="replace")
        for p in roff_text(raw):
            p = re.sub(r"\s+", "", p)
            for s in re.findall(r"[^。！？]+[。！？]", p):
                s = clean(s)
                if s and s not in gold and s not in indist:
                    ood.add(s)
    ood = sorted(ood, key=h)
    os.makedirs(outdir, exist_ok=True)
    for name, rows in (("train", train), ("heldout_id", held), ("ood", ood)):
        with open(os.path.join(outdir, f"{name}.txt"), "w", encoding="utf-8") as f:
            f.writelines(s + "\n" for s in rows)
        print(f"{name}: {len(rows)} sentences", file=sys.stderr)


if __name__ == "__main__":
    main()
