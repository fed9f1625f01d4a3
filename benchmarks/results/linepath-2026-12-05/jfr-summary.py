import sys, re, collections
# parses `jfr print --events jdk.ExecutionSample --stack-depth N` output
samples=[]; cur=None; inst=False
for line in open(sys.argv[1], errors='replace'):
    s=line.strip()
    if s.startswith('jdk.ExecutionSample'):
        cur={'thread':None,'frames':[]}; samples.append(cur); inst=False
    elif cur is not None:
        if s.startswith('sampledThread'):
            m=re.search(r'"(.*)"',s); cur['thread']=m.group(1) if m else s
        elif s.startswith('stackTrace = ['):
            inst=True
        elif inst:
            if s.startswith(']') : inst=False
            elif s and s!='...':
                f=re.sub(r'\s+line:.*','',s); cur['frames'].append(f)
n=len(samples)
print('samples',n)
def tname(t):
    t=re.sub(r'\d+','#',t or '?'); return t[:60]
th=collections.Counter(tname(s['thread']) for s in samples)
print('== by thread'); 
for t,c in th.most_common(25): print(f'{100*c/n:5.1f}% {t}')
top=collections.Counter(s['frames'][0] if s['frames'] else '?' for s in samples)
print('== top frames (self)')
for f,c in top.most_common(45): print(f'{100*c/n:5.1f}% {f[:150]}')
sel=sys.argv[2] if len(sys.argv)>2 else None
if sel:
    sub=[s for s in samples if sel in (s['thread'] or '')]
    m=len(sub); print('== thread filter',sel,m)
    top=collections.Counter(s['frames'][0] if s['frames'] else '?' for s in sub)
    for f,c in top.most_common(40): print(f'{100*c/m:5.1f}% {f[:150]}')
    inc=collections.Counter()
    for s in sub:
        for f in set(x for x in s['frames'] if 'kubelogs' in x or 'jackson' in x or 'awssdk' in x):
            inc[f]+=1
    print('== inclusive (kubelogs/jackson/sdk)')
    for f,c in inc.most_common(70): print(f'{100*c/m:5.1f}% {f[:150]}')
if len(sys.argv)>3:
    for key in sys.argv[3].split(','):
        sub=[s for s in samples if s['frames'] and key in s['frames'][0]]
        print('== callers of',key,len(sub))
        c=collections.Counter(' < '.join(x.split('(')[0].split('.')[-2]+'.'+x.split('(')[0].split('.')[-1] for x in s['frames'][1:6]) for s in sub)
        for f,k in c.most_common(6): print(f'  {k} {f[:300]}')
