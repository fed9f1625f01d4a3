# Groups JFR samples by thread and frame: python3 jfr-threads.py exec <jfr print --events jdk.ExecutionSample output>...
# (or "alloc" with jdk.ObjectAllocationSample output; weights are then bytes). Prints threads, then the task
# thread's and the source fetcher's self and inclusive frames.
import re,sys,collections
def parse(path):
    out=[];cur=None;stack=None
    for line in open(path):
        s=line.strip()
        if s.startswith('jdk.ExecutionSample') or s.startswith('jdk.ObjectAllocationSample'):
            cur={'thread':'','stack':[],'w':1}
        elif cur is None: continue
        elif s.startswith('sampledThread') or s.startswith('eventThread'):
            m=re.search(r'"(.*)"',s); cur['thread']=m.group(1) if m else s
        elif s.startswith('weight'):
            v=s.split('=')[1].strip()
            mult=1
            num=float(re.sub(r'[^0-9.]','',v) or 0)
            if 'kB' in v: mult=1e3
            elif 'MB' in v: mult=1e6
            elif 'GB' in v: mult=1e9
            cur['w']=num*mult
        elif s.startswith('stackTrace'):
            stack=cur['stack']
        elif s==']':
            stack=None
        elif s=='}':
            if cur: out.append(cur); cur=None
        elif stack is not None and s and s!='...':
            stack.append(re.sub(r'\s+line:.*','',s))
    return out
def tname(t):
    t=re.sub(r' for Source: .*','',t); t=re.sub(r'Source: spool-source.*','TASK',t)
    t=re.sub(r'\d+','#',t); return t[:40]
samples=[]
for p in sys.argv[2:]: samples+=parse(p)
mode=sys.argv[1]
threads=collections.Counter()
for s in samples: threads[tname(s['thread'])]+=s['w']
tot=sum(threads.values())
print('total',tot)
for t,c in threads.most_common(25): print(f'{c:12.0f} {100*c/tot:5.1f}% {t}')
for want in ['TASK','Source Data Fetcher']:
    sel=[s for s in samples if tname(s['thread'])==want]
    n=sum(s['w'] for s in sel)
    print('\n=====',want,n)
    selfc=collections.Counter(); incl=collections.Counter()
    for s in sel:
        if s['stack']: selfc[s['stack'][0]]+=s['w']
        seen=set()
        for f in s['stack']:
            if f not in seen: seen.add(f); incl[f]+=s['w']
    print('--- self')
    for f,c in selfc.most_common(40): print(f'{c:10.0f} {100*c/n:5.1f}% {f}')
    print('--- inclusive (dev.kubelogs + selected)')
    k=0
    for f,c in incl.most_common(400):
        if 'kubelogs' in f or 'jackson' in f or 'rocksdb' in f.lower() or 'flink' in f:
            print(f'{c:10.0f} {100*c/n:5.1f}% {f}'); k+=1
            if k>90: break
