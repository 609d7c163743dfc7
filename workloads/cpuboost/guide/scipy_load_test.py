#!/usr/bin/env python3
# The CPU boost guide's test case 5 (scientific Python, jupyter/scipy-notebook:latest), copied
# verbatim.
import time
import json
import os

metrics = {
    "test_name": "scipy_load",
    "cpu_allocated": os.cpu_count(),
    "container_start_time": time.time(),
}

# Phase 1: Import scientific stack
print("=== Phase 1: Scientific Stack Import ===")
start = time.time()
import numpy as np
import pandas as pd
import scipy
import scipy.stats
import matplotlib.pyplot as plt
import sklearn
from sklearn.ensemble import RandomForestClassifier
metrics["import_time"] = time.time() - start
print(f"Import completed in {metrics['import_time']:.2f}s")

# Phase 2: First data processing
print("\n=== Phase 2: First Data Processing ===")
start = time.time()
df = pd.DataFrame(np.random.randn(100000, 50))
result = df.describe()
corr_matrix = df.corr()
metrics["first_processing_time"] = time.time() - start
print(f"First processing: {metrics['first_processing_time']:.2f}s")

# Phase 3: ML model training
print("\n=== Phase 3: ML Model Training ===")
start = time.time()
X = np.random.randn(10000, 20)
y = np.random.randint(0, 2, 10000)
clf = RandomForestClassifier(n_estimators=100, n_jobs=-1)
clf.fit(X, y)
metrics["ml_training_time"] = time.time() - start
print(f"ML training: {metrics['ml_training_time']:.2f}s")

metrics["total_time"] = time.time() - metrics["container_start_time"]

print(f"\n=== METRICS_JSON ===")
print(json.dumps(metrics, indent=2))
