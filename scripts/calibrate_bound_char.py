#!/usr/bin/env python3
"""Measure C705 (orphan-bound-char) suggestions on dev-ocr pairs.

For each row of PAIRS.tsv (columns id font px blur noise gold ocr) in the
chosen split (heldout: id number divisible by 4, the rows `zhclean eval
--split heldout` uses; train: the others; all), the OCR side and the gold
side are run through `zhclean check --only C705`; each suggestion's top
candidate is put in place and the edit distance to gold compared: good (it
falls), bad (it rises), neutral (a wrong char replaced by another wrong one).
Findings on the gold side are false suggestions. Prints counts and, per
finding, (margin, score, LM gain, two-char words holding the bound char,
verdict, context,
candidate).

Usage: scripts/calibrate_bound_char.py ZHCLEAN PAIRS.tsv train|heldout|all
"""
import csv, json, re, subprocess, sys
zh, path, split = sys.argv[1], sys.argv[2], sys.argv[3]
rows=[]
for r in csv.DictReader(open(path, encoding='utf-8'), delimiter='\t'):
    if r['id']=='id': continue
    m=re.search(r'(\d+)$', r['id'])
    ho = m is None or int(m.group(1))%4==0   # as zhclean eval --split heldout
    if split=='train' and ho: continue
    if split=='heldout' and not ho: continue
    rows.append(r)
def lev(a,b):
    prev=list(range(len(b)+1))
    for i,ca in enumerate(a,1):
        cur=[i]+[0]*len(b)
        for j,cb in enumerate(b,1):
            cur[j]=min(prev[j]+1,cur[j-1]+1,prev[j-1]+(ca!=cb))
        prev=cur
    return prev[-1]
def run(texts):
    inp='\n\n'.join(t.replace('\n',' ') for t in texts)+'\n'
    p=subprocess.run([zh,'check','--only','C705','--format','jsonl','-'],input=inp,capture_output=True,text=True)
    out={}
    for l in p.stdout.splitlines():
        if not l.startswith('{'): continue
        d=json.loads(l); out.setdefault((d['line']-1)//2,[]).append(d)
    return out
for side in ['ocr','gold']:
    res=run([r[side] for r in rows])
    good=bad=neutral=0; nchars=sum(len(r[side]) for r in rows)
    bw=[]
    for i,fs in res.items():
        r=rows[i]; t=r[side]
        for d in fs:
            s=d['span']['char_start'] if 'char_start' in d['span'] else None
            col=d['column']-1
            cand=d['evidence']['candidates'][0]['text']
            fixed=t[:col]+cand+t[col+1:]
            before=lev(t,r['gold']); after=lev(fixed,r['gold'])
            bwv=d['evidence']['terms'].get('bound_words')
            k='good' if after<before else ('bad' if after>before else 'neutral')
            te=d['evidence']['terms']; bw.append((round(te['score']-te.get('runner_up',-99),2),round(te['score'],2),round(te['lm_gain'],1),bwv,k, t[max(0,col-3):col+4], cand))
            if k=='good': good+=1
            elif k=='bad': bad+=1
            else: neutral+=1
    print(side, 'rows',len(rows),'chars',nchars,'findings',good+bad+neutral,'good',good,'bad',bad,'neutral',neutral, 'per1000', round(1000*(good+bad+neutral)/nchars,2))
    for x in sorted(bw, key=lambda x: x[0]): print('   ',x)
