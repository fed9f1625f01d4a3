import re,collections,sys
samples=[];cur=None;inst=False
for line in open(sys.argv[1],errors='replace'):
    s=line.strip()
    if s.startswith('jdk.ExecutionSample'):
        cur={'t':None,'f':[]};samples.append(cur);inst=False
    elif cur is not None:
        if s.startswith('sampledThread'): cur['t']=s
        elif s.startswith('stackTrace = ['): inst=True
        elif inst:
            if s.startswith(']'): inst=False
            elif s and s!='...': cur['f'].append(re.sub(r'\s+line:.*','',s))
main=[s for s in samples if '"main"' in (s['t'] or '') and any('Arm.run' in x for x in s['f'])]
n=len(main); print('samples in the loop',n)
def share(pred,label):
    c=sum(1 for s in main if pred(s['f']))
    print(f'{100*c/n:5.1f}% {label}')
has=lambda sub: (lambda f: any(sub in x for x in f))
tree=lambda x: any(k in x for k in ['ObjectNode','JsonNodeFactory','TextNode','LinkedHashMap','LineRecord','BooleanNode','JsonNodeDeserializer'])
share(has('ContainerLineParser.parse'),'parse (incl)')
share(lambda f: any('ContainerLineParser' in x for x in f) and tree(f[0]),'  record building in parse (self frames in tree/LineRecord classes)')
share(has('MultilineJoiner'),'multiline joiner excl. the emitted events')
share(lambda f: any('MultilineJoiner' in x for x in f) and not any('EventJson' in x for x in f) and any('readTree' in x or 'LineRecord.parse' in x for x in f),'  state record read')
share(lambda f: any('MultilineJoiner' in x for x in f) and not any('EventJson' in x for x in f) and any('EventJson.write(' in x or 'toJson' in x or 'writeValueAsString' in x for x in f),'  state record write')
share(has('EventJson.application'),'EventJson.application (incl)')
share(lambda f: any('EventJson' in x for x in f) and tree(f[0]),'  self frames in tree/LineRecord classes under EventJson')
share(lambda f: tree(f[0]),'all self frames in tree/LineRecord classes')
top=collections.Counter(s['f'][0] for s in main if s['f'])
for f,c in top.most_common(20): print(f'{100*c/n:5.1f}% {f[:140]}')
