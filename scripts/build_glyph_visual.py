#!/usr/bin/env python3
"""Build dictionaries/glyph_visual.tsv: for each of the 8,105 characters of the
Table of General Standard Chinese Characters (Unihan kTGHZ2013, list in
/work/shared/data/unihan_tghz2013_8105.tsv), its 32 most similar characters by
how their rendered bitmaps look at the small sizes where OCR fails.

Fonts (Debian bookworm packages; the TRAIN fonts of notes/issue14-plan.md plus
one Kai face; none of the plan's out-of-distribution fonts):
  AR PL UMing CN        (Ming/Song) fonts-arphic-uming   Arphic Public License
  AR PL UKai CN         (Kai)       fonts-arphic-ukai    Arphic Public License
  WenQuanYi Micro Hei   (Hei)       fonts-wqy-microhei   Apache-2.0 or GPL-3+ with font exception
  Noto Serif CJK SC Regular (Song)  fonts-noto-cjk       SIL OFL 1.1
  Noto Sans CJK SC Regular  (Hei)   fonts-noto-cjk       SIL OFL 1.1
The table holds only similarity scores measured on renderings, no glyph data.
A char a font lacks (cmap, read with fontTools: UMing 283, UKai 296, Micro Hei
276 of the 8,105; Noto none) is left out of that font's comparisons.

Method:
- Render each char alone at SCALE = 4 times the target size, in a fixed em box
  (each font's box is centred on the ink box of 国回田图困 so all fonts sit
  alike), then shrink with PIL's BILINEAR (anti-aliased) resize, as
  /work/shared/tools/make-ocr-pairs.py does, and blur (Gaussian, radius BLUR).
  Sizes SIZES = 10, 12, 14 px.
- Features: ink = 1 - grey/255 on a canvas one pixel larger than the em box on
  each side. For a pair (a, b) at one font and size, the similarity is the
  Pearson correlation of a's centre window with b's window shifted by
  dx, dy in {-1, 0, 1}, the best of the 9 shifts.
- Score(a, b) = mean over the fonts both chars have and the 3 sizes; a's
  centre window is compared with b's shifted ones, so score(a, b) and
  score(b, a) can differ a little at the borders. All pairs with numpy
  matrix products in float32 row blocks.
- Neighbours of a: the 32 best b by
      score(a, b) + PRIOR * log10(1 + count(b)) - HUB * hub(b),
  count = b's count in dictionaries/chars.tsv (jieba-derived: among
  near-equal glyphs the common char, what a text more likely meant, ranks
  first), hub(b) = mean score of b's HUB_K nearest chars (a correction for
  dense chars that resemble everything, as CSLS in cross-lingual retrieval).
  Ranked by that key rounded to 4 decimals (ties: lower code point first),
  written in that order; the score written (2 decimals) is the visual score
  alone, so it is not strictly decreasing along a line.
- Chosen by coverage on the training substitutions only (figures in
  dictionaries/README.md): the prior raises top-32 coverage from about 26%
  to 32%, the hub term by 1 more point; a 7x7 layout level, blur 0 or 0.8,
  and no shifts each did as well or worse.

Output: dictionaries/glyph_visual.tsv, one line per char, sorted by code point
(= UTF-8 order), `char<TAB>n1:s1 n2:s2 ...` (the 32 neighbours, best first),
the line format of dictionaries/confusion_glyph.tsv.

Coverage (`--coverage`): for the Han->Han substitutions in the training rows of
/work/shared/dev-ocr/*.tsv (id suffix not divisible by 4) and in
dictionaries/channel_pairs_docs.tsv, the share whose intended char is among the
observed char's top 8 / 16 / 32 visual neighbours, against the other candidate
sources (confusion_glyph.tsv, channel_ocr.tsv). `--heldout` reports the
held-out dev-ocr rows (suffix divisible by 4) instead; never used to choose
anything.

Rerun (deterministic: fixed char list, fonts, parameters; FreeType/Pillow
versions fix the pixels; scores are rounded before ranking):
  apt-get install -y fonts-arphic-uming fonts-arphic-ukai fonts-wqy-microhei fonts-noto-cjk
  pip install pillow numpy fonttools
  python3 scripts/build_glyph_visual.py             # writes the table (3-7 min on 2 busy cores, 1.8 GB RAM)
  python3 scripts/build_glyph_visual.py --coverage  # the README figures
Renderings are cached in /work/data/glyph_visual/ (not committed).
"""
import argparse
import csv
import difflib
import glob
import os
import re
import sys
from collections import Counter

import numpy as np
from fontTools.ttLib import TTCollection
from PIL import Image, ImageDraw, ImageFilter, ImageFont

csv.field_size_limit(10**8)

CHARLIST = "/work/shared/data/unihan_tghz2013_8105.tsv"
OUT = "dictionaries/glyph_visual.tsv"
CACHE = "/work/data/glyph_visual"
FONTS = [
    ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "AR PL UMing CN"),
    ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0, "AR PL UKai CN"),
    ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2, "Noto Serif CJK SC"),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2, "Noto Sans CJK SC"),
]
SCALE = 4
SIZES = (10, 12, 14)
BLUR = 0.45
PRIOR = 0.05
HUB = 0.5
HUB_K = 10
TOP = 32
REFERENCE = "国回田图困"


def load_chars():
    chars = [
        l.split("\t")[0]
        for l in open(CHARLIST, encoding="utf-8")
        if not l.startswith("#") and l.strip()
    ]
    assert len(chars) == 8105 and len(set(chars)) == 8105, len(chars)
    return sorted(chars)


def em_origin(font, em):
    """Where to put the text origin (anchor 'ls') so the ink box of the
    reference chars is centred in an em x em box at (0, 0)."""
    boxes = [font.getbbox(c, anchor="ls") for c in REFERENCE]
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[2] for b in boxes)
    y1 = max(b[3] for b in boxes)
    return (em - (x0 + x1)) / 2, (em - (y0 + y1)) / 2


def render_font(path, index, chars, blur):
    """Per size: array (n, px+2, px+2) of ink in [0, 1]; plus the has-glyph
    mask (chars the font lacks stay 0)."""
    cmap = TTCollection(path, lazy=True)[index].getBestCmap()
    has = np.array([ord(c) in cmap for c in chars])
    fine = {}
    for px in SIZES:
        em = px * SCALE
        font = ImageFont.truetype(path, em, index=index)
        ox, oy = em_origin(font, em)
        side = (px + 2) * SCALE
        arr = np.zeros((len(chars), px + 2, px + 2), np.float32)
        for i, c in enumerate(chars):
            if not has[i]:
                continue
            img = Image.new("L", (side, side), 255)
            ImageDraw.Draw(img).text((SCALE + ox, SCALE + oy), c, font=font, fill=0, anchor="ls")
            small = img.resize((px + 2, px + 2), Image.BILINEAR)
            if blur:
                small = small.filter(ImageFilter.GaussianBlur(blur))
            arr[i] = 1 - np.asarray(small, np.float32) / 255
        fine[px] = arr
    return fine, has


def renderings(chars, blur):
    """[(font name, {px: renderings}, has-glyph mask)], cached in CACHE."""
    os.makedirs(CACHE, exist_ok=True)
    out = []
    for path, index, name in FONTS:
        f = os.path.join(CACHE, f"{os.path.basename(path)}-{index}-b{blur}-{'_'.join(map(str, SIZES))}.npz")
        if not os.path.exists(f):
            print(f"rendering {name} ...", file=sys.stderr)
            fine, has = render_font(path, index, chars, blur)
            np.savez(f, has=has, **{f"px{p}": a for p, a in fine.items()})
        z = np.load(f)
        out.append((name, {p: z[f"px{p}"] for p in SIZES}, z["has"]))
    return out


def normalize(x):
    """Rows of x (n, d) centred and scaled to unit norm (zero rows stay 0)."""
    x = x - x.mean(axis=1, keepdims=True)
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return np.where(n > 0, x / np.maximum(n, 1e-12), 0).astype(np.float32)


def features(fonts, shift=True):
    """Groups (centre windows (n, d), [shifted windows (n, d)], mask), one
    per font and size."""
    groups = []
    for _name, fine, has in fonts:
        for px, arr in fine.items():
            n = arr.shape[0]
            centre = normalize(arr[:, 1:-1, 1:-1].reshape(n, -1))
            offs = [(dy, dx) for dy in range(3) for dx in range(3)] if shift else [(1, 1)]
            shifted = [normalize(arr[:, dy:dy + px, dx:dx + px].reshape(n, -1)) for dy, dx in offs]
            groups.append((centre, shifted, has))
    return groups


def similarity_rows(groups, rows, block=512):
    """Yield (row indices, score block (len, n)) for the given row indices."""
    n = groups[0][0].shape[0]
    for s in range(0, len(rows), block):
        idx = rows[s:s + block]
        total = np.zeros((len(idx), n), np.float32)
        weight = np.zeros((len(idx), n), np.float32)
        for centre, shifted, has in groups:
            a = centre[idx]
            best = np.full((len(idx), n), -1.0, np.float32)
            for sh in shifted:
                np.maximum(best, a @ sh.T, out=best)
            m = np.outer(has[idx], has).astype(np.float32)
            total += m * best
            weight += m
        yield idx, total / np.maximum(weight, 1e-9)


def log_counts(chars):
    """log10(1 + count) per char, count from dictionaries/chars.tsv."""
    cnt = {}
    for l in open("dictionaries/chars.tsv", encoding="utf-8"):
        if not l.startswith("#"):
            f = l.split("\t")
            cnt[f[0]] = int(f[1])
    return np.array([np.log10(1 + cnt.get(c, 0)) for c in chars])


def similarity_matrix(groups):
    """All pairs: (n, n) float32, row a = a's centre against the others."""
    n = groups[0][0].shape[0]
    sim = np.zeros((n, n), np.float32)
    for idx, block in similarity_rows(groups, np.arange(n)):
        sim[idx] = block
    return sim


def top_neighbours(chars, sim):
    """[[(col, visual score)]] per char, best candidate first (module doc)."""
    n = len(chars)
    cps = np.array([ord(c) for c in chars])
    prior = PRIOR * log_counts(chars)
    masked = sim.copy()
    masked[np.arange(n), np.arange(n)] = -9
    # hubness: how alike a char is to its 10 nearest, whatever they are
    hub = -np.partition(-masked, HUB_K, axis=1)[:, :HUB_K].mean(axis=1)
    bonus = prior - HUB * hub
    out = []
    for i in range(n):
        v = sim[i].astype(np.float64)
        key = np.round(v + bonus, 4)
        key[i] = -9
        cand = np.argpartition(-key, TOP + 8)[: TOP + 8]
        cand = sorted(cand, key=lambda j: (-key[j], cps[j]))[:TOP]
        out.append([(j, float(v[j])) for j in cand])
    return out


def write_table(chars, neigh):
    with open(OUT, "w", encoding="utf-8") as f:
        f.write(
            "# char\tits 32 best visual neighbours, best candidate first (c:score ...) -- "
            "scripts/build_glyph_visual.py: Pearson correlation of 10/12/14 px anti-aliased "
            "renderings (best of +-1 px shifts), averaged over AR PL UMing, AR PL UKai, "
            "WenQuanYi Micro Hei, Noto Serif/Sans CJK SC Regular; ranked with a 0.05 log10 "
            "frequency prior and a 0.5 hubness penalty; chars: Unihan kTGHZ2013\n"
        )
        for i, c in enumerate(chars):
            items = " ".join(f"{chars[j]}:{min(max(s, 0.0), 1.0):.2f}" for j, s in neigh[i])
            f.write(f"{c}\t{items}\n")


# ---------------------------------------------------------------- coverage


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def heldout(i):
    m = re.search(r"(\d+)$", i)
    return m is None or int(m.group(1)) % 4 == 0


def read_rows(path):
    with open(path, encoding="utf-8") as fh:
        yield from csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)


def han_subs(rows):
    """Han->Han 1:1 substitutions (intended, observed), difflib alignment as
    scripts/build_channel.py."""
    out = []
    for r in rows:
        g, o = r["gold"], r["ocr"]
        sm = difflib.SequenceMatcher(None, g, o, autojunk=False)
        for tag, i1, i2, j1, j2 in sm.get_opcodes():
            if tag == "replace" and i2 - i1 == j2 - j1:
                out += [(a, b) for a, b in zip(g[i1:i2], o[j1:j2]) if is_han(a) and is_han(b)]
    return out


def sub_sets(which):
    dev = [r for f in sorted(glob.glob("/work/shared/dev-ocr/*.tsv")) for r in read_rows(f)]
    if which == "heldout":
        return {"dev-ocr held-out rows": han_subs(r for r in dev if heldout(r["id"]))}
    return {
        "dev-ocr training rows": han_subs(r for r in dev if not heldout(r["id"])),
        "channel_pairs_docs.tsv": han_subs(read_rows("dictionaries/channel_pairs_docs.tsv")),
    }


def read_lists(path):
    """char -> [neighbour] in file order (confusion_glyph / glyph_visual lines)."""
    out = {}
    for l in open(path, encoding="utf-8"):
        if l.startswith("#"):
            continue
        c, rest = l.rstrip("\n").split("\t")
        out[c] = [x.split(":")[0] for x in rest.split()]
    return out


def read_channel():
    """observed -> set of intended chars (channel_ocr.tsv `sub` lines)."""
    out = {}
    for l in open("dictionaries/channel_ocr.tsv", encoding="utf-8"):
        f = l.rstrip("\n").split("\t")
        if f[0] == "sub":
            out.setdefault(f[2], set()).add(f[1])
    return out


def coverage(which, visual):
    glyph = read_lists("dictionaries/confusion_glyph.tsv")
    reverse = {}
    for c, v in glyph.items():
        for s in v:
            reverse.setdefault(s, []).append(c)
    channel = read_channel()

    def today(b):
        return set(glyph.get(b, [])) | set(reverse.get(b, [])) | channel.get(b, set())

    pool = lambda b: set(glyph.get(b, [])) | set(reverse.get(b, []))  # noqa: E731
    sources = [
        ("visual top 8", lambda b: visual.get(b, [])[:8]),
        ("visual top 16", lambda b: visual.get(b, [])[:16]),
        ("visual top 32", lambda b: visual.get(b, [])[:32]),
        ("confusion_glyph similar(obs) top 8", lambda b: glyph.get(b, [])[:8]),
        ("confusion_glyph similar(obs) (<=24)", lambda b: glyph.get(b, [])),
        ("confusion_glyph similar + similar_to (C702 pool)", pool),
        ("C702 pool + visual top 16", lambda b: pool(b) | set(visual.get(b, [])[:16])),
        ("C702 pool + visual top 32", lambda b: pool(b) | set(visual.get(b, [])[:32])),
    ]
    if which == "heldout":
        # the channel is learned from the training rows: only meaningful here
        sources += [
            ("channel_ocr intended_for(obs)", lambda b: channel.get(b, ())),
            ("today: C702 pool + channel", today),
            ("today + visual top 16", lambda b: today(b) | set(visual.get(b, [])[:16])),
            ("today + visual top 32", lambda b: today(b) | set(visual.get(b, [])[:32])),
        ]
    for name, subs in sub_sets(which).items():
        n = len(subs)
        inv = sum(b in visual for _, b in subs)
        print(f"## {name}: {n} Han->Han substitutions ({len(set(subs))} distinct pairs); observed char in the table: {inv}")
        for label, f in sources:
            hit = sum(a in f(b) for a, b in subs)
            print(f"  {label:50s} {hit:6d}  {100 * hit / max(n, 1):5.1f}%")


def main():
    global BLUR, PRIOR, HUB, SIZES
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--coverage", action="store_true", help="measure the shipped table on the training substitutions")
    ap.add_argument("--heldout", action="store_true", help="with --coverage: the held-out dev-ocr rows (report once)")
    ap.add_argument("--blur", type=float, default=BLUR)
    ap.add_argument("--prior", type=float, default=PRIOR)
    ap.add_argument("--hub", type=float, default=HUB)
    ap.add_argument("--sizes", default=",".join(map(str, SIZES)))
    ap.add_argument("--no-shift", action="store_true")
    a = ap.parse_args()
    if a.coverage:
        coverage("heldout" if a.heldout else "train", read_lists(OUT))
        return
    BLUR, PRIOR, HUB, SIZES = a.blur, a.prior, a.hub, tuple(int(x) for x in a.sizes.split(","))
    chars = load_chars()
    groups = features(renderings(chars, BLUR), shift=not a.no_shift)
    neigh = top_neighbours(chars, similarity_matrix(groups))
    write_table(chars, neigh)
    print(f"wrote {OUT}: {len(chars)} lines, {os.path.getsize(OUT)} bytes", file=sys.stderr)


if __name__ == "__main__":
    main()
