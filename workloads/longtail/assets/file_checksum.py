#!/usr/bin/env python3
"""Dyno's stand-in for schedcp's assets/file_checksum.py: SHA-256 of one file.

Usage: file_checksum.py FILE

Reads FILE in 1 MiB blocks, appends "<sha256>  <FILE>" to checksums.txt in the working
directory and prints a METRICS_JSON block (Dyno's workload protocol). Standard library only.
"""
import hashlib
import json
import os
import sys
import time


def main(argv):
    if len(argv) != 2:
        print("usage: file_checksum.py FILE", file=sys.stderr)
        return 2
    path = argv[1]
    if not os.path.isfile(path):
        print(f"file_checksum.py: {path}: no such file", file=sys.stderr)
        return 1
    start = time.perf_counter()
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
            size += len(block)
    elapsed = time.perf_counter() - start
    with open("checksums.txt", "a", encoding="utf-8") as sums:
        sums.write(f"{digest.hexdigest()}  {path}\n")
    print(f"sha256 {path}: {digest.hexdigest()} ({size} bytes in {elapsed:.3f}s)")
    print("=== METRICS_JSON ===")
    print(json.dumps({"checksum_time": elapsed, "bytes": size}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
