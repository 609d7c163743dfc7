#!/usr/bin/env python3
"""Dyno's stand-in for schedcp's assets/compression.py: gzip-compress one file at a level.

Usage: compression.py FILE [LEVEL]    (LEVEL 1..9, default 6)

Writes FILE.gz next to FILE and prints a METRICS_JSON block (Dyno's workload protocol) with
the sizes and the compression time. Standard library only. The CPU work is fixed by the file's
content and the level, so a scheduler that gives this process less CPU makes it take longer.
"""
import gzip
import json
import os
import shutil
import sys
import time


def main(argv):
    if len(argv) < 2 or len(argv) > 3:
        print("usage: compression.py FILE [LEVEL]", file=sys.stderr)
        return 2
    source = argv[1]
    try:
        level = int(argv[2]) if len(argv) == 3 else 6
    except ValueError:
        level = -1
    if not 1 <= level <= 9:
        print(f"compression.py: level {argv[2]!r} is not allowed; use 1..9", file=sys.stderr)
        return 2
    if not os.path.isfile(source):
        print(f"compression.py: {source}: no such file", file=sys.stderr)
        return 1
    start = time.perf_counter()
    target = source + ".gz"
    with open(source, "rb") as raw, gzip.open(target, "wb", compresslevel=level) as packed:
        shutil.copyfileobj(raw, packed, 1 << 20)
    elapsed = time.perf_counter() - start
    original = os.path.getsize(source)
    compressed = os.path.getsize(target)
    print(f"compressed {source} at level {level}: {original} -> {compressed} bytes in {elapsed:.3f}s")
    print("=== METRICS_JSON ===")
    print(json.dumps({"compression_time": elapsed, "original_bytes": original,
                      "compressed_bytes": compressed, "level": level}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
