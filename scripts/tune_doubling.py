#!/usr/bin/env python3
"""Tuning set for R401's doubled chars (issue 16): one doubled Han char
injected into each clean sentence of the TUNING text, against the doublings
that text already holds.

Tuning text (none of it held out by any figure in BENCHMARKS.md):
  the gold side of dictionaries/channel_pairs_*.tsv, the dev-pair
  ud_gsdsimp rows of the train split (id number not divisible by 4) and the
  GNOME rows whose id ends in 5-9 (the inject_layout.py tuning rows).

`run` writes OUT/clean.jsonl and OUT/inj.jsonl (seed 16), runs
`zhclean fix --apply review --select R401` over both and prints the
injections fixed exactly and every change made to the clean sentences
(to read: a real slip of the source, or a false change). The char model was
trained on the same sources as the channel pairs (not on the dev pairs), so
the share is printed for each group: the dev-pair one is the fair one.

  scripts/tune_doubling.py run OUT [--bin target/release/zhclean] [--kind char|word]
"""
import argparse, glob, json, os, random, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
SEED = 16


def is_han(c):
    return "\u4e00" <= c <= "\u9fff" or "\u3400" <= c <= "\u4dbf"


def heldout(i):
    d = ""
    for c in reversed(i):
        if not c.isdigit():
            break
        d = c + d
    return not d or int(d) % 4 == 0


def sentences():
    out = []
    files = sorted(glob.glob(os.path.join(HERE, "..", "dictionaries", "channel_pairs_*.tsv")))
    files += ["/work/shared/dev-ocr/ud_gsdsimp_tesseract_ocr.tsv", "/work/shared/dev-ocr/gnome_help_tesseract_ocr.tsv"]
    seen = set()
    for f in files:
        hdr = None
        for line in open(f, encoding="utf-8"):
            if line.startswith("#"):
                continue
            row = line.rstrip("\n").split("\t")
            if hdr is None:
                hdr = row
                continue
            i, g = row[0], row[hdr.index("gold")]
            if "ud_gsdsimp" in f and heldout(i):
                continue
            if "gnome_help" in f and i[-1] not in "56789":
                continue
            if g in seen or sum(map(is_han, g)) < 4:
                continue
            seen.add(g)
            out.append((i, g))
    return out


def run_fix(binary, recs):
    inp = "".join(json.dumps({"id": i, "text": t}, ensure_ascii=False) + "\n" for i, t in recs)
    r = subprocess.run([binary, "fix", "--apply", "review", "--select", "R401", "--format", "jsonl", "-"],
                       input=inp, capture_output=True, text=True)
    return {json.loads(l)["id"]: json.loads(l).get("text") for l in r.stdout.splitlines()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("cmd", choices=["run"])
    ap.add_argument("out")
    ap.add_argument("--bin", default="target/release/zhclean")
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)
    sents = sentences()
    clean = run_fix(a.bin, sents)
    changed = [(i, g, clean[i]) for i, g in sents if clean.get(i) != g]
    inj = []
    rng = random.Random(SEED)
    for i, g in sents:
        pos = [j for j, c in enumerate(g) if is_han(c)]
        j = rng.choice(pos)
        inj.append((i, g[: j + 1] + g[j] + g[j + 1 :], g, j))
    outs = run_fix(a.bin, [(i, t) for i, t, _, _ in inj])
    ok = 0
    by_src = {}
    with open(os.path.join(a.out, "inj_misses.tsv"), "w", encoding="utf-8") as f:
        for i, t, g, j in inj:
            o = outs.get(i)
            # fixed: the injected copy removed, whatever R401 does to the rest
            # of the sentence (its clean-text changes are counted apart)
            src = "dev pairs (ud_gsdsimp train, GNOME 5-9)" if i.startswith(("dev-", "test-", "gnome-")) else "channel pairs (docs, apps)"
            b = by_src.setdefault(src, [0, 0])
            b[1] += 1
            if o == clean.get(i) or o == g:
                ok += 1
                b[0] += 1
            else:
                f.write(f"{i}\t{t[max(0,j-10):j+10]}\t{'unchanged' if o == t else (o or '')[max(0,j-10):j+10]}\n")
    print(f"{len(sents)} sentences, {sum(len(g) for _, g in sents)} chars")
    print(f"injected doubled chars fixed: {ok} of {len(inj)} ({100.0*ok/len(inj):.1f}%)")
    for src, (k, n) in sorted(by_src.items()):
        print(f"  {src}: {k} of {n} ({100.0*k/n:.1f}%)")
    print(f"clean sentences changed: {len(changed)}")
    lines = []
    for i, g, o in changed:
        k = next((x for x in range(min(len(g), len(o or ""))) if g[x] != (o or "")[x]), 0)
        lines.append(f"{i}\t{g[max(0,k-8):k+8]}\t{(o or '')[max(0,k-8):k+8]}")
    with open(os.path.join(a.out, "clean_changes.tsv"), "w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in lines)
    for line in lines:
        print("  " + line)


if __name__ == "__main__":
    sys.exit(main())
