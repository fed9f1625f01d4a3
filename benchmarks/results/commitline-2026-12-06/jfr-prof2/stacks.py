import json,collections,re,sys
f=sys.argv[1]; pat=sys.argv[2]; depth=int(sys.argv[3]) if len(sys.argv)>3 else 1
d=json.load(open(f))
ev=d['recording']['events']
top=collections.Counter(); incl=collections.Counter(); n=0
for e in ev:
    t=e['values']['sampledThread'] or {}
    name=t.get('javaName') or t.get('osName') or '?'
    if not re.search(pat,name): continue
    n+=1
    frames=e['values']['stackTrace']['frames']
    fr=[fm['method']['type']['name'].split('.')[-1]+'.'+fm['method']['name'] for fm in frames]
    top[' < '.join(fr[:depth])]+=1
    for x in set(fr): incl[x]+=1
print('samples',n)
print('-- top frames')
for k,v in top.most_common(25): print(v,k)
print('-- inclusive')
for k,v in incl.most_common(60): print(v,k)
