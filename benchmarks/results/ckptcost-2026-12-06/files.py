#!/usr/bin/env python3
"""From sample.sh's files.txt: per 20-s sample, the newest complete checkpoint's _metadata size and its own state
files (the committables over the inline threshold), and the newest HA completedCheckpoint file's size."""
import sys
for path in sys.argv[1:]:
    print(path)
    block = None
    def show(b):
        if not b: return
        t, files, ha = b
        meta = [s for s, n in files if n == "_metadata"]
        own = sorted((s for s, n in files if n != "_metadata"), reverse=True)
        print(f"  {t} _metadata {meta[0]/1024 if meta else 0:7.0f} KB, own files {len(own)}: "
              f"{' '.join(f'{s/1048576:.2f}' for s in own)} MB; HA completedCheckpoint files KB: {' '.join(str(s//1024) for s in ha)}")
    for line in open(path):
        line = line.rstrip("\n")
        if line.startswith("== "):
            show(block); block = (line[3:], [], [])
        elif line.strip() and block:
            s, n = line.split(" ", 1)
            if "completedCheckpoint" in n: block[2].append(int(s))
            elif "/" not in n: block[1].append((int(s), n))
    show(block)
