#!/usr/bin/env python3
# The CPU boost guide's test case 1 (PyTorch, pytorch/pytorch:latest; also the Backend.AI image
# lablup/python-pytorch:2.0-py311), copied verbatim.
import time
import json
import os

metrics = {
    "test_name": "pytorch_load",
    "cpu_allocated": os.cpu_count(),
    "container_start_time": time.time(),
}

# Phase 1: Import time (the most CPU intensive)
print("=== Phase 1: Import ===")
start = time.time()
import torch
import torchvision
import torchaudio
metrics["import_time"] = time.time() - start
print(f"Import completed in {metrics['import_time']:.2f}s")

# Phase 2: First computation (GPU/CPU initialization)
print("\n=== Phase 2: First Computation ===")
start = time.time()
x = torch.randn(2000, 2000)
y = torch.matmul(x, x)
z = torch.sum(y)
metrics["first_computation_time"] = time.time() - start
print(f"First computation: {metrics['first_computation_time']:.2f}s")

# Phase 3: Second computation (warmed up)
print("\n=== Phase 3: Second Computation ===")
start = time.time()
x2 = torch.randn(2000, 2000)
y2 = torch.matmul(x2, x2)
z2 = torch.sum(y2)
metrics["second_computation_time"] = time.time() - start
print(f"Second computation: {metrics['second_computation_time']:.2f}s")

metrics["total_time"] = time.time() - metrics["container_start_time"]

print(f"\n=== METRICS_JSON ===")
print(json.dumps(metrics, indent=2))
