#!/usr/bin/env python3
"""What each TaskManager compiled inside a run's window: methods in the second `jcmd Compiler.codelist` whose compile
id is above the first list's highest (alive at the end), by tier and by code origin, with their machine code bytes.
Usage: jitwin.py <run>.threads [top-N]"""
import re, sys, collections, glob, os, gzip
d = sys.argv[1]; top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
ORIGINS = [
    ("io.netty.", "Netty (SDK client's)"), ("software.amazon.awssdk.", "AWS SDK"),
    ("org.apache.flink.shaded.netty4.", "Flink's shaded Netty"), ("org.apache.pekko.", "Pekko"),
    ("org.apache.flink.shaded.", "Flink shaded other"), ("akka.", "Pekko"), ("scala.", "Scala"),
    ("com.google.protobuf", "protobuf"), ("org.apache.flink.", "Flink"), ("org.rocksdb.", "RocksDB JNI"),
    ("dev.kubelogs.", "kubelogs"), ("com.fasterxml.", "Jackson"), ("org.apache.logging.", "log4j"),
    ("org.slf4j.", "log4j"), ("java.", "JDK"), ("javax.", "JDK"), ("jdk.", "JDK"), ("sun.", "JDK"), ("com.sun.", "JDK"),
]
def origin(m):
    for p, o in ORIGINS:
        if m.startswith(p):
            return o
    return "other: " + ".".join(m.split(".")[:2])
def load(p):
    out = {}
    for line in (gzip.open(p, "rt") if p.endswith(".gz") else open(p)):
        f = line.split(" ", 3)
        if len(f) < 4 or not f[0].isdigit():
            continue
        mm = re.match(r"(\S+) \[(0x[0-9a-f]+), (0x[0-9a-f]+) - (0x[0-9a-f]+)\]", f[3])
        if not mm:
            continue
        out[int(f[0])] = (int(f[1]), mm.group(1), int(mm.group(4), 16) - int(mm.group(2), 16))
    return out
for t0 in sorted(glob.glob(f"{d}/codelist-*-t0.txt*")):
    pid = t0.split("codelist-")[1].split("-")[0]
    t1 = t0.replace("-t0.txt", "-t1.txt")
    if not os.path.exists(t1):
        continue
    a, b = load(t0), load(t1)
    hi = max(a)
    new = {i: v for i, v in b.items() if i > hi}
    print(f"TaskManager pid {pid}: compile ids {hi} -> {max(b)} ({max(b) - hi} compiles in the window, "
          f"{len(new)} still installed at its end; installed methods {len(a)} -> {len(b)})")
    tiers = collections.Counter(v[0] for v in new.values())
    print("  by tier:", dict(sorted(tiers.items())))
    byo = collections.defaultdict(lambda: [0, 0, 0])
    for lvl, m, size in new.values():
        o = byo[origin(m)]
        o[0] += 1; o[1] += size
        if lvl == 4: o[2] += 1
    for o, (n, s, c2) in sorted(byo.items(), key=lambda x: -x[1][1]):
        print(f"  {o:28s} {n:5d} methods ({c2:4d} C2) {s/1024:8.1f} KB code")
    print(f"  largest C2 compiles in the window:")
    for i, (lvl, m, size) in sorted([x for x in new.items() if x[1][0] == 4], key=lambda x: -x[1][2])[:top]:
        print(f"    {size:7d} B  {m[:150]}")
