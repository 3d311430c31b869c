#!/usr/bin/env python3
"""Running zh-CN prose of two public technical-documentation sources, one sentence per line, for the
character model (issue 14): more real text than the Debian docs alone.

Sources (each a git checkout; the commit used is written in dictionaries/README.md):
- po:DIR  the Simplified Chinese translation of the Python documentation
  (github.com/python/python-docs-zh-cn, branch 3.13): `msgstr` of every non-fuzzy entry of every
  `.po` file. Translations are contributed to the PSF under **CC0** (the repository's README).
- md:DIR  the Chinese TiDB documentation written in Chinese (github.com/pingcap/docs-cn, master):
  prose of every `.md` file (front matter, fenced code, HTML comments, tables and headings skipped).
  **CC-BY-SA 3.0** (its LICENSE).

- lines:FILE  one sentence a line, no markup: the zh-CN Wikipedia sentences of Mozilla Common Voice
  (`wiki.zh-cn.txt`, github.com/MozillaChina/common-voice-fix at commit 0cf49c0fd8d7, the community's
  cleaned copy of common-voice `server/data/zh-CN/wiki.zh-cn.txt`), **CC0** like every Common Voice
  sentence. Encyclopedic prose (places, people, history, science), the genre of news text that the
  documentation sources lack. They were converted from Traditional Chinese by machine, so a sentence
  holding one of the converter's known slips (`显着` for 显著, `着作` for 著作, `干元` for 乾元 …,
  CONVERTER_SLIPS) or a hole left by removed markup (`《》`, `（）`) is dropped, not repaired.

Markup is removed (reST roles and links, Markdown links, inline code becomes its text), whitespace is
removed as in docs_text.py, and the text is split after 。！？. A sentence is kept when it has 4+ Han
chars and Han is at least 40% of it, its int(sha1) % 10 is in 0..7 (the same TRAIN buckets as
docs_text.py, so no sentence equal to a held-out ID sentence can enter), it is not the gold side of a
dev-ocr pair (DEV_OCR, default ../shared/dev-ocr), and it is in none of the --exclude files (one
sentence per line: pass the evaluation sentences, e.g. the OOD manpages-zh sentences, so that a
shared boilerplate sentence cannot leak into training).

Usage: extra_text.py [--exclude FILE ...] po:DIR md:DIR rst:DIR lines:FILE > extra_train.txt
"""
import csv, glob, hashlib, os, re, sys

csv.field_size_limit(10**8)
args = sys.argv[1:]
exclude = set()
specs = []
while args:
    a = args.pop(0)
    if a == "--exclude":
        for line in open(args.pop(0), encoding="utf-8"):
            exclude.add(re.sub(r"\s+", "", line))
    else:
        specs.append(a)
for f in glob.glob(os.path.join(os.environ.get("DEV_OCR", "../shared/dev-ocr"), "*.tsv")):
    for r in csv.DictReader(open(f), delimiter="\t", quoting=csv.QUOTE_NONE):
        exclude.add(re.sub(r"\s+", "", r["gold"]))


def po_strings(path):
    state, buf, fuzzy = None, [], False
    for line in list(open(path, encoding="utf-8", errors="replace")) + [""]:
        line = line.rstrip("\n")
        if line.startswith('"') and state:
            buf.append(line[1:-1])
            continue
        if state == "str" and not fuzzy:
            yield "".join(buf).replace('\\"', '"').replace("\\n", " ").replace("\\\\", "\\")
        if state == "str":
            fuzzy = False
        state, buf = None, []
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgstr "):
            state, buf = "str", [line[7:].strip()[1:-1]]
        elif line.startswith("msgid "):
            state = "id"


def rst_clean(t):
    t = re.sub(r":[a-z:]+:`(?:[^`<]*<)?([^`>]*)>?`", r"\1", t)  # :ref:`text <target>` -> target/text
    t = re.sub(r"`([^`<]*?)\s*<[^>]*>`_{1,2}", r"\1", t)  # `text <url>`_
    t = re.sub(r"`+([^`]*)`+_{0,2}", r"\1", t)
    t = t.replace("**", "").replace("*", "")
    return t


def md_paragraphs(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    text = re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S)
    text = re.sub(r"<!--.*?-->", "", text, flags=re.S)
    text = re.sub(r"^(```|~~~).*?^\1", "", text, flags=re.S | re.M)
    for line in text.split("\n"):
        s = line.strip()
        if not s or s.startswith(("#", "|", "<", "{{<", "{%", ">")):
            continue
        s = re.sub(r"^([-*+]|\d+\.)\s+", "", s)
        s = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", s)
        s = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", s)
        s = re.sub(r"<[^>]+>", "", s)
        s = re.sub(r"`([^`]*)`", r"\1", s)
        s = s.replace("**", "").replace("__", "")
        yield s


def rst_paragraphs(path):
    """Prose lines of a reStructuredText file: indented blocks (code, directive bodies), directives,
    comments and heading rules skipped."""
    for line in open(path, encoding="utf-8", errors="replace"):
        if not line.strip() or line[0] in " \t" or line.startswith(".."):
            continue
        s = line.strip()
        if re.fullmatch(r"[#=\-~^*+`:'\"._]+", s):
            continue
        s = re.sub(r"^([-*+]|\d+\.)\s+", "", s)
        yield rst_clean(s)


CONVERTER_SLIPS = re.compile(r"显着|着作|着称|着述|昭着|卓着|干元|干隆|干坤|《》|（）|“”|「」")


def lines_paragraphs(path):
    for line in open(path, encoding="utf-8", errors="replace"):
        s = line.strip()
        if s and not CONVERTER_SLIPS.search(s):
            yield s


def paragraphs():
    for spec in specs:
        kind, _, d = spec.partition(":")
        if kind == "po":
            for p in sorted(glob.glob(f"{d}/**/*.po", recursive=True)):
                for t in po_strings(p):
                    yield rst_clean(t)
        elif kind == "md":
            for p in sorted(glob.glob(f"{d}/**/*.md", recursive=True)):
                yield from md_paragraphs(p)
        elif kind == "rst":
            for p in sorted(glob.glob(f"{d}/**/*_cn.rst", recursive=True)):
                yield from rst_paragraphs(p)
        elif kind == "lines":
            yield from lines_paragraphs(d)
        else:
            sys.exit(f"unknown source {spec}")


def han(c):
    return "\u4e00" <= c <= "\u9fff"


seen, n, chars = set(), 0, 0
for p in paragraphs():
    p = re.sub(r"\s+", "", p)
    for s in re.findall(r"[^。！？]+[。！？]?", p):
        h = sum(map(han, s))
        if h < 4 or h < 0.4 * len(s) or s in seen or s in exclude:
            continue
        seen.add(s)
        if int(hashlib.sha1(s.encode()).hexdigest(), 16) % 10 >= 8:
            continue
        print(s)
        n += 1
        chars += len(s)
sys.stderr.write(f"{n} sentences, {chars} chars\n")
