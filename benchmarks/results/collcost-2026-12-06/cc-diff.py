import sys
d=sys.argv[1]
def rd(f):
    r={}
    for l in open(f):
        p=l.strip().split('|')
        if len(p)<6: continue
        r[p[0]]=(p[1],int(p[2]),int(p[3]),int(p[4] or 0),int(p[5] or 0))
    return r
a=rd(d+'/snapA'); b=rd(d+'/snapB')
dt=float(open(d+'/tB').read())-float(open(d+'/tA').read())
tot=0; rows=[]
for k,v in b.items():
    o=a.get(k,(v[0],0,0,0,0))
    u=(v[1]-o[1])/100/dt; s=(v[2]-o[2])/100/dt; w=(v[3]-o[3])/dt; nw=(v[4]-o[4])/dt
    tot+=u+s; rows.append((u+s,v[0],u,s,w,nw))
rows.sort(reverse=True)
print("window %.1fs total %.4f cores"%(dt,tot))
for r in rows:
    if r[0]>0 or r[4]>0.05: print("%-28s %.4f (usr %.4f sys %.4f) wakeups/s %.1f invol/s %.1f"%(r[1],r[0],r[2],r[3],r[4],r[5]))
