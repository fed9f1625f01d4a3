import re,collections,sys
for p in sys.argv[1:]:
    g=collections.Counter(); syms=collections.defaultdict(collections.Counter)
    for line in open(f'/tmp/cl-perf/tm-{p}.leaf'):
        line=line.rstrip()
        m=re.match(r'\s*(.*?)\s+(\d+)\s+([0-9a-f]+)\s+(.*)$',line)
        if not m: continue
        comm=re.sub(r'\d+','#',m.group(1))
        rest=m.group(4)
        dso=re.search(r'\(([^()]*)\)\s*$',rest)
        dso=dso.group(1) if dso else '?'
        sym=re.sub(r'\s*\([^()]*\)\s*$','',rest)
        sym=re.sub(r'\([^()]*\)','',sym)
        parts=sym.split(' ')
        sym=parts[-1] if len(parts)>1 and '.' in parts[-1] else sym
        if 'kallsyms' in dso: sym='[k] '+sym
        elif 'libjvm' in dso: sym='[jvm] '+sym
        elif 'libc' in dso: sym='[libc] '+sym
        g[comm]+=1; syms[comm][sym]+=1
    tot=sum(g.values())
    print('== TM',p,'samples',tot,'(%.3f cores)'%(tot/199/120))
    for k,v in g.most_common(16): print('  %5d %.4f cores %s'%(v,v/199/120,k))
    for c in [k for k,_ in g.most_common(12) if k.startswith('cwlogs') or k.startswith('Source') or k.startswith('AsyncOp')]:
        print('  --',c, g[c])
        kern=sum(v for s,v in syms[c].items() if s.startswith('[k]'))
        print('     kernel %.1f%%'%(100*kern/g[c]))
        for s,v in syms[c].most_common(25): print('     %4d %4.1f%% %s'%(v,100*v/g[c],s[:130]))
