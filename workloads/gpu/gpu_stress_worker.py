#!/usr/bin/env python3
"""GPU stress worker: the guide's worker, run by @GpuWorkers (one process per worker).

Each loop allocates buffers of the requested size, multiplies matrices, applies an element-wise
operation and frees everything again, until the duration is over. Which engine does the work:

  1. PyTorch, when it imports and sees a CUDA device (mode "cuda", backend "torch");
  2. else the CUDA C worker built from cuda/gpu_stress.cu (cuda/build.sh), when it exists and
     finds a device (mode "cuda", backend "cuda-c");
  3. else a CPU stand-in (mode "cpu", backend "python-cpu"): the same loop on the CPU. It is not a
     GPU measurement and says so: "CPU fallback: no GPU on this machine" in its output and METRICS_JSON.

The device is the one CUDA_VISIBLE_DEVICES names (the caller sets it per worker). Settings come
from the command line or, for @GpuWorkers, from the environment:
  --duration S   DYNO_GPU_DURATION_S   seconds to run (default 60)
  --memory MB    DYNO_GPU_MEMORY_MB    memory per loop in MB (default 256)
  --worker N     DYNO_GPU_WORKER       worker number, for the log (default 0)
  --force-cpu    DYNO_GPU_FORCE_CPU=1  skip the GPU engines

It prints progress once a second and ends with a "=== METRICS_JSON ===" block: worker, device,
cuda_visible_devices, mode, backend, fallback_reason, operations, ops_per_sec, duration_s,
peak_memory_mb, memory_mb, matrix_size, error (null, or "out_of_memory"). Exit codes: 0 done,
3 out of memory (reported), 2 bad arguments. A kernel OOM kill shows as exit 137 instead.
"""
import argparse
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time

CPU_FALLBACK_LABEL = "CPU fallback: no GPU on this machine"
EXIT_OUT_OF_MEMORY = 3


def settings():
    env = os.environ
    p = argparse.ArgumentParser(description="GPU stress worker (see the module docstring)")
    p.add_argument("--duration", type=float, default=float(env.get("DYNO_GPU_DURATION_S", "60")))
    p.add_argument("--memory", type=int, default=int(env.get("DYNO_GPU_MEMORY_MB", "256")))
    p.add_argument("--worker", type=int, default=int(env.get("DYNO_GPU_WORKER", "0")))
    p.add_argument("--force-cpu", action="store_true", default=env.get("DYNO_GPU_FORCE_CPU") == "1")
    args = p.parse_args()
    if args.duration <= 0 or args.memory <= 0:
        p.error("--duration and --memory must be above zero")
    return args


def log(args, message):
    print(f"[worker {args.worker}] {message}", flush=True)


def report(args, mode, backend, device, operations, elapsed, peak_mb, matrix_size, error=None, fallback_reason=None):
    print("=== METRICS_JSON ===")
    print(json.dumps({
        "worker": args.worker,
        "device": device,
        "cuda_visible_devices": os.environ.get("CUDA_VISIBLE_DEVICES"),
        "mode": mode,
        "backend": backend,
        "fallback_reason": fallback_reason,
        "operations": operations,
        "ops_per_sec": operations / elapsed if elapsed > 0 else 0.0,
        "duration_s": elapsed,
        "peak_memory_mb": peak_mb,
        "memory_mb": args.memory,
        "matrix_size": matrix_size,
        "error": error,
    }), flush=True)


def torch_device():
    """The torch module when it imports and sees a CUDA device, else (None, why)."""
    try:
        import torch  # noqa: PLC0415 - optional
    except Exception as e:  # ImportError, or a broken install
        return None, f"PyTorch not importable ({type(e).__name__})"
    if not torch.cuda.is_available():
        return None, "PyTorch sees no CUDA device"
    return torch, None


def run_torch(args, torch):
    device = torch.device("cuda:0")  # the one CUDA_VISIBLE_DEVICES maps to index 0
    name = torch.cuda.get_device_name(device)
    # three float32 n x n matrices live at once: a, b and the product
    n = max(64, int((args.memory * 1024 * 1024 / 4 / 3) ** 0.5))
    log(args, f"mode=cuda backend=torch device={name} CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES')} n={n}")
    ops, start, last = 0, time.monotonic(), time.monotonic()
    torch.cuda.reset_peak_memory_stats(device)
    try:
        while time.monotonic() - start < args.duration:
            a = torch.randn(n, n, device=device)
            b = torch.randn(n, n, device=device)
            c = torch.matmul(a, b)
            c.mul_(a).add_(b)  # element-wise
            torch.cuda.synchronize(device)
            del a, b, c
            torch.cuda.empty_cache()
            ops += 1
            if time.monotonic() - last >= 1:
                last = time.monotonic()
                log(args, f"ops={ops} ops/s={ops / (last - start):.1f}")
    except torch.cuda.OutOfMemoryError as e:
        log(args, f"CUDA out of memory: {e}")
        report(args, "cuda", "torch", name, ops, time.monotonic() - start,
               torch.cuda.max_memory_allocated(device) / 2**20, n, error="out_of_memory")
        return EXIT_OUT_OF_MEMORY
    report(args, "cuda", "torch", name, ops, time.monotonic() - start,
           torch.cuda.max_memory_allocated(device) / 2**20, n)
    return 0


def cuda_binary():
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.environ.get("DYNO_GPU_CUDA_BINARY"), os.path.join(here, "cuda", "target", "gpu_stress"), shutil.which("gpu_stress")]
    for path in candidates:
        if path and os.path.isfile(path) and os.access(path, os.X_OK):
            return path
    return None


def cuda_binary_usable(binary):
    try:
        return subprocess.run([binary, "--probe"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def matmul(a, b):
    bt = list(zip(*b))
    return [[sum(x * y for x, y in zip(row, col)) for col in bt] for row in a]


def run_cpu(args, reason):
    # CPU stand-in, not a GPU measurement: the loop of the GPU engines on this machine's CPU.
    # The buffer has the requested size and every page is touched, so memory pressure is real
    # (a memory cap kills it as a GPU would report out of memory); the matrix product is on a
    # small tile, since pure Python multiplies about a million numbers per second.
    tile = int(os.environ.get("DYNO_GPU_CPU_TILE", "48"))
    size = args.memory * 1024 * 1024
    page = 4096
    touch = b"\x01" * ((size + page - 1) // page)
    increment = bytes((i + 1) % 256 for i in range(256))
    rng = random.Random(args.worker)
    log(args, f"{CPU_FALLBACK_LABEL} ({reason}); mode=cpu backend=python-cpu "
              f"CUDA_VISIBLE_DEVICES={os.environ.get('CUDA_VISIBLE_DEVICES')} buffer={args.memory}MB tile={tile}")
    ops, start, last = 0, time.monotonic(), time.monotonic()
    try:
        while time.monotonic() - start < args.duration:
            buffer = bytearray(size)
            buffer[::page] = touch                      # make every page resident
            # element-wise op, in place, on one byte in 64 (a full pass would double the page faults,
            # which cost more than the arithmetic on a machine without a GPU)
            buffer[::64] = buffer[::64].translate(increment)
            a = [[rng.random() for _ in range(tile)] for _ in range(tile)]
            b = [[buffer[(i * tile + j) * 64 % size] / 255.0 for j in range(tile)] for i in range(tile)]
            c = matmul(a, b)
            if c[0][0] < 0:  # keeps the product live; never true
                raise AssertionError("negative product")
            del buffer, a, b, c                          # freed every loop, as the GPU engines do
            ops += 1
            if time.monotonic() - last >= 1:
                last = time.monotonic()
                log(args, f"ops={ops} ops/s={ops / (last - start):.1f}")
    except MemoryError:
        log(args, "out of memory (MemoryError)")
        report(args, "cpu", "python-cpu", "cpu", ops, time.monotonic() - start, peak_mb(), tile,
               error="out_of_memory", fallback_reason=f"{CPU_FALLBACK_LABEL} ({reason})")
        return EXIT_OUT_OF_MEMORY
    report(args, "cpu", "python-cpu", "cpu", ops, time.monotonic() - start, peak_mb(), tile,
           fallback_reason=f"{CPU_FALLBACK_LABEL} ({reason})")
    return 0


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def main():
    args = settings()
    visible = os.environ.get("CUDA_VISIBLE_DEVICES")
    log(args, f"pid={os.getpid()} CUDA_VISIBLE_DEVICES={visible} duration={args.duration}s memory={args.memory}MB")
    if args.force_cpu:
        return run_cpu(args, "forced to the CPU")
    if visible is not None and visible.strip() in ("", "-1"):
        return run_cpu(args, f"CUDA_VISIBLE_DEVICES={visible!r} hides every device")
    torch, why = torch_device()
    if torch is not None:
        return run_torch(args, torch)
    binary = cuda_binary()
    if binary and cuda_binary_usable(binary):
        log(args, f"{why}; running the CUDA C worker {binary}")
        sys.stdout.flush()
        os.execv(binary, [binary, "--duration", str(args.duration), "--memory", str(args.memory),
                          "--worker", str(args.worker)])
    reasons = [why, "no CUDA C worker built (workloads/gpu/cuda/build.sh)" if not binary
               else "the CUDA C worker finds no device"]
    return run_cpu(args, "; ".join(reasons))


if __name__ == "__main__":
    sys.exit(main())
