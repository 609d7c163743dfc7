// GPU stress worker in CUDA C, for machines with a GPU but without PyTorch. Started by
// ../gpu_stress_worker.py (which checks `gpu_stress --probe` first); same loop, same output.
//
// Each loop: cudaMalloc three n x n float matrices filling the requested memory, fill two,
// multiply them (shared-memory tiled kernel), one element-wise pass, synchronize, cudaFree all.
//
//   gpu_stress --probe                      exit 0 when a CUDA device is usable, else 2
//   gpu_stress --duration S --memory MB --worker N
//
// Exit codes: 0 done, 3 out of device memory (reported in METRICS_JSON), 1 other CUDA error.
#include <cuda_runtime.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define TILE 16

__global__ void fill(float *m, size_t count, unsigned seed) {
    size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    if (i < count) {
        unsigned x = (unsigned)i * 2654435761u ^ seed;
        m[i] = (float)(x % 1000) / 1000.0f;
    }
}

__global__ void matmul(const float *a, const float *b, float *c, int n) {
    __shared__ float as[TILE][TILE];
    __shared__ float bs[TILE][TILE];
    int row = blockIdx.y * TILE + threadIdx.y;
    int col = blockIdx.x * TILE + threadIdx.x;
    float sum = 0.0f;
    for (int t = 0; t < (n + TILE - 1) / TILE; t++) {
        int ac = t * TILE + threadIdx.x, br = t * TILE + threadIdx.y;
        as[threadIdx.y][threadIdx.x] = (row < n && ac < n) ? a[(size_t)row * n + ac] : 0.0f;
        bs[threadIdx.y][threadIdx.x] = (br < n && col < n) ? b[(size_t)br * n + col] : 0.0f;
        __syncthreads();
        for (int k = 0; k < TILE; k++) sum += as[threadIdx.y][k] * bs[k][threadIdx.x];
        __syncthreads();
    }
    if (row < n && col < n) c[(size_t)row * n + col] = sum;
}

__global__ void elementwise(float *c, const float *a, const float *b, size_t count) {
    size_t i = blockIdx.x * (size_t)blockDim.x + threadIdx.x;
    if (i < count) c[i] = c[i] * a[i] + b[i];
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(int worker, const char *device, long ops, double elapsed, double peak_mb, int memory_mb, int n,
                   const char *error) {
    const char *visible = getenv("CUDA_VISIBLE_DEVICES");
    printf("=== METRICS_JSON ===\n");
    printf("{\"worker\": %d, \"device\": \"%s\", \"cuda_visible_devices\": %s%s%s, \"mode\": \"cuda\", "
           "\"backend\": \"cuda-c\", \"fallback_reason\": null, \"operations\": %ld, \"ops_per_sec\": %.4f, "
           "\"duration_s\": %.4f, \"peak_memory_mb\": %.1f, \"memory_mb\": %d, \"matrix_size\": %d, \"error\": %s%s%s}\n",
           worker, device, visible ? "\"" : "", visible ? visible : "null", visible ? "\"" : "", ops,
           elapsed > 0 ? ops / elapsed : 0.0, elapsed, peak_mb, memory_mb, n, error ? "\"" : "", error ? error : "null",
           error ? "\"" : "");
    fflush(stdout);
}

int main(int argc, char **argv) {
    double duration = 60;
    int memory_mb = 256, worker = 0, probe = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--probe")) probe = 1;
        else if (!strcmp(argv[i], "--duration") && i + 1 < argc) duration = atof(argv[++i]);
        else if (!strcmp(argv[i], "--memory") && i + 1 < argc) memory_mb = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--worker") && i + 1 < argc) worker = atoi(argv[++i]);
        else { fprintf(stderr, "unknown argument %s\n", argv[i]); return 2; }
    }
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess || count == 0) {
        fprintf(stderr, "[worker %d] no CUDA device: %s\n", worker, err != cudaSuccess ? cudaGetErrorString(err) : "0 devices");
        return 2;
    }
    if (probe) return 0;
    if (duration <= 0 || memory_mb <= 0) { fprintf(stderr, "--duration and --memory must be above zero\n"); return 2; }

    cudaDeviceProp prop;
    cudaGetDeviceProperties(&prop, 0);
    int n = (int)sqrt((double)memory_mb * 1024 * 1024 / 4 / 3);
    if (n < 64) n = 64;
    size_t count_elems = (size_t)n * n, bytes = count_elems * sizeof(float);
    printf("[worker %d] mode=cuda backend=cuda-c device=%s CUDA_VISIBLE_DEVICES=%s n=%d\n", worker, prop.name,
           getenv("CUDA_VISIBLE_DEVICES") ? getenv("CUDA_VISIBLE_DEVICES") : "(unset)", n);
    fflush(stdout);

    long ops = 0;
    double start = now(), last = start, peak_mb = 0;
    dim3 block(TILE, TILE), grid((n + TILE - 1) / TILE, (n + TILE - 1) / TILE);
    int threads = 256;
    unsigned blocks = (unsigned)((count_elems + threads - 1) / threads);
    while (now() - start < duration) {
        float *a = NULL, *b = NULL, *c = NULL;
        err = cudaMalloc(&a, bytes);
        if (err == cudaSuccess) err = cudaMalloc(&b, bytes);
        if (err == cudaSuccess) err = cudaMalloc(&c, bytes);
        if (err == cudaErrorMemoryAllocation) {
            printf("[worker %d] CUDA out of memory: %s\n", worker, cudaGetErrorString(err));
            cudaFree(a); cudaFree(b); cudaFree(c);
            report(worker, prop.name, ops, now() - start, peak_mb, memory_mb, n, "out_of_memory");
            return 3;
        }
        if (err != cudaSuccess) { fprintf(stderr, "cudaMalloc: %s\n", cudaGetErrorString(err)); return 1; }
        size_t free_b, total_b;
        cudaMemGetInfo(&free_b, &total_b);
        double used = 3.0 * bytes / 1048576.0;
        if (used > peak_mb) peak_mb = used;
        fill<<<blocks, threads>>>(a, count_elems, (unsigned)ops);
        fill<<<blocks, threads>>>(b, count_elems, (unsigned)ops + 7u);
        matmul<<<grid, block>>>(a, b, c, n);
        elementwise<<<blocks, threads>>>(c, a, b, count_elems);
        err = cudaDeviceSynchronize();
        cudaFree(a); cudaFree(b); cudaFree(c);
        if (err != cudaSuccess) { fprintf(stderr, "kernel: %s\n", cudaGetErrorString(err)); return 1; }
        ops++;
        if (now() - last >= 1) {
            last = now();
            printf("[worker %d] ops=%ld ops/s=%.1f\n", worker, ops, ops / (last - start));
            fflush(stdout);
        }
    }
    report(worker, prop.name, ops, now() - start, peak_mb, memory_mb, n, NULL);
    return 0;
}
