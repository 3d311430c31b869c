"""A deterministic corpus of OCR-like Chinese documents for the Spark test.

Paragraphs come from the repo's `seeds/*.txt` pages; each document takes a
few of them and adds synthetic damage of the kinds zhclean cleans up
(half-width punctuation beside Han, doubled function chars, spaced bylines,
stray whitespace, CRLF, duplicated paragraphs, full-width digits), plus a
few edge cases for the record mode (empty and whitespace-only documents, no
final newline, characters outside the BMP, U+2028 inside a line). The same
`n` and `seed` always give the same files.
"""

import random
from pathlib import Path

SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = "明华伟芳军丽强敏静磊"
SYNTHETIC = [
    "今天天气很好,我们去公园散步.",
    "会议由市长主持:参加的有各部门负责人(共三十人).",
    "这是我的的书,请不要拿走.",
    "他说:“明天见!”然后就走了.",
    "全年完成投资２０２４万元,同比增长１２％。",
    "我们要认真学习 ,努力工作 。",
    "经济发展的的质量不断提高;人民生活水平稳步提升?",
    "本届活动共吸引了3000余名游客参加,其中外地游客占一半.",
]
EDGE_CASES = {
    "edge_empty.txt": "",
    "edge_blank.txt": "  \n\n\t\n",
    "edge_no_final_newline.txt": "今天天气很好,我们去公园.",
    "edge_supplementary.txt": "𠀀𠀁是扩展B区的字,😀也不在基本平面.\n",
    "edge_u2028.txt": "第一句\u2028第二句,在同一行.\n第三行。\n",
    "edge_crlf_only.txt": "\r\n\r\n今天,明天.\r\n",
    "edge_long_line.txt": ("很长的一行,没有换行符" * 2000) + "\n",
    # A suggest-tier finding (F602), never applied: record mode must still
    # exit 0 for Spark's Scala/Java pipe.
    "edge_suggest.txt": "我们在 hello 工作中发现问题。\n",
}


def seed_paragraphs(seeds_dir):
    """Non-blank paragraphs of every seed page, in file order."""
    paras = []
    for path in sorted(Path(seeds_dir).glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        paras.extend(p.strip() for p in text.split("\n") if p.strip())
    if not paras:
        raise SystemExit(f"no seed paragraphs under {seeds_dir}")
    return paras


def damage(rng, para):
    """Apply zero or more kinds of synthetic OCR damage to one paragraph."""
    if rng.random() < 0.4:
        para = para.replace("，", ",", rng.randint(1, 3))
    if rng.random() < 0.3:
        para = para.replace("。", ".", 1)
    if rng.random() < 0.2:
        para = para.replace("：", ":", 1)
    if rng.random() < 0.2 and "的" in para:
        para = para.replace("的", "的的", 1)
    if rng.random() < 0.15:
        cut = rng.randrange(len(para) + 1)
        para = para[:cut] + " " * rng.randint(1, 2) + para[cut:]
    if rng.random() < 0.15:
        para += " " * rng.randint(1, 3)
    return para


def byline(rng):
    """A byline with OCR-style spaces between the characters of a name."""
    name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, rng.randint(1, 2)))
    return "本报记者 " + " ".join(name)


def document(rng, paras):
    """One document's text."""
    lines = []
    if rng.random() < 0.3:
        lines.append(byline(rng))
    for _ in range(rng.randint(1, 5)):
        lines.append(damage(rng, rng.choice(paras)))
    if rng.random() < 0.5:
        lines.insert(rng.randrange(len(lines) + 1), rng.choice(SYNTHETIC))
    if rng.random() < 0.1:
        i = rng.randrange(len(lines))
        lines.insert(i, lines[i])
    sep = "\n\n" if rng.random() < 0.5 else "\n"
    text = sep.join(lines)
    if rng.random() < 0.9:
        text += "\n"
    if rng.random() < 0.2:
        text = text.replace("\n", "\r\n")
    return text


def generate(out_dir, seeds_dir, n=240, seed=7):
    """Write `n` documents (plus the edge cases) into `out_dir`; return
    the sorted file names."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paras = seed_paragraphs(seeds_dir)
    files = {f"doc_{i:04d}.txt": document(rng, paras) for i in range(n)}
    files.update(EDGE_CASES)
    for name, text in files.items():
        # newline="" keeps CRLF as written.
        with open(out / name, "w", encoding="utf-8", newline="") as f:
            f.write(text)
    return sorted(files)
