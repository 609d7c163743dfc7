#!/usr/bin/env python3
"""The CPU boost guide's baseline (test case 7): a lightweight Python start-up, the control group.

Standard library only. Prints a line per phase, then `=== METRICS_JSON ===` and one JSON object.
Durations are seconds (Dyno reads `*_time` fields as seconds): `import_time`, `computation_time`,
`total_time` (from the start of the process, so the interpreter's own start-up is included, as a
container's would be) and `interpreter_boot_time` (process start to this script's first line).
`container_start_time` is the epoch second the process started; `cpu_allocated` the CPUs this
process may run on.
"""
import time

script_started = time.time()

import json
import os


def process_start():
    """(epoch seconds the process started, how that was found out).

    Linux: the process's age is the boot clock now less `starttime` from /proc/self/stat (the same
    clock, in ticks of 10 ms). /proc/stat's `btime` is not used: it is the boot time truncated to a
    whole second, so adding `starttime` to it puts the start up to a second too early.
    """
    try:
        with open("/proc/self/stat") as f:
            stat = f.read()
        # Fields after the command name, which may hold spaces and parentheses; starttime is the 22nd.
        ticks = int(stat[stat.rindex(")") + 2:].split()[19])
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
        return time.time() - max(0.0, age), "proc"
    except (OSError, ValueError, IndexError, AttributeError):
        return script_started, "script"


def cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count()


started, start_source = process_start()
metrics = {
    "test_name": "baseline",
    "cpu_allocated": cpus(),
    "container_start_time": started,
    "interpreter_boot_time": max(0.0, script_started - started),
    "process_start_source": start_source,
}

# Phase 1: Minimal imports
print("=== Phase 1: Import ===")
start = time.time()
import sys
import math
metrics["import_time"] = time.time() - start
print(f"Import completed in {metrics['import_time']:.4f}s")

# Phase 2: Simple computation
print("\n=== Phase 2: Simple Computation ===")
start = time.time()
result = sum(i**2 for i in range(10000))
metrics["computation_time"] = time.time() - start
print(f"Computation: {metrics['computation_time']:.4f}s (result {result})")

metrics["total_time"] = time.time() - started

print("\n=== METRICS_JSON ===")
print(json.dumps(metrics, indent=2), flush=True)
