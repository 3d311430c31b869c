#!/usr/bin/env python3
"""Make (gold, ocr) sentence pairs with REAL OCR errors, several fonts, damages and engines.

Extends the project's shared/tools/make-ocr-pairs.py (same rendering: draw at 4x, shrink to
the target pixel size) with
- font sets:   `train` (the dev-ocr fonts) and `ood` (faces no training step sees);
- damage sets: `train` (downscale px 11-15, Gaussian blur, salt noise, JPEG q30-90) and
               `ood` (slight rotation, grey/yellowed textured paper, ink bleed, ink loss /
               photocopy, uneven lighting; two or three of them per image);
- engines:     `tesseract` (Tesseract 5, `chi_sim`), `tesseract-hans` (Tesseract 5, the Han
               script model `script/HanS`), `rapidocr` (rapidocr_onnxruntime: PP-OCRv4 det/rec
               ONNX models shipped inside the wheel).
Every choice is drawn from a generator seeded by the sentence id (sha1 of the sentence), so a
run is reproducible and a sentence always gets the same image whatever the input order.
With `--engine-mode all` each image is read by every engine (eval sets: same images, one row
per engine); with `--engine-mode split` each sentence goes to one engine (training pairs).

Output TSV (header line): id font px blur noise gold ocr engine damage. A row whose OCR
output is empty or whose CER against the gold is above --max-cer (0.5) is dropped and
counted; the counts, the CER per engine and the seconds per sentence per engine are printed
to stderr and written to OUT.stats.json. OUT is written to OUT.part and renamed when done.

Set-up: see scripts/ocr_pairs/README.md. Threads: one per process (OMP_THREAD_LIMIT=1 for
Tesseract, onnxruntime intra/inter-op threads 1); --jobs worker processes (default 2).

Usage:
  make_pairs.py SENTENCES.txt OUT.tsv --prefix P --fonts train|ood --damage train|ood \
      --engines tesseract,tesseract-hans,rapidocr --engine-mode all|split [--limit N] [--jobs 2]
"""
import argparse
import hashlib
import io
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont  # noqa: E402

NOTO = "/usr/share/fonts/opentype/noto"
FONT_SETS = {
    # The dev-ocr fonts (fonts-arphic-uming, fonts-wqy-microhei, fonts-noto-cjk).
    "train": [
        ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "AR PL UMing"),
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),
        (f"{NOTO}/NotoSerifCJK-Regular.ttc", 2, "Noto Serif CJK SC"),
        (f"{NOTO}/NotoSansCJK-Regular.ttc", 2, "Noto Sans CJK SC"),
    ],
    # train + three more faces for the channel's third batch (fonts-arphic-ukai: a Kai face;
    # fonts-droid-fallback: a Hei face; fonts-hanazono: HanaMinA, a Ming face of Japanese
    # design with the whole URO): none of them is an OOD font.
    "train2": [
        ("/usr/share/fonts/truetype/arphic/uming.ttc", 0, "AR PL UMing"),
        ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0, "WenQuanYi Micro Hei"),
        (f"{NOTO}/NotoSerifCJK-Regular.ttc", 2, "Noto Serif CJK SC"),
        (f"{NOTO}/NotoSansCJK-Regular.ttc", 2, "Noto Sans CJK SC"),
        ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0, "AR PL UKai CN"),
        ("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf", 0, "Droid Sans Fallback"),
        ("/usr/share/fonts/truetype/hanazono/HanaMinA.ttf", 0, "HanaMinA"),
    ],
    # Never in any training step (fonts-arphic-gkai00mp, fonts-arphic-gbsn00lp,
    # fonts-wqy-zenhei, fonts-noto-cjk-extra Light, fonts-noto-cjk Bold, fonts-lxgw-wenkai).
    "ood": [
        ("/usr/share/fonts/truetype/arphic-gkai00mp/gkai00mp.ttf", 0, "AR PL KaitiM GB"),
        ("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf", 0, "AR PL SungtiL GB"),
        ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0, "WenQuanYi Zen Hei"),
        (f"{NOTO}/NotoSerifCJK-Light.ttc", 2, "Noto Serif CJK SC Light"),
        (f"{NOTO}/NotoSansCJK-Light.ttc", 2, "Noto Sans CJK SC Light"),
        (f"{NOTO}/NotoSerifCJK-Bold.ttc", 2, "Noto Serif CJK SC Bold"),
        (f"{NOTO}/NotoSansCJK-Bold.ttc", 2, "Noto Sans CJK SC Bold"),
        ("/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf", 0, "LXGW WenKai"),
    ],
}
ENGINES = ("tesseract", "tesseract-hans", "rapidocr")
SCALE = 4  # render large, then shrink: gives realistic anti-aliasing
WRAP = 30  # characters per rendered line


def sentence_id(prefix, text):
    return f"{prefix}-{hashlib.sha1(text.encode('utf-8')).hexdigest()[:10]}"


def cer(gold, ocr):
    """Levenshtein distance / len(gold)."""
    prev = list(range(len(ocr) + 1))
    for i, g in enumerate(gold, 1):
        cur = [i]
        for j, o in enumerate(ocr, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (g != o)))
        prev = cur
    return prev[-1] / max(1, len(gold))


# ---------------------------------------------------------------- rendering


def draw_text(text, font, px):
    lines = [text[i:i + WRAP] for i in range(0, len(text), WRAP)]
    width = max(font.getbbox(line)[2] for line in lines) + 40 * SCALE // 2
    line_h = int(px * SCALE * 1.6)
    img = Image.new("L", (width, line_h * len(lines) + 40 * SCALE // 2), 255)
    draw = ImageDraw.Draw(img)
    for i, line in enumerate(lines):
        draw.text((10 * SCALE, 10 * SCALE + i * line_h), line, font=font, fill=0)
    return img, len(lines)


def salt(img, rng, rate):
    if rate <= 0:
        return img
    pix = img.load()
    for y in range(img.height):
        for x in range(img.width):
            if rng.random() < rate:
                pix[x, y] = 255 - pix[x, y]
    return img


def jpeg(img, quality):
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=quality)
    buf.seek(0)
    return Image.open(buf).convert(img.mode)


def damage_train(big, rng, px):
    """px 11-15 downscale, Gaussian blur, salt noise, JPEG q30-90 (half of the images)."""
    blur = round(rng.uniform(0.2, 0.7), 2)
    noise = rng.choice([0.0, 0.0, 0.003, 0.006, 0.01])
    img = big.resize((big.width // SCALE, big.height // SCALE), Image.BILINEAR)
    img = img.filter(ImageFilter.GaussianBlur(blur))
    img = salt(img, rng, noise)
    tags = [f"px{px}", f"blur{blur}"]
    if noise:
        tags.append(f"salt{noise}")
    if rng.random() < 0.5:
        q = rng.randrange(30, 91)
        img = jpeg(img, q)
        tags.append(f"jpeg{q}")
    return img, blur, noise, "+".join(tags)


def damage_train2(big, rng, px):
    """The train damage after one or two of: condensed or expanded type (width 0.8-1.15), faded
    ink (uniform grey strokes), another resampling filter, over-sharpening. None of them is an OOD
    kind (rotation, paper, ink bleed, ink loss, uneven lighting)."""
    tags = []
    kinds = rng.sample(["width", "fade", "resample", "sharpen"], rng.choice([1, 2]))
    if "width" in kinds:
        f = round(rng.uniform(0.8, 1.15), 2)
        big = big.resize((max(1, int(big.width * f)), big.height), Image.BICUBIC)
        tags.append(f"width{f}")
    resample = Image.BILINEAR
    if "resample" in kinds:
        name, resample = rng.choice([("box", Image.BOX), ("nearest", Image.NEAREST), ("lanczos", Image.LANCZOS)])
        tags.append(f"rs-{name}")
    blur = round(rng.uniform(0.2, 0.6), 2)
    noise = rng.choice([0.0, 0.0, 0.003, 0.006])
    img = big.resize((big.width // SCALE, big.height // SCALE), resample)
    img = img.filter(ImageFilter.GaussianBlur(blur))
    if "sharpen" in kinds:
        img = img.filter(ImageFilter.UnsharpMask(radius=1, percent=rng.randrange(80, 200), threshold=2))
        tags.append("sharpen")
    if "fade" in kinds:
        ink = rng.randrange(60, 141)
        img = img.point(lambda v: ink + v * (255 - ink) // 255)
        tags.append(f"fade{ink}")
    img = salt(img, rng, noise)
    tags = [f"px{px}", f"blur{blur}"] + ([f"salt{noise}"] if noise else []) + tags
    if rng.random() < 0.5:
        q = rng.randrange(30, 91)
        img = jpeg(img, q)
        tags.append(f"jpeg{q}")
    return img, blur, noise, "+".join(tags)


def blotch(rng, w, h, cell):
    """Smooth random field in 0..255 (low-res noise upscaled)."""
    sw, sh = max(2, w // cell + 2), max(2, h // cell + 2)
    small = Image.new("L", (sw, sh))
    small.putdata([rng.randrange(256) for _ in range(sw * sh)])
    return small.resize((w, h), Image.BICUBIC)


def damage_ood(big, rng, px):
    """Two or three of: rotation, paper, ink bleed, ink loss (photocopy), uneven lighting."""
    kinds = ["rotate", "paper", "bleed", "loss", "light"]
    n = rng.choice([2, 2, 3])
    chosen = set(rng.sample(kinds, n))
    if "bleed" in chosen and "loss" in chosen:
        chosen.discard(rng.choice(["bleed", "loss"]))
    tags = [f"px{px}"]
    img = big
    if "bleed" in chosen:  # ink spreads: dilate the dark strokes, then soften
        k = rng.choice([3, 5])
        img = img.filter(ImageFilter.MinFilter(k)).filter(ImageFilter.GaussianBlur(SCALE * 0.4))
        tags.append(f"bleed{k}")
    if "loss" in chosen:  # photocopy: strokes thinned and broken in blotches
        mask = blotch(rng, img.width, img.height, SCALE * rng.choice([2, 3, 4]))
        thr = rng.randrange(205, 230)
        holes = mask.point(lambda v: 255 if v > thr else 0)
        img = ImageChops.lighter(img, holes)
        if rng.random() < 0.3:
            img = img.filter(ImageFilter.MaxFilter(3))
        tags.append(f"loss{thr}")
    if "rotate" in chosen:
        deg = round(rng.uniform(0.4, 1.5) * rng.choice([-1, 1]), 2)
        img = img.rotate(deg, resample=Image.BICUBIC, expand=True, fillcolor=255)
        tags.append(f"rot{deg}")
    img = img.resize((img.width // SCALE, img.height // SCALE), Image.BILINEAR)
    blur = round(rng.uniform(0.2, 0.5), 2)
    img = img.filter(ImageFilter.GaussianBlur(blur))
    tags.append(f"blur{blur}")
    w, h = img.size
    rgb = Image.merge("RGB", (img, img, img))
    if "paper" in chosen:  # grey or yellowed paper with fibre texture; ink multiplies
        if rng.random() < 0.5:
            g = rng.randrange(185, 225)
            colour, name = (g, g, g), "grey"
        else:
            colour, name = (rng.randrange(225, 245), rng.randrange(210, 230), rng.randrange(160, 195)), "yellow"
        texture = blotch(rng, w, h, 3).point(lambda v: 255 - (255 - v) // 6)
        fine = Image.effect_noise((w, h), 12).point(lambda v: min(255, v + 100))
        texture = ImageChops.multiply(texture, fine)
        paper = ImageChops.multiply(Image.new("RGB", (w, h), colour), Image.merge("RGB", (texture,) * 3))
        ink = Image.new("RGB", (w, h), (rng.randrange(20, 60),) * 3)
        ink_l = Image.merge("RGB", (img,) * 3)
        rgb = ImageChops.multiply(paper, ImageChops.screen(ink_l, ink))
        tags.append(f"paper-{name}")
    if "light" in chosen:  # uneven lighting: a linear shadow across the page
        lo = rng.uniform(0.45, 0.75)
        turn = rng.choice([90, 270, 90, 270, 0, 180])  # mostly across the line
        grad = Image.linear_gradient("L").rotate(turn).resize((w, h), Image.BILINEAR)
        grad = grad.point(lambda v: int(255 * (lo + (1 - lo) * v / 255)))
        rgb = ImageChops.multiply(rgb, Image.merge("RGB", (grad,) * 3))
        tags.append(f"light{lo:.2f}r{turn}")
    return rgb, blur, 0.0, "+".join(tags)


# ---------------------------------------------------------------- engines

_RAPID = None
_RAPID_UP = None


def read_tesseract(png, lang, lines):
    psm = "7" if lines == 1 else "6"
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    out = subprocess.run(["tesseract", png, "-", "-l", lang, "--psm", psm],
                         capture_output=True, text=True, env=env).stdout
    return re.sub(r"\s+", "", out)


def read_rapidocr(png):
    global _RAPID, _RAPID_UP
    if _RAPID is None:
        import cv2
        cv2.setNumThreads(1)
        from rapidocr_onnxruntime import RapidOCR
        # det_limit_type max: the default (min side 736) upscales a one-line image ~8x and
        # costs ~15 s a line on one thread; max 960 keeps the image as rendered (~0.7 s).
        _RAPID = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1,
                          det_limit_type="max", det_limit_side_len=960)
        # When the detector finds no text at that size (small, short lines), read again
        # with the short side upscaled to 160 px, as a user would (gold-independent).
        _RAPID_UP = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1,
                             det_limit_type="min", det_limit_side_len=160)
    result, _ = _RAPID(png)
    if not result:
        result, _ = _RAPID_UP(png)
    if not result:
        return ""
    # reading order: by line (box top), then left to right
    boxes = [(min(p[1] for p in box), min(p[0] for p in box), text) for box, text, _ in result]
    boxes.sort()
    ordered, line_top = [], None
    for top, left, text in boxes:
        if line_top is None or top - line_top > 8:
            ordered.append([])
            line_top = top
        ordered[-1].append((left, text))
    return re.sub(r"\s+", "", "".join(t for line in ordered for _, t in sorted(line)))


def read(engine, png, lines):
    if engine == "tesseract":
        return read_tesseract(png, "chi_sim", lines)
    if engine == "tesseract-hans":
        return read_tesseract(png, "HanS", lines)
    return read_rapidocr(png)


# ---------------------------------------------------------------- job


def render_and_read(job):
    sid, text, fontset, damage, engines, workdir = job
    rng = random.Random(sid)
    fonts = [f for f in FONT_SETS[fontset] if os.path.exists(f[0])]
    path, index, name = fonts[rng.randrange(len(fonts))]
    px = rng.randrange(11, 16)
    font = ImageFont.truetype(path, px * SCALE, index=index)
    big, lines = draw_text(text, font, px)
    if damage == "train":
        img, blur, noise, tags = damage_train(big, rng, px)
    elif damage == "train2":
        img, blur, noise, tags = damage_train2(big, rng, px)
    else:
        img, blur, noise, tags = damage_ood(big, rng, px)
    png = os.path.join(workdir, f"{sid}.png")
    img.save(png)
    rows = []
    for engine in engines:
        t0 = time.time()
        ocr = read(engine, png, lines)
        rows.append((sid, name, px, blur, noise, text, ocr, engine, tags, time.time() - t0))
    os.remove(png)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sentences")
    ap.add_argument("out")
    ap.add_argument("--prefix", default="s")
    ap.add_argument("--fonts", choices=sorted(FONT_SETS), default="train")
    ap.add_argument("--damage", choices=["train", "train2", "ood"], default="train")
    ap.add_argument("--engines", default=",".join(ENGINES))
    ap.add_argument("--engine-mode", choices=["all", "split"], default="split")
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--skip", type=int, default=0, help="skip the first N sentences")
    ap.add_argument("--limit", type=int, default=0, help="use at most N sentences")
    ap.add_argument("--max-cer", type=float, default=0.5)
    ap.add_argument("--deadline", default="", help="stop taking new sentences at this UTC HH:MM")
    a = ap.parse_args()
    engines = a.engines.split(",")
    for e in engines:
        if e not in ENGINES:
            sys.exit(f"unknown engine {e}")
    with open(a.sentences, encoding="utf-8") as f:
        sents = [line.strip() for line in f if line.strip()]
    sents = sents[a.skip:]
    if a.limit:
        sents = sents[:a.limit]
    workdir = tempfile.mkdtemp(prefix="ocrpairs-")
    jobs = []
    for s in sents:
        sid = sentence_id(a.prefix, s)
        if a.engine_mode == "split":
            use = [engines[random.Random(sid + "/engine").randrange(len(engines))]]
        else:
            use = engines
        jobs.append((sid, s, a.fonts, a.damage, use, workdir))
    stats = {e: {"read": 0, "kept": 0, "dropped_empty": 0, "dropped_cer": 0, "seconds": 0.0,
                 "gold_chars": 0, "edits": 0.0} for e in engines}
    deadline = None
    if a.deadline:
        hh, mm = (int(v) for v in a.deadline.split(":"))
        now = time.gmtime()
        deadline = time.time() + ((hh * 60 + mm) - (now.tm_hour * 60 + now.tm_min)) * 60 - now.tm_sec
    start = time.time()
    part = a.out + ".part"
    with Pool(a.jobs) as pool, open(part, "w", encoding="utf-8") as out:
        out.write("id\tfont\tpx\tblur\tnoise\tgold\tocr\tengine\tdamage\n")
        n = 0
        for rows in pool.imap(render_and_read, jobs):
            for sid, name, px, blur, noise, gold, ocr, engine, tags, secs in rows:
                st = stats[engine]
                st["read"] += 1
                st["seconds"] += secs
                if not ocr:
                    st["dropped_empty"] += 1
                    continue
                c = cer(gold, ocr)
                if c > a.max_cer:
                    st["dropped_cer"] += 1
                    continue
                st["kept"] += 1
                st["gold_chars"] += len(gold)
                st["edits"] += c * len(gold)
                out.write("\t".join(str(v) for v in (sid, name, px, blur, noise, gold, ocr, engine, tags)) + "\n")
            out.flush()
            n += 1
            if n % 50 == 0:
                print(f"{n}/{len(jobs)} {time.time() - start:.0f}s", file=sys.stderr)
            if deadline and time.time() > deadline:
                print("deadline reached: stopping", file=sys.stderr)
                pool.terminate()
                break
    os.rename(part, a.out)
    for e, st in stats.items():
        st["cer_kept"] = round(st["edits"] / max(1, st["gold_chars"]), 4)
        st["sec_per_sentence"] = round(st["seconds"] / max(1, st["read"]), 3)
        st["seconds"] = round(st["seconds"], 1)
        st["edits"] = round(st["edits"])
    summary = {"sentences": n, "wall_seconds": round(time.time() - start, 1), "fonts": a.fonts,
               "damage": a.damage, "engine_mode": a.engine_mode, "engines": stats}
    with open(a.out + ".stats.json", "w") as f:
        json.dump(summary, f, indent=1)
    print(json.dumps(summary, indent=1), file=sys.stderr)


if __name__ == "__main__":
    main()
