# C706 calibration (issue 14): every decision made reviewable (ZHCLEAN_C706 sets the tier thresholds
# for calibration runs only) and applied alone; right when the edit distance to gold drops.
# usage: calibrate_char_in_context.py ZHCLEAN PAIRS.tsv train|heldout|all [maxrows]
# Tiers were set on: cat ../shared/dev-ocr/*.tsv | awk 'NR==1 || !/^id\t/' > /tmp/all.tsv; ... /tmp/all.tsv train
import sys, subprocess, re, json, collections, os
BIN, TSV, split = sys.argv[1:4]
maxrows = int(sys.argv[4]) if len(sys.argv) > 4 else 10**9
def lev(a, b):
    prev = list(range(len(b)+1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j]+1, cur[j-1]+1, prev[j-1]+(ca != cb)))
        prev = cur
    return prev[-1]
rows = []; hdr = None
for line in open(TSV, encoding='utf-8'):
    if line.startswith('#'): continue
    f = line.rstrip('\n').split('\t')
    if hdr is None: hdr = f; continue
    d = dict(zip(hdr, f))
    m = re.search(r'(\d+)$', d['id']); held = bool(m and int(m.group(1)) % 4 == 0)
    if split == 'train' and held: continue
    if split == 'heldout' and not held: continue
    rows.append(d)
rows = rows[:maxrows]
env = dict(os.environ, ZHCLEAN_C706="0,0,-99,99,99")
def run(key):
    inp = ''.join(json.dumps({'id': d['id'], 'text': d[key]}, ensure_ascii=False) + '\n' for d in rows)
    out = subprocess.run([BIN, 'fix', '--format', 'jsonl', '--select', 'C706', '--profile', os.environ.get('PROFILE', 'ocr'), '-'], input=inp, capture_output=True, text=True, env=env).stdout
    return {json.loads(l)['id']: json.loads(l).get('findings', []) for l in out.splitlines()}
recs = []
for key in ('ocr', 'gold'):
    fs = run(key)
    for d in rows:
        t = d[key]; bt = t.encode(); base = lev(d['gold'], t)
        for f in fs.get(d['id'], []):
            if not f.get('fix'): continue
            b = bytearray(bt)
            for e in sorted(f['fix']['edits'], key=lambda e: -e['span']['start']):
                b[e['span']['start']:e['span']['end']] = e['replacement'].encode()
            dd = lev(d['gold'], b.decode()) - base
            terms = {k: v for k, v in f['evidence'].get('terms', {}).items()} if isinstance(f['evidence'].get('terms'), dict) else {t[0]: t[1] for t in f['evidence'].get('terms', [])}
            recs.append((key, dd, terms.get('gain', 0), terms.get('margin', 0), f['message']))
json.dump(recs, open(os.environ.get('C706_RECS', '/tmp/c706recs.json'), 'w'), ensure_ascii=False)
nchar = sum(len(d['ocr']) for d in rows); ngold = sum(len(d['gold']) for d in rows)
print(f"rows {len(rows)} ocr chars {nchar} gold chars {ngold} decisions {len(recs)}")
for g in (1, 2, 3, 4, 5, 6):
    for m in (0.5, 1, 1.5, 2, 3):
        sel = [r for r in recs if r[2] >= g and r[3] >= m]
        o = [r for r in sel if r[0] == 'ocr']; gd = [r for r in sel if r[0] == 'gold']
        right = sum(r[1] < 0 for r in o); wrong = sum(r[1] > 0 for r in o)
        fixed = -sum(r[1] for r in o)
        print(f"gain>={g} margin>={m}: ocr {len(o)} right {right} wrong {wrong} net-dist {fixed}  gold-changes {len(gd)} ({1000*len(gd)/max(ngold,1):.2f}/1000)")
