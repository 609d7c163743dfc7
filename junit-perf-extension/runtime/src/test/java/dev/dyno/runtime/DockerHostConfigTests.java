package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.DeviceRequest;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.RuntimeInfo;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What the Docker runtime asks of the engine for a spec, checked without an engine. */
@DisplayName("DockerRuntime host config")
class DockerHostConfigTests {

    private final WorkloadSpec spec = WorkloadSpec.ofCommand("python3", "worker.py");

    @Test
    @DisplayName("GPU devices become one device request: driver nvidia, those ids, capabilities [[gpu]] (docker run --gpus device=0,2)")
    void gpuDevicesBecomeADeviceRequest() {
        HostConfig config = DockerRuntime.hostConfig(spec.withGpuDevices(List.of("0", "2")), HostConfig.newHostConfig());

        assertThat(config.getDeviceRequests()).singleElement().satisfies(request -> {
            assertThat(request.getDriver()).isEqualTo("nvidia");
            assertThat(request.getDeviceIds()).containsExactly("0", "2");
            assertThat(request.getCapabilities()).containsExactly(List.of("gpu"));
            assertThat(request.getCount()).as("count, which the engine refuses together with device ids").isNull();
        });
    }

    @Test
    @DisplayName("UUIDs are passed as they are, and a spec without GPUs asks for no device")
    void uuidsAndNoGpus() {
        String uuid = WorkloadSpecTests.GPU_UUID;

        assertThat(DockerRuntime.hostConfig(spec.withGpuDevices(List.of(uuid)), HostConfig.newHostConfig())
                .getDeviceRequests()).extracting(DeviceRequest::getDeviceIds).containsExactly(List.of(uuid));
        assertThat(DockerRuntime.hostConfig(spec, HostConfig.newHostConfig()).getDeviceRequests()).isNullOrEmpty();
    }

    @Test
    @DisplayName("the rest of the host config is kept: init, the CFS quota and period, memory without swap, Testcontainers' own settings")
    void restOfTheHostConfig() {
        HostConfig config = DockerRuntime.hostConfig(spec.withCpuLimit(0.5).withMemoryLimit(64L << 20)
                .withGpuDevices(List.of("1")), HostConfig.newHostConfig().withNetworkMode("host"));

        assertThat(config.getInit()).isTrue();
        assertThat(config.getCpuPeriod()).isEqualTo(WorkloadCgroup.PERIOD_MICROS);
        assertThat(config.getCpuQuota()).isEqualTo(WorkloadCgroup.PERIOD_MICROS / 2);
        assertThat(config.getMemory()).isEqualTo(64L << 20);
        assertThat(config.getMemorySwap()).isEqualTo(64L << 20);
        assertThat(config.getNetworkMode()).isEqualTo("host");
        assertThat(config.getDeviceRequests()).hasSize(1);
    }

    @Test
    @DisplayName("an engine can give GPUs when docker info lists an nvidia runtime, or its default runtime is NVIDIA's")
    void nvidiaRuntimeFound() {
        assertThat(DockerRuntime.nvidiaRuntimeProblem(Map.of("runc", runtime("runc"),
                "nvidia", runtime("/usr/bin/nvidia-container-runtime")), "runc")).isEmpty();
        assertThat(DockerRuntime.nvidiaRuntimeProblem(Map.of("runc", runtime("runc"),
                "gpu", runtime("/usr/bin/nvidia-container-runtime")), "gpu")).isEmpty();
        assertThat(DockerRuntime.nvidiaRuntimeProblem(Map.of("nvidia-cdi", runtime("/usr/bin/nvidia-container-runtime.cdi")),
                "nvidia-cdi")).isEmpty();
    }

    @Test
    @DisplayName("without an NVIDIA runtime the reason names the runtimes it saw and how to add one")
    void nvidiaRuntimeMissing() {
        assertThat(DockerRuntime.nvidiaRuntimeProblem(Map.of("runc", runtime("runc"),
                "io.containerd.runc.v2", runtime("runc")), "runc"))
                .hasValue("the Docker engine has no NVIDIA runtime (docker info lists the runtimes ["
                        + "io.containerd.runc.v2, runc], default runc), so it cannot give a container GPUs; install the "
                        + "NVIDIA Container Toolkit on the engine's host and register it (nvidia-ctk runtime configure "
                        + "--runtime=docker, then restart dockerd), or run the workload on the process runtime");
        assertThat(DockerRuntime.nvidiaRuntimeProblem(null, null)).hasValueSatisfying(why ->
                assertThat(why).contains("lists the runtimes [], default runc"));
    }

    private static RuntimeInfo runtime(String path) {
        RuntimeInfo info = new RuntimeInfo();
        info.setPath(path);
        return info;
    }
}
