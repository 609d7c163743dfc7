#!/usr/bin/env bash
# Builds the CUDA C stress worker into cuda/target/gpu_stress (ignored by git), which
# ../gpu_stress_worker.py uses when PyTorch is missing. Needs nvcc; a GPU is only needed to run it.
#   bash workloads/gpu/cuda/build.sh            # for the GPUs nvcc's default targets
#   NVCC_ARCH=sm_90 bash workloads/gpu/cuda/build.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
command -v nvcc >/dev/null || { echo "nvcc not found: install the CUDA toolkit, or use PyTorch" >&2; exit 1; }
arch=()
[[ -n "${NVCC_ARCH:-}" ]] && arch=(-arch="$NVCC_ARCH")
mkdir -p "$here/target"
nvcc -O3 "${arch[@]}" -o "$here/target/gpu_stress" "$here/gpu_stress.cu"
echo "built $here/target/gpu_stress"
