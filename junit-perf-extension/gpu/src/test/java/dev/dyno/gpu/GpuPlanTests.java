package dev.dyno.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.commons.support.AnnotationSupport;

@DisplayName("The per-worker specs of a @GpuWorkers plan")
class GpuPlanTests {

    /** The declared inventory the tests use: four H100s, as dyno.gpus would declare them. */
    static final String FOUR_H100 = "0:NVIDIA H100 80GB HBM3:81559,1:NVIDIA H100 80GB HBM3:81559,"
            + "2:NVIDIA H100 80GB HBM3:81559,3:NVIDIA H100 80GB HBM3:81559";

    /** Four declared devices where nvidia-smi answers: the workers are to run on them (CUDA mode). */
    static GpuPlan.Environment fourGpus() {
        return new GpuPlan.Environment(Optional.of(FOUR_H100), GpuPlanTests::notDiscovered, () -> true,
                DynoConfiguration.of(Map.of()));
    }

    /** The same four declared, but no nvidia-smi: the work runs on the CPU (CPU fallback). */
    static GpuPlan.Environment fourDeclaredNoNvidiaSmi() {
        return new GpuPlan.Environment(Optional.of(FOUR_H100), GpuPlanTests::notDiscovered, () -> false,
                DynoConfiguration.of(Map.of()));
    }

    private static GpuInventory notDiscovered() {
        throw new AssertionError("a declared inventory is not discovered");
    }

    private static GpuPlan plan(String fixture, GpuPlan.Environment environment) {
        return plan(Fixtures.class, fixture, environment);
    }

    /** The plan of the {@code @GpuWorkers} on method {@code fixture} of {@code fixtures}. */
    static GpuPlan plan(Class<?> fixtures, String fixture, GpuPlan.Environment environment) {
        return GpuPlan.of(AnnotationSupport.findAnnotation(java.util.Arrays.stream(fixtures.getDeclaredMethods())
                .filter(m -> m.getName().equals(fixture)).findFirst().orElseThrow(), GpuWorkers.class).orElseThrow(),
                environment);
    }

    /** Each worker's requested GPUs, in worker order. */
    private static List<List<String>> requested(GpuPlan plan) {
        return IntStream.range(0, plan.workers()).mapToObj(i -> plan.specOf(i).gpuDevices()).toList();
    }

    private static List<String> visibleInEnv(GpuPlan plan) {
        return IntStream.range(0, plan.workers()).mapToObj(i -> plan.specOf(i).env().get("CUDA_VISIBLE_DEVICES")).toList();
    }

    @Test
    @DisplayName("round-robin over 4 declared GPUs: worker i requests GPU i mod 4, and sets no CUDA_VISIBLE_DEVICES itself")
    void roundRobin() {
        GpuPlan plan = plan("roundRobin", fourGpus());

        assertThat(plan.mode()).isEqualTo(GpuRun.Mode.CUDA);
        assertThat(requested(plan)).containsExactly(List.of("0"), List.of("1"), List.of("2"), List.of("3"),
                List.of("0"), List.of("1"), List.of("2"), List.of("3"));
        assertThat(visibleInEnv(plan)).containsOnlyNulls();
        assertThat(plan.specOf(5).env()).containsEntry("DYNO_GPU_WORKER", "5").containsEntry("DYNO_GPU_MODE", "cuda")
                .containsEntry("CUDA_DEVICE_ORDER", "PCI_BUS_ID").doesNotContainKey("DYNO_GPU_FORCE_CPU");
        assertThat(plan.specOf(5).name()).isEqualTo("gpu-worker-5");
    }

    @Test
    @DisplayName("packed: each declared H100 takes as many 40 GB workers as its memory holds (two), then the next")
    void packed() {
        assertThat(requested(plan("packed", fourGpus()))).containsExactly(List.of("0"), List.of("0"), List.of("1"),
                List.of("1"), List.of("2"));
    }

    @Test
    @DisplayName("a subset {0, 2} of the 4 declared GPUs: the workers request only those two, alternating")
    void subset() {
        GpuPlan plan = plan("subset", fourGpus());

        assertThat(plan.devicesUsed()).containsExactly(0, 2);
        assertThat(requested(plan)).containsExactly(List.of("0"), List.of("2"), List.of("0"), List.of("2"));
    }

    @Test
    @DisplayName("two per device by default: 8 workers over the 4 declared GPUs")
    void twoPerDevice() {
        assertThat(requested(plan("twoPerDevice", fourGpus()))).hasSize(8).containsOnly(List.of("0"), List.of("1"),
                List.of("2"), List.of("3"));
    }

    @Test
    @DisplayName("in CPU fallback no GPU is requested; declared devices still show the assignment in CUDA_VISIBLE_DEVICES")
    void cpuFallbackRequestsNoDevice() {
        GpuPlan plan = plan("roundRobin", fourDeclaredNoNvidiaSmi());

        assertThat(plan.mode()).isEqualTo(GpuRun.Mode.CPU_FALLBACK);
        assertThat(requested(plan)).allSatisfy(gpus -> assertThat(gpus).isEmpty());
        assertThat(visibleInEnv(plan)).containsExactly("0", "1", "2", "3", "0", "1", "2", "3");
        assertThat(plan.specOf(0).env()).containsEntry("DYNO_GPU_FORCE_CPU", "1").containsEntry("DYNO_GPU_MODE", "cpu");
    }

    @Test
    @DisplayName("forced to the CPU no GPU is requested and every GPU is hidden; without GPUs nothing is set")
    void forcedCpuAndNoGpu() {
        GpuPlan forced = plan("forcedCpu", fourGpus());
        GpuPlan none = plan("noGpu", fourGpus());

        assertThat(requested(forced)).hasSize(2).allSatisfy(gpus -> assertThat(gpus).isEmpty());
        assertThat(visibleInEnv(forced)).containsExactly("", "");
        assertThat(requested(none)).hasSize(2).allSatisfy(gpus -> assertThat(gpus).isEmpty());
        assertThat(visibleInEnv(none)).containsOnlyNulls();
    }

    @Test
    @DisplayName("workers run as processes unless dyno.runtime is docker")
    void runtimeChoice() {
        GpuPlan.Environment base = fourGpus();

        assertThat(plan("roundRobin", base).runtime()).isEqualTo("process");
        for (String choice : List.of("auto", "process", " Process ")) {
            assertThat(plan("roundRobin", new GpuPlan.Environment(base.declaredGpus(), base.discovery(),
                    base.nvidiaSmiAvailable(), DynoConfiguration.of(Map.of("dyno.runtime", choice)))).runtime())
                    .as(choice).isEqualTo("process");
        }
        assertThat(plan("roundRobin", new GpuPlan.Environment(base.declaredGpus(), base.discovery(),
                base.nvidiaSmiAvailable(), DynoConfiguration.of(Map.of("dyno.runtime", "docker")))).runtime())
                .isEqualTo("docker");
    }

    @Test
    @DisplayName("a worker whose spec picks its own GPUs is refused: @GpuWorkers assigns them")
    void workerWithItsOwnGpus() {
        WorkloadCatalog.register("gpu-worker-with-own-gpus", () -> WorkloadSpec.ofCommand("true")
                .withEnv("CUDA_VISIBLE_DEVICES", "3"));

        assertThatThrownBy(() -> plan("ownGpus", fourGpus()))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@GpuWorkers(worker) value \"gpu-worker-with-own-gpus\" is not allowed: a workload that "
                        + "chooses its own GPUs (CUDA_VISIBLE_DEVICES=3); @GpuWorkers assigns them: drop them from its spec");
    }

    @TestKitFixture
    static class Fixtures {
        @GpuWorkers(workers = 8, command = {"true"})
        void roundRobin() {
        }

        @GpuWorkers(workers = 5, memoryMb = 40_000, assignment = GpuWorkers.Strategy.PACKED, command = {"true"})
        void packed() {
        }

        @GpuWorkers(workers = 4, devices = {0, 2}, command = {"true"})
        void subset() {
        }

        @GpuWorkers(command = {"true"})
        void twoPerDevice() {
        }

        @GpuWorkers(forceCpu = true, command = {"true"})
        void forcedCpu() {
        }

        @GpuWorkers(inventory = "none", command = {"true"})
        void noGpu() {
        }

        @GpuWorkers(worker = "gpu-worker-with-own-gpus")
        void ownGpus() {
        }
    }
}
