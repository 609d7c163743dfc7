package dev.dyno.examples.gpu;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.gpu.GpuInventory;
import dev.dyno.gpu.GpuRun;
import dev.dyno.gpu.GpuWorkers;
import dev.dyno.gpu.WorkerResult;
import java.nio.file.Files;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;

/**
 * The guide "GPU allocation stress test" as JUnit: its scenarios with the guide's numbers, and
 * its launch configurations. Each test runs the guide's worker ({@code workloads/gpu}) as real
 * processes, one per worker, with {@code CUDA_VISIBLE_DEVICES} set round-robin; with
 * {@code -Ddyno.runtime=docker}, as containers, each with a device request for its GPU.
 *
 * <p>On a machine without a GPU (such as CI) every scenario runs in CPU fallback: the same
 * allocate-multiply-free loop on the CPU, labelled "CPU fallback: no GPU on this machine" in the
 * report. In CI mode ({@code mvn verify}) durations are cut by {@code ciScale}; {@code -Pperf}
 * runs the guide's durations.
 */
@DisplayName("GPU allocation stress test (guide)")
class GpuAllocationStressTest {

    /** Four H100s declared, not discovered: checks the round-robin assignment on any machine. */
    static final String FOUR_H100 = "0:NVIDIA H100 80GB HBM3:81559,1:NVIDIA H100 80GB HBM3:81559,"
            + "2:NVIDIA H100 80GB HBM3:81559,3:NVIDIA H100 80GB HBM3:81559";

    @GpuWorkers(duration = "30s", memoryMb = 128, ciScale = 0.1, sampleInterval = "500ms")
    @DisplayName("Scenario 1, basic validation: 80 %+ success, every worker works, nothing left behind")
    void basicValidation(GpuRun run) {
        assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
        assertThat(run.workers()).allSatisfy(w -> assertThat(w.operations()).as("operations of worker %s", w.worker()).isPositive());
        assertRunsWhereItSays(run);
        assertThat(run.leftoverProcesses()).isEmpty();
        assertThat(run.processesAfter()).isEqualTo(run.processesBefore());
    }

    @GpuWorkers(workers = 4, duration = "60s", memoryMb = 1024, ciScale = 0.05, sampleInterval = "500ms")
    @DisplayName("Scenario 2, memory stress: 4 workers hold 1 GiB each without a crash")
    void memoryStress(GpuRun run) {
        assertThat(run.failures()).as("failed workers").isEmpty();
        assertThat(run.workers()).allSatisfy(w -> assertThat(w.peakMemoryMb().orElse(0))
                .as("peak memory of worker %s (MiB)", w.worker()).isGreaterThanOrEqualTo(0.9 * 1024));
        assertRunsWhereItSays(run);
    }

    // tag::multi-worker[]
    @GpuWorkers(workers = 12, duration = "90s", memoryMb = 256, ciScale = 0.03, sampleInterval = "500ms")
    @DisplayName("Scenario 3, multi-worker intensive: 12 workers, round-robin, stable, balanced")
    void multiWorkerIntensive(GpuRun run) {
        assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
        int devices = Math.max(1, run.devicesUsed().size());
        assertThat(run.workersPerDevice().values()).as("workers per device").allSatisfy(n ->
                assertThat(n).isBetween(12 / devices, (12 + devices - 1) / devices));
        if (devices > 1) {
            assertThat(run.imbalance()).as("spread of ops/s across devices").isLessThan(0.5);
        }
        assertThat(run.leaked()).isFalse();
    }
    // end::multi-worker[]

    // tag::declared-gpus[]
    @GpuWorkers(workers = 8, duration = "20s", memoryMb = 64, ciScale = 0.1, inventory = FOUR_H100,
            sampleInterval = "500ms")
    @DisplayName("Round-robin over 4 declared GPUs: each worker process sees its own CUDA_VISIBLE_DEVICES")
    void roundRobinOverFourDeclaredGpus(GpuRun run) throws Exception {
        assertThat(run.assignment()).containsExactly(0, 1, 2, 3, 0, 1, 2, 3);
        assertThat(run.workersPerDevice()).containsOnlyKeys("gpu0", "gpu1", "gpu2", "gpu3")
                .allSatisfy((device, workers) -> assertThat(workers).isEqualTo(2));
        for (WorkerResult worker : run.workers()) {
            if (run.runtime().equals("docker") && run.mode() == GpuRun.Mode.CUDA) {
                // a container gets its GPU by a device request and sees it as its device 0
                assertThat(worker.mode()).as("worker %s ran on", worker.worker()).isEqualTo("cuda");
            } else {
                assertThat(Files.readString(worker.stdoutLog())).as("log of worker %s", worker.worker())
                        .contains("CUDA_VISIBLE_DEVICES=" + worker.device().getAsInt());
            }
        }
        assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
    }
    // end::declared-gpus[]

    /** The guide's launch configurations: single GPU, all GPUs, a subset, and force CPU. */
    @Nested
    @DisplayName("Launch configurations")
    class LaunchConfigurations {

        @GpuWorkers(devices = 0, duration = "15s", memoryMb = 64, ciScale = 0.1, sampleInterval = "500ms")
        @DisplayName("Single GPU: every worker on GPU 0")
        void singleGpu(GpuRun run) {
            assertThat(run.devicesUsed()).isIn(java.util.List.of(0), java.util.List.of());
            assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
            assertRunsWhereItSays(run);
        }

        @GpuWorkers(duration = "15s", memoryMb = 64, ciScale = 0.1, sampleInterval = "500ms")
        @DisplayName("All GPUs: two workers per visible GPU")
        void allGpus(GpuRun run) {
            assertThat(run.workers()).hasSize(2 * Math.max(1, run.inventory().devices().size()));
            assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
            assertRunsWhereItSays(run);
        }

        @GpuWorkers(devices = {0, 2}, workers = 4, duration = "15s", memoryMb = 64, ciScale = 0.1,
                inventory = FOUR_H100, sampleInterval = "500ms")
        @DisplayName("Subset of GPUs {0, 2}: only those two, alternating")
        void subsetOfGpus(GpuRun run) {
            assertThat(run.assignment()).containsExactly(0, 2, 0, 2);
            assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
        }

        // tag::force-cpu[]
        @GpuWorkers(forceCpu = true, duration = "15s", memoryMb = 64, ciScale = 0.1, sampleInterval = "500ms")
        @DisplayName("Force CPU: no GPU visible to any worker, all work on the CPU")
        void forceCpu(GpuRun run) {
            assertThat(run.mode()).isEqualTo(GpuRun.Mode.CPU_FALLBACK);
            assertThat(run.workers()).allSatisfy(w -> {
                assertThat(w.mode()).isEqualTo("cpu");
                assertThat(w.cudaVisibleDevices()).contains("");
            });
            assertThat(run.successRate()).isGreaterThanOrEqualTo(0.8);
        }
        // end::force-cpu[]
    }

    /** CUDA where GPUs were discovered; otherwise CPU fallback, said so, and every worker really on the CPU. */
    static void assertRunsWhereItSays(GpuRun run) {
        if (run.inventory().source() == GpuInventory.Source.DISCOVERED && run.mode() == GpuRun.Mode.CUDA) {
            assertThat(run.workers()).allSatisfy(w -> assertThat(w.mode()).as("worker %s ran on", w.worker()).isEqualTo("cuda"));
        } else {
            assertThat(run.label()).startsWith("CPU fallback");
            assertThat(run.workers()).allSatisfy(w -> assertThat(w.mode()).as("worker %s ran on", w.worker()).isEqualTo("cpu"));
        }
    }
}
