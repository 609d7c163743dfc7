#!/usr/bin/env python3
# The CPU boost guide's test case 2 (TensorFlow, tensorflow/tensorflow:latest; also the Backend.AI
# images lablup/python-tensorflow:2.13-py311 and lablup/ngc-tensorflow:23.08-tf2-py3), copied
# verbatim.
import time
import json
import os

metrics = {
    "test_name": "tensorflow_load",
    "cpu_allocated": os.cpu_count(),
    "container_start_time": time.time(),
}

# Phase 1: Import
print("=== Phase 1: Import ===")
start = time.time()
import tensorflow as tf
metrics["import_time"] = time.time() - start
print(f"Import completed in {metrics['import_time']:.2f}s")

# Phase 2: Graph building
print("\n=== Phase 2: Graph Building ===")
start = time.time()
x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
y = tf.constant([[1.0], [2.0]])
result = tf.matmul(x, y)
metrics["graph_build_time"] = time.time() - start
print(f"Graph build: {metrics['graph_build_time']:.2f}s")

# Phase 3: First execution
print("\n=== Phase 3: First Execution ===")
start = time.time()
with tf.device('/CPU:0'):
    a = tf.random.normal([2000, 2000])
    b = tf.matmul(a, a)
    c = tf.reduce_sum(b)
metrics["first_execution_time"] = time.time() - start
print(f"First execution: {metrics['first_execution_time']:.2f}s")

metrics["total_time"] = time.time() - metrics["container_start_time"]

print(f"\n=== METRICS_JSON ===")
print(json.dumps(metrics, indent=2))
