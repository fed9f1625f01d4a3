"""Inclusive shares of named frames, and self shares, among the samples of AlternatedEventLoop's thread.
Usage: jfr print --events jdk.ExecutionSample --stack-depth 40 x.jfr > x.txt; python3 jfr-shares.py x.txt"""
import collections, re, sys

KEYS = ['EventJson.writeWith', 'UTF8JsonGenerator.writeString', '_writeCustomStringSegment2', 'MergedLogWriter.write',
        'ContainerLineParser.parse', 'LineRecord.read', 'getText', 'sameEscapedEnd', 'writeRawUTF8String',
        'dropCutSequenceAtEnd', 'Utf8Text.decode', 'parseCri', 'toByteArray']
for path in sys.argv[1:]:
    top, incl, n = collections.Counter(), collections.Counter(), 0
    for s in open(path).read().split('jdk.ExecutionSample')[1:]:
        frames = re.findall(r'^\s+([\w.$<>]+)\(', s, re.M)
        if not any('AlternatedEventLoop.main' in f for f in frames):
            continue
        n += 1
        top[frames[0]] += 1
        for k in KEYS:
            if any(k in f for f in frames):
                incl[k] += 1
    print(path, n, 'samples')
    for k in KEYS:
        print(f'  {k:32s} {100 * incl[k] / n:5.1f} %')
    for f, c in top.most_common(10):
        print(f'  self {100 * c / n:5.1f} % {f}')
