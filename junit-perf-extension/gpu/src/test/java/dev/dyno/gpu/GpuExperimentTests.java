package dev.dyno.gpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.ProcessRuntime;
import dev.dyno.runtime.Runtimes;
import dev.dyno.runtime.WorkloadRuntime;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.testcontainers.DockerClientFactory;

/**
 * A {@link GpuExperiment} run directly, on plans whose devices the tests declare: as if nvidia-smi
 * listed them (CUDA mode), which no extension test can reach on a machine without a GPU.
 */
@DisplayName("GPU workers on each runtime")
class GpuExperimentTests {

    /** Prints what the worker sees, then a METRICS_JSON block. */
    static final String ECHO_WORKER = "echo \"worker $DYNO_GPU_WORKER CUDA_VISIBLE_DEVICES=${CUDA_VISIBLE_DEVICES-unset} "
            + "CUDA_DEVICE_ORDER=$CUDA_DEVICE_ORDER\"; echo '=== METRICS_JSON ==='; echo '{\"operations\": 3}'";

    /** nvidia-smi that is not there: CUDA mode's sampling and context checks find nothing, as on an idle GPU host. */
    private static final NvidiaSmi NO_SMI = new NvidiaSmi("/nonexistent/nvidia-smi");

    private static GpuPlan cudaPlan(String fixture) {
        return GpuPlanTests.plan(Fixtures.class, fixture, GpuPlanTests.fourGpus());
    }

    @Test
    @DisplayName("as processes, each worker on a GPU sees exactly its device in CUDA_VISIBLE_DEVICES, set from its spec's GPUs")
    void processesSeeTheirDevice() throws Exception {
        GpuPlan plan = cudaPlan("echoRoundRobin");
        Recorder recorder = Recorder.create();
        GpuRun run;
        try (GpuExperiment experiment = new GpuExperiment(plan, ProcessRuntime::open, NO_SMI)) {
            run = experiment.run(recorder);
            GpuReport.record(recorder, run);
        }

        assertThat(run.mode()).isEqualTo(GpuRun.Mode.CUDA);
        assertThat(run.runtime()).isEqualTo("process");
        assertThat(run.assignment()).containsExactly(0, 1, 2, 3, 0);
        for (WorkerResult worker : run.workers()) {
            assertThat(Files.readString(worker.stdoutLog())).contains("worker " + worker.worker()
                    + " CUDA_VISIBLE_DEVICES=" + worker.device().getAsInt() + " CUDA_DEVICE_ORDER=PCI_BUS_ID");
            assertThat(worker.cudaVisibleDevices()).contains(String.valueOf(worker.device().getAsInt()));
            assertThat(worker.succeeded()).isTrue();
        }
        assertThat(run.leaked()).isFalse();
        assertThat(recorder.snapshot().attributes()).containsEntry("gpu.runtime", "local processes, device by CUDA_VISIBLE_DEVICES");
    }

    @Test
    @DisplayName("in containers on an engine without the NVIDIA runtime, GPU workers fail before any container starts, saying why")
    void containersNeedTheNvidiaRuntime() {
        Runtimes.assumeDocker();
        DockerClient client = DockerClientFactory.instance().client();
        Assumptions.assumeFalse(client.infoCmd().exec().getRuntimes().containsKey("nvidia"),
                "this engine has an nvidia runtime");
        Map<String, String> ours = Map.of(DockerRuntime.OWNER_PID_LABEL, String.valueOf(ProcessHandle.current().pid()));
        int containersBefore = client.listContainersCmd().withShowAll(true).withLabelFilter(ours).exec().size();

        try (GpuExperiment experiment = new GpuExperiment(cudaPlan("echoRoundRobin"), DockerRuntime::open, NO_SMI)) {
            assertThatThrownBy(() -> experiment.run(Recorder.create()))
                    .isInstanceOf(ExtensionConfigurationException.class)
                    .hasMessageStartingWith("@GpuWorkers cannot run its workers on the docker runtime (dyno.runtime): "
                            + "WorkloadSpec.gpuDevices = [0]: the Docker engine has no NVIDIA runtime")
                    .hasMessageContaining("install the NVIDIA Container Toolkit");
        }
        assertThat(client.listContainersCmd().withShowAll(true).withLabelFilter(ours).exec()).as("containers of this JVM")
                .hasSize(containersBefore);
    }

    @Test
    @DisplayName("in containers, a container left carrying the run's label is a leak: named, counted in gpu.processes.leaked, removed")
    void leftoverContainerIsALeak() {
        Runtimes.assumeDocker();
        DockerClient client = DockerClientFactory.instance().client();
        String image = System.getProperty(DockerRuntime.DEFAULT_IMAGE_PROPERTY, DockerRuntime.DEFAULT_IMAGE);
        String[] stray = new String[1];
        String[] runId = new String[1];
        // As a worker that starts a sibling container through the engine would leave it.
        Supplier<WorkloadRuntime> leaky = () -> {
            DockerRuntime runtime = DockerRuntime.open();
            runId[0] = runtime.runId().value();
            stray[0] = client.createContainerCmd(image).withCmd("sleep", "120")
                    .withName("dyno-test-sibling-" + runtime.runId())
                    .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withNetworkMode("none"))
                    .withLabels(Map.of(DockerRuntime.RUN_LABEL, runtime.runId().value())).exec().getId();
            client.startContainerCmd(stray[0]).exec();
            return runtime;
        };
        GpuPlan plan = GpuPlanTests.plan(Fixtures.class, "echoOnCpu", GpuPlanTests.fourGpus());
        Recorder recorder = Recorder.create();
        GpuRun run;
        try {
            try (GpuExperiment experiment = new GpuExperiment(plan, leaky, NO_SMI)) {
                run = experiment.run(recorder);
                GpuReport.record(recorder, run);
            }

            assertThat(run.runtime()).isEqualTo("docker");
            assertThat(run.workers()).allSatisfy(w -> assertThat(w.succeeded()).isTrue());
            assertThat(run.leftoverContainers()).containsExactly(
                    stray[0].substring(0, 12) + " dyno-test-sibling-" + runId[0] + " (running)");
            assertThat(run.leaked()).isTrue();
            assertThat(recorder.gauge("gpu.processes.leaked").value()).isEqualTo(1.0);
            assertThat(client.listContainersCmd().withShowAll(true).withIdFilter(List.of(stray[0])).exec())
                    .as("the leftover after the run").isEmpty();
        } finally {
            if (stray[0] != null) {
                try {
                    client.removeContainerCmd(stray[0]).withForce(true).exec();
                } catch (com.github.dockerjava.api.exception.NotFoundException e) {
                    // removed by the run, as expected
                }
            }
        }
    }

    @TestKitFixture
    static class Fixtures {
        @GpuWorkers(workers = 5, duration = "100ms", command = {"sh", "-c", ECHO_WORKER})
        void echoRoundRobin() {
        }

        @GpuWorkers(workers = 2, duration = "100ms", forceCpu = true, command = {"sh", "-c", ECHO_WORKER})
        void echoOnCpu() {
        }
    }
}
