#!/usr/bin/env python3
"""The CPU boost guide's restoration check (side effect 3): the same fixed CPU work, again and again
at a steady interval, each iteration timed, so the moment the boost ends and the CPU allocation is
restored shows up as iterations getting slower.

Standard library only (the guide's numpy eigen-decomposition is replaced by a pure-Python matrix
multiplication). The work per iteration is fixed by --units, never calibrated at run time: a
calibration run under a boost would measure the boost.

    python3 cpu_restoration_test.py [--seconds 120] [--interval 1.0] [--units 128]

Every --interval seconds it starts an iteration of --units units of work (one unit: a 32 x 32
matrix multiplication, about 1.3 to 1.8 ms of one core here, so the default is about 0.2 s),
prints `Second i: d s`, and stops starting iterations after --seconds. An iteration that takes
longer than the interval is followed at once by the next one (no catching up). SIGTERM ends the run
early; the metrics are still printed.

At the end: `=== METRICS_JSON ===` and one JSON object with `iterations`, an array of
[start in epoch seconds, duration in seconds] pairs, `iterations_count`, `cpu_allocated` (the CPUs
this process may run on), `units`, `interval` (seconds; not named *_seconds, which would make it a
timing), `container_start_time` (epoch seconds) and `total_time` (seconds since the process started).

This program does not split its iterations into "before" and "after" the boost: it cannot know
when the CPU allocation was restored. The caller (Dyno's @CpuBoost) knows that instant and splits
the iterations by their start times.
"""
import argparse
import json
import os
import signal
import time

script_started = time.time()

SIZE = 32


def process_start():
    """Epoch seconds the process started: the boot clock now less /proc/self/stat's starttime
    (same clock, 10 ms ticks); /proc/stat's btime is truncated to a second, so it is not used."""
    try:
        with open("/proc/self/stat") as f:
            stat = f.read()
        ticks = int(stat[stat.rindex(")") + 2:].split()[19])
        age = time.clock_gettime(time.CLOCK_BOOTTIME) - ticks / os.sysconf("SC_CLK_TCK")
        return time.time() - max(0.0, age)
    except (OSError, ValueError, IndexError, AttributeError):
        return script_started


def cpus():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count()


def matrix(seed):
    """A fixed SIZE x SIZE matrix of values in [-0.5, 0.5) from a linear congruential generator."""
    x = seed
    rows = []
    for _ in range(SIZE):
        row = []
        for _ in range(SIZE):
            x = (x * 1103515245 + 12345) & 0x7FFFFFFF
            row.append(x / 0x7FFFFFFF - 0.5)
        rows.append(row)
    return rows


A = matrix(1)
B_COLUMNS = [list(column) for column in zip(*matrix(2))]


def work(units):
    """`units` matrix multiplications A x B; returns a checksum so none of it is skipped."""
    checksum = 0.0
    for _ in range(units):
        product = [[sum(a * b for a, b in zip(row, column)) for column in B_COLUMNS] for row in A]
        checksum += product[0][0]
    return checksum


class Stopped(Exception):
    pass


def stop(signum, frame):
    raise Stopped()


def positive(kind):
    def parse(text):
        value = kind(text)
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text}: expected a number above 0")
        return value
    return parse


def main():
    parser = argparse.ArgumentParser(description="Fixed CPU work at a steady interval, each iteration timed.")
    parser.add_argument("--seconds", type=positive(float), default=120.0,
                        help="start iterations for this long (default 120, as in the guide)")
    parser.add_argument("--interval", type=positive(float), default=1.0,
                        help="seconds between the starts of iterations (default 1)")
    parser.add_argument("--units", type=positive(int), default=128,
                        help="32 x 32 matrix multiplications per iteration (default 128, about 0.2 s of one core)")
    args = parser.parse_args()
    started = process_start()
    signal.signal(signal.SIGTERM, stop)

    print("Testing CPU restoration...", flush=True)
    iterations = []
    checksum = 0.0
    begin = time.monotonic()
    next_start = begin
    try:
        while next_start - begin < args.seconds:
            delay = next_start - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            start_epoch = time.time()
            start = time.perf_counter()
            checksum += work(args.units)
            duration = time.perf_counter() - start
            iterations.append([start_epoch, duration])
            print(f"Second {len(iterations) - 1:3d}: {duration:.3f}s", flush=True)
            next_start = max(next_start + args.interval, time.monotonic())
    except Stopped:
        print("Stopped by SIGTERM", flush=True)

    metrics = {
        "test_name": "cpu_restoration",
        "cpu_allocated": cpus(),
        "container_start_time": started,
        "units": args.units,
        "interval": args.interval,
        "iterations_count": len(iterations),
        "iterations": iterations,
        "checksum": checksum,
        "total_time": time.time() - started,
    }
    print("\n=== METRICS_JSON ===")
    print(json.dumps(metrics), flush=True)


if __name__ == "__main__":
    main()
