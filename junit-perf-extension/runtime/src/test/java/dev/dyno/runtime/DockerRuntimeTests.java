package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;

/** Skipped, with the reason, where no Docker engine answers; fails instead when DYNO_REQUIRE_DOCKER=true. */
@DisplayName("DockerRuntime")
class DockerRuntimeTests extends WorkloadRuntimeContract {

    @BeforeAll
    static void needsDocker() {
        Runtimes.assumeDocker();
    }

    @Override
    WorkloadRuntime openRuntime() {
        return Runtimes.requireDocker();
    }

    @Override
    void assertPublished(RunningWorkload server, int port, Endpoint endpoint) {
        DockerRuntime docker = (DockerRuntime) runtime;
        assertThat(endpoint.port()).as("the port the engine published").isNotEqualTo(port);
        assertThat(endpoint.host()).isEqualTo(docker.host());
        assertThat(docker.labelledNetworks()).as("the run's bridge network").containsExactly("dyno-" + runtime.runId().value());
        assertThatThrownBy(() -> server.endpoint(port + 1)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("publishes ports [" + port + "], not " + (port + 1));
        runtime.close();
        assertThat(docker.labelledNetworks()).as("networks left by the run").isEmpty();
    }

    @Override
    long leftovers(RunId runId) {
        DockerClient client = DockerClientFactory.instance().client();
        int containers = client.listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(DockerRuntime.RUN_LABEL, runId.value()))
                .exec().size();
        int networks = client.listNetworksCmd().withFilter("label", List.of(DockerRuntime.RUN_LABEL + "=" + runId.value()))
                .exec().size();
        return containers + networks;
    }

    @Test
    @DisplayName("a new CPU limit is in the container's cgroup when setCpuLimit returns, and the engine's record of it follows")
    void limitInForceAtOnceAndRecordedByTheEngine() {
        RunningWorkload workload = runtime.start(WorkloadSpec.ofCommand("sleep", "60").withCpuLimit(1.0));
        workload.setCpuLimit(0.3);
        // what the kernel enforces, read inside the container right after the call: v2 "30000 100000", v1 "30000"
        String inForce = exec(workload.id(), "cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us");
        assertThat(inForce).startsWith("30000");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                DockerClientFactory.instance().client().inspectContainerCmd(workload.id()).exec().getHostConfig()
                        .getCpuQuota()).isEqualTo(30_000L));
        assertThat(workload.cpuLimit()).hasValue(0.3);
    }

    /** Runs {@code command} in the container ({@code docker exec}) and returns its standard output. */
    private static String exec(String containerId, String command) {
        DockerClient client = DockerClientFactory.instance().client();
        String exec = client.execCreateCmd(containerId).withCmd("sh", "-c", command).withAttachStdout(true).exec().getId();
        StringBuilder out = new StringBuilder();
        try {
            client.execStartCmd(exec).exec(new com.github.dockerjava.api.async.ResultCallback.Adapter<
                    com.github.dockerjava.api.model.Frame>() {
                @Override
                public void onNext(com.github.dockerjava.api.model.Frame frame) {
                    out.append(new String(frame.getPayload(), java.nio.charset.StandardCharsets.UTF_8));
                }
            }).awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return out.toString().strip();
    }

    @Test
    @DisplayName("an image that is neither present nor pullable is refused before anything is created, naming it and how to get it")
    void unknownImage() {
        WorkloadSpec spec = WorkloadSpec.ofCommand("true").withImage("dyno/no-such-image:local");
        long start = System.nanoTime();

        assertThat(runtime.unsupportedReason(spec)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("WorkloadSpec.image = 'dyno/no-such-image:local': image dyno/no-such-image:local is not "
                        + "present on the Docker engine and pulling it failed: ")
                .contains("; pull it with `docker pull dyno/no-such-image:local`, or build or load it, or name another "
                        + "image (WorkloadSpec.image, or dyno.docker.image for specs that name none)")
                .doesNotContain(".ci/").doesNotContain("build-local-images"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("a hang guard").isLessThan(Duration.ofSeconds(60));
        assertThatThrownBy(() -> runtime.start(spec))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageContaining("WorkloadSpec.image = 'dyno/no-such-image:local'")
                .hasMessageContaining("is not present on the Docker engine and pulling it failed: ");
        assertThat(leftovers(runtime.runId())).isZero();
    }

    @Test
    @DisplayName("the local Node image runs a Node program and reports its METRICS_JSON")
    void nodeImage() {
        RunningWorkload node = runtime.start(WorkloadSpec.ofCommand("node", "-e",
                        "console.log('=== METRICS_JSON ==='); console.log(JSON.stringify({node_major: +process.versions.node.split('.')[0]}))")
                .withImage("dyno/node18:local")
                .withReadiness(Readiness.exit()));

        assertThat(node.exitCode()).hasValue(0);
        assertThat(node.metrics()).hasValueSatisfying(m -> assertThat(m.number("node_major")).contains(18.0));
        node.stop();
        assertThat(leftovers(runtime.runId())).isZero();
    }

    @Test
    @DisplayName("a Java main class of this machine's class path is refused, pointing to the process runtime")
    void hostJavaMainIsRefused() {
        WorkloadSpec spec = WorkloadSpec.ofJavaMain(DockerRuntimeTests.class);

        assertThat(runtime.unsupportedReason(spec)).hasValueSatisfying(why -> assertThat(why)
                .contains("this machine's class path").contains("process runtime"));
        assertThatThrownBy(() -> runtime.start(spec))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageContaining("WorkloadSpec.command = ");
        assertThat(leftovers(runtime.runId())).isZero();
    }

    @Test
    @DisplayName("every container carries the run id, the owner's pid and the spec's labels")
    void containersAreLabelled() {
        RunningWorkload sleeper = runtime.start(WorkloadSpec.ofCommand("sleep", "30").withLabel("team", "perf"));

        List<Container> containers = DockerClientFactory.instance().client().listContainersCmd()
                .withLabelFilter(Map.of(DockerRuntime.RUN_LABEL, runtime.runId().value())).exec();
        assertThat(containers).singleElement().satisfies(container -> {
            assertThat(container.getId()).isEqualTo(sleeper.id());
            assertThat(container.getLabels())
                    .containsEntry(DockerRuntime.OWNER_PID_LABEL, String.valueOf(ProcessHandle.current().pid()))
                    .containsEntry("team", "perf");
        });
        assertThat(sleeper.cpuLimitMechanism()).isEqualTo(CpuLimitMechanism.DOCKER_QUOTA);
    }

    @Test
    @DisplayName("a spec asking for GPUs is refused on an engine without the NVIDIA runtime, naming gpuDevices and what to install")
    void gpusNeedTheNvidiaRuntime() {
        com.github.dockerjava.api.model.Info info = DockerClientFactory.instance().client().infoCmd().exec();
        Assumptions.assumeFalse(info.getRuntimes().containsKey("nvidia"),
                "this engine has an nvidia runtime: the refusal cannot be seen here");
        // docker-java's Info has no getter for it; the check reads it from the raw answer
        assertThat(info.getRawValues()).containsKey("DefaultRuntime");
        WorkloadSpec spec = WorkloadSpec.ofCommand("nvidia-smi").withGpuDevices(List.of("0", "2"));

        assertThat(runtime.unsupportedReason(spec)).hasValueSatisfying(why -> assertThat(why)
                .startsWith("WorkloadSpec.gpuDevices = [0, 2]: the Docker engine has no NVIDIA runtime (docker info lists the runtimes [")
                .contains("], default " + info.getRawValues().get("DefaultRuntime") + ")")
                .contains("install the NVIDIA Container Toolkit"));
        assertThat(runtime.unsupportedReason(WorkloadSpec.ofCommand("true"))).as("the same spec without GPUs").isEmpty();
        assertThatThrownBy(() -> runtime.start(spec))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.gpuDevices = [0, 2]: the Docker engine has no NVIDIA runtime")
                .satisfies(e -> assertThat(((InvalidWorkloadSpecException) e).field()).isEqualTo("gpuDevices"));
        assertThat(leftovers(runtime.runId())).as("containers created").isZero();
    }

    @Test
    @DisplayName("the engine stores the GPU device request as docker run --gpus device=0,2 does, with the nvidia driver")
    void engineKeepsTheDeviceRequest() {
        DockerClient client = DockerClientFactory.instance().client();
        HostConfig asked = DockerRuntime.hostConfig(WorkloadSpec.ofCommand("true").withGpuDevices(List.of("0", "2")),
                HostConfig.newHostConfig().withNetworkMode("none"));
        // created, never started: creating does not need the NVIDIA runtime, starting would
        String id = client.createContainerCmd(System.getProperty(DockerRuntime.DEFAULT_IMAGE_PROPERTY, DockerRuntime.DEFAULT_IMAGE))
                .withCmd("true").withHostConfig(asked).withLabels(Map.of(DockerRuntime.RUN_LABEL, runtime.runId().value()))
                .exec().getId();
        try {
            assertThat(client.inspectContainerCmd(id).exec().getHostConfig().getDeviceRequests()).singleElement()
                    .satisfies(stored -> {
                        assertThat(stored.getDriver()).isEqualTo("nvidia");
                        assertThat(stored.getDeviceIds()).containsExactly("0", "2");
                        assertThat(stored.getCapabilities()).containsExactly(List.of("gpu"));
                        assertThat(stored.getCount()).isZero();
                    });
        } finally {
            client.removeContainerCmd(id).withForce(true).exec();
        }
    }

    @Test
    @DisplayName("lists the containers that carry the run's label, its workloads' and others', and removes them on request")
    void labelledContainers() {
        DockerClient client = DockerClientFactory.instance().client();
        RunningWorkload sleeper = runtime.start(WorkloadSpec.ofCommand("sleep", "30"));
        String stray = client.createContainerCmd(System.getProperty(DockerRuntime.DEFAULT_IMAGE_PROPERTY, DockerRuntime.DEFAULT_IMAGE))
                .withCmd("true").withName("dyno-test-stray-" + runtime.runId())
                .withLabels(Map.of(DockerRuntime.RUN_LABEL, runtime.runId().value())).exec().getId();
        DockerRuntime docker = (DockerRuntime) runtime;

        assertThat(docker.labelledContainers(true)).singleElement().asString()
                .startsWith(sleeper.id().substring(0, 12) + " dyno-" + runtime.runId()).endsWith(" (running)");
        assertThat(docker.labelledContainers(false)).hasSize(2)
                .anySatisfy(c -> assertThat(c).isEqualTo(stray.substring(0, 12) + " dyno-test-stray-" + runtime.runId() + " (created)"));

        sleeper.stop();
        assertThat(docker.labelledContainers(false)).as("after the workload stopped").hasSize(1);
        assertThat(docker.removeLabelledContainers()).isEqualTo(1);
        assertThat(leftovers(runtime.runId())).isZero();
    }
}
