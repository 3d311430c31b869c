#!/usr/bin/env python3
"""zhclean speed beside its peers and the do-nothing floor, in one run.

Builds the inputs (make_inputs.py), builds zhclean and bench_peers (release),
then times, on each input:
  floor     iconv -f UTF-8 -t UTF-8 (read + validate + write), and zhclean
            with every rule off (its own read + block + write)
  zhclean   `fix -q` with the default rules, one thread and two threads
            (-j 1 / -j 2), and one thread without C706 (--ignore C706)
  peers     in-process, one thread (bench_peers): zhclean's segmentation
            beside jieba-rs (no HMM), zhclean's normalization rules beside
            autocorrect::format
Every command writes to /dev/null. Prints the machine, the load before and
after, one row per measurement (wall seconds, CPU seconds, CPU use, MB/s of
wall and MB/s per CPU-second) and the ratios, as Markdown tables.

usage: scripts/bench/run.py [--sizes 1,20,100] [--rounds N] [--dir DIR]
  --sizes   input sizes in MB (default 1,20,100)
  --rounds  runs of each command; the fastest (least wall time) is kept
            (default 1)
  --dir     where the inputs go (default: a temporary directory, removed)
"""
import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
MB = 1 << 20


def sh(cmd):
    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout.strip()


def timed(argv, rounds):
    """(wall s, cpu s) of the fastest of `rounds` runs of argv."""
    best = None
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        with open(os.devnull, "wb") as null:
            r = subprocess.run(argv, stdout=null, stderr=subprocess.PIPE)
        wall = time.perf_counter() - t
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        if r.returncode not in (0, 1):
            tail = r.stderr.decode(errors="replace")[-2000:]
            sys.exit(f"failed ({r.returncode}): {' '.join(argv)}\n{tail}")
        if best is None or wall < best[0]:
            best = (wall, cpu)
    return best


def size_of(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
    return os.path.getsize(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1,20,100")
    ap.add_argument("--rounds", type=int, default=1)
    ap.add_argument("--dir")
    a = ap.parse_args()
    sizes = [int(s) for s in a.sizes.split(",")]

    print("## Machine\n")
    model = sh("lscpu | grep -m1 'Model name' | sed 's/.*: *//'")
    print(f"- {sh('nproc')} cores: {model}")
    print(f"- load before: `{sh('uptime')}`")
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(ROOT, "target"))
    subprocess.run(
        ["cargo", "build", "--release", "--quiet", "--manifest-path",
         os.path.join(HERE, "peers", "Cargo.toml")],
        cwd=ROOT, check=True, env=env,
    )
    z = os.path.join(ROOT, "target", "release", "zhclean")
    peers = os.path.join(ROOT, "target", "release", "bench_peers")
    print(f"- zhclean {sh(z + ' --version')}, commit {sh('git -C ' + ROOT + ' rev-parse --short HEAD')}")

    tmp = None
    d = a.dir
    if d is None:
        tmp = tempfile.mkdtemp(prefix="zhclean-bench-")
        d = tmp
    subprocess.run([sys.executable, os.path.join(HERE, "make_inputs.py"), d] + [str(s) for s in sizes], check=True)
    out = tempfile.mkdtemp(prefix="zhclean-bench-out-")
    try:
        run(z, peers, d, out, sizes, a.rounds)
    finally:
        shutil.rmtree(out, ignore_errors=True)
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"\n- load after: `{sh('uptime')}`")


def run(z, peers, d, out, sizes, rounds):
    zfix = [z, "fix", "--no-config", "-q"]
    every_rule_off = ["--ignore", "N,P,W,R,S,F,C"]
    rows = []  # (input, what, bytes, wall, cpu)

    def measure(name, what, argv, path):
        wall, cpu = timed(argv, rounds)
        rows.append((name, what, size_of(path), wall, cpu))
        print(f"  {name:22} {what:34} {wall:8.2f} s wall {cpu:8.2f} s CPU", file=sys.stderr, flush=True)

    inputs = [(f"{k} {mb} MB", os.path.join(d, f"{k}-{mb}mb.txt")) for mb in sizes for k in ("news", "docs", "ocr")]
    if 20 in sizes:
        inputs.append(("news 20 MB, one line", os.path.join(d, "news-line-20mb.txt")))
    for name, path in inputs:
        measure(name, "floor: iconv", ["iconv", "-f", "UTF-8", "-t", "UTF-8", path], path)
        measure(name, "floor: zhclean, every rule off", zfix + ["-j", "1"] + every_rule_off + [path], path)
        measure(name, "zhclean fix -j 1", zfix + ["-j", "1", path], path)
        measure(name, "zhclean fix -j 2", zfix + ["-j", "2", path], path)
        measure(name, "zhclean fix -j 1 --ignore C706", zfix + ["-j", "1", "--ignore", "C706", path], path)
    small = os.path.join(d, "small")
    name = f"{len(os.listdir(small))} small files"
    measure(name, "floor: cat", ["sh", "-c", f"cat {small}/* > /dev/null"], small)
    for j in ("1", "2"):
        measure(name, f"zhclean fix -j {j}", zfix + ["-j", j, "--out", os.path.join(out, "j" + j), small], small)

    print("\n## Command line (wall and CPU of the fastest run; MB = 2^20 bytes)\n")
    print("| input | what | wall s | CPU s | CPU use | MB/s (wall) | MB/s per CPU-s |")
    print("|---|---|---:|---:|---:|---:|---:|")
    for name, what, n, wall, cpu in rows:
        print(f"| {name} | {what} | {wall:.2f} | {cpu:.2f} | {100 * cpu / wall:.0f}% | {n / MB / wall:.1f} | {n / MB / max(cpu, 1e-3):.1f} |")

    def get(name, what):
        return next(r for r in rows if r[0] == name and r[1] == what)

    print("\n## Ratios\n")
    print("| input | default -j 1 vs floor (zhclean, rules off), CPU | -j 2 / -j 1 throughput (wall) | -j 2 CPU use | CPU without C706 / with |")
    print("|---|---:|---:|---:|---:|")
    for name in dict.fromkeys(r[0] for r in rows):
        if name.endswith("small files"):
            j1, j2 = get(name, "zhclean fix -j 1"), get(name, "zhclean fix -j 2")
            print(f"| {name} | | {j1[3] / j2[3]:.2f}× | {100 * j2[4] / j2[3]:.0f}% | |")
            continue
        floor, j1, j2 = get(name, "floor: zhclean, every rule off"), get(name, "zhclean fix -j 1"), get(name, "zhclean fix -j 2")
        no706 = get(name, "zhclean fix -j 1 --ignore C706")
        print(f"| {name} | {j1[4] / max(floor[4], 1e-3):.0f}× | {j1[3] / j2[3]:.2f}× | {100 * j2[4] / j2[3]:.0f}% | {no706[4] / j1[4]:.2f} |")
    if 20 in sizes:
        lines, line = get("news 20 MB", "zhclean fix -j 1"), get("news 20 MB, one line", "zhclean fix -j 1")
        print(f"\nThe 20 MB news text as one line: {line[4] / lines[4]:.2f}× the CPU of the same text in lines (-j 1).")

    print("\n## In process, one thread (bench_peers, line by line, fastest of 3)\n")
    print("| input | zhclean segment MB/s | jieba-rs (no HMM) MB/s | ratio | zhclean normalization MB/s | autocorrect MB/s | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for mb in [s for s in sizes if s <= 20]:
        for k in ("news", "docs", "ocr"):
            path = os.path.join(d, f"{k}-{mb}mb.txt")
            res = {}
            for l in sh(f"{peers} {path} 3").splitlines():
                if l.startswith("RESULT\t"):
                    _, what, n, secs = l.split("\t")
                    res[what] = int(n) / MB / float(secs)
            zs, js = res["zhclean Lexicon::segment"], res["jieba-rs cut (no HMM)"]
            zn, an = res["zhclean normalization rules"], res["autocorrect::format"]
            print(f"| {k} {mb} MB | {zs:.1f} | {js:.1f} | {zs / js:.2f} | {zn:.1f} | {an:.1f} | {zn / an:.2f} |")


if __name__ == "__main__":
    main()
