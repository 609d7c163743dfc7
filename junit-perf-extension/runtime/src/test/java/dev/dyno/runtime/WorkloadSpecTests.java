package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WorkloadSpecTests {

    private final WorkloadSpec python = WorkloadSpec.ofCommand("python3", "app.py");

    @Test
    @DisplayName("withX returns a changed copy and leaves the original as it was")
    void withReturnsCopies() {
        WorkloadSpec limited = python.withCpuLimit(0.5).withEnv("MODE", "fast").withArgs("--verbose");

        assertThat(limited.cpuLimit()).hasValue(0.5);
        assertThat(limited.env()).containsEntry("MODE", "fast");
        assertThat(limited.command()).containsExactly("python3", "app.py", "--verbose");
        assertThat(python.cpuLimit()).isEmpty();
        assertThat(python.env()).isEmpty();
        assertThat(python.command()).containsExactly("python3", "app.py");
    }

    @Test
    @DisplayName("defaults: host network, ready once started, a 60 s readiness timeout, a name from the program")
    void defaults() {
        assertThat(python.network()).isEqualTo(NetworkMode.HOST);
        assertThat(python.readiness()).isInstanceOf(Readiness.Started.class);
        assertThat(python.readinessTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(python.name()).isEqualTo("python3");
        assertThat(WorkloadSpec.ofCommand("/usr/bin/java", "-jar", "x.jar").name()).isEqualTo("java");
        assertThat(WorkloadSpec.ofImage("eclipse-temurin:17-jre").name()).isEqualTo("eclipse-temurin");
        assertThat(WorkloadSpec.ofImage("registry.example:5000/team/app@sha256:abc").name()).isEqualTo("app");
    }

    @ParameterizedTest(name = "{0} cores")
    @ValueSource(doubles = {0, -1, 0.001, Double.NaN, Double.POSITIVE_INFINITY})
    @DisplayName("a CPU limit that is not a positive number of cores is refused, naming the field and the value")
    void invalidCpuLimit(double cores) {
        assertThatThrownBy(() -> python.withCpuLimit(cores))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.cpuLimit = " + cores + ": ")
                .hasMessageContaining("positive number of cores, at least 0.01")
                .satisfies(e -> assertThat(((InvalidWorkloadSpecException) e).field()).isEqualTo("cpuLimit"));
    }

    @Test
    @DisplayName("a memory limit below 6 MiB is refused, naming the field and the value")
    void invalidMemoryLimit() {
        assertThatThrownBy(() -> python.withMemoryLimit(1024))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.memoryLimitBytes = 1024: ")
                .hasMessageContaining("at least 6291456 bytes");
    }

    @Test
    @DisplayName("a spec with neither a command nor an image is refused, saying what to give")
    void missingCommand() {
        assertThatThrownBy(WorkloadSpec::ofCommand)
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.command = []: missing");
        assertThatThrownBy(() -> python.withCommand())
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.command = []: missing");
        assertThatThrownBy(() -> WorkloadSpec.ofCommand(" ", "x"))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> WorkloadSpec.ofCommand(Arrays.asList("python3", null)))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.command = [python3, null]: missing");
    }

    @Test
    @DisplayName("a command given as an immutable List.of is accepted (List.of refuses to be asked whether it holds null)")
    void immutableCommandList() {
        assertThat(WorkloadSpec.ofCommand(List.of("java", "-version")).command()).containsExactly("java", "-version");
    }

    @Test
    @DisplayName("a file target outside the working directory is refused")
    void fileTargetMustBeRelative() {
        assertThatThrownBy(() -> python.withFile(Path.of("app.py"), "/etc/app.py"))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.files = '/etc/app.py': ")
                .hasMessageContaining("relative path inside the working directory");
        assertThatThrownBy(() -> python.withFile(Path.of("app.py"), "../app.py"))
                .isInstanceOf(InvalidWorkloadSpecException.class);
    }

    @Test
    @DisplayName("labels in Dyno's own dev.dyno. namespace are refused")
    void reservedLabels() {
        assertThatThrownBy(() -> python.withLabel("dev.dyno.run", "mine"))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.labels = 'dev.dyno.run=mine': ")
                .hasMessageContaining("reserved");
    }

    @Test
    @DisplayName("other bad values are refused with the field, the value and what is allowed")
    void otherBadValues() {
        assertThatThrownBy(() -> python.withReadinessTimeout(Duration.ZERO))
                .hasMessageStartingWith("WorkloadSpec.readinessTimeout = PT0S: not allowed; a positive duration");
        assertThatThrownBy(() -> python.withWorkingDir("relative/dir"))
                .hasMessageStartingWith("WorkloadSpec.workingDir = 'relative/dir': not allowed; an absolute path");
        assertThatThrownBy(() -> python.withName("has space"))
                .hasMessageStartingWith("WorkloadSpec.name = 'has space': not allowed");
        assertThatThrownBy(() -> python.withEnv("1BAD", "x"))
                .hasMessageStartingWith("WorkloadSpec.env = '1BAD=x': not allowed");
        assertThatThrownBy(() -> python.withImage("has space:1"))
                .hasMessageStartingWith("WorkloadSpec.image = 'has space:1': not allowed");
    }

    @Test
    @DisplayName("HTTP readiness needs a network: with NONE nothing could reach the workload")
    void httpReadinessNeedsANetwork() {
        WorkloadSpec served = python.withReadiness(Readiness.http(java.net.URI.create("http://127.0.0.1:8000/")));

        assertThatThrownBy(() -> served.withNetwork(NetworkMode.NONE))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.readiness = http(http://127.0.0.1:8000/): not allowed with network NONE");
    }

    /** Every withX but those that set the network (withNetwork, withPublishedPorts) and withGpuDevices. */
    private static List<UnaryOperator<WorkloadSpec>> everyCopyButTheNetwork() {
        return List.of(
                s -> s.withName("renamed"), s -> s.withImage("dyno/jre17-python:local"), s -> s.withCommand("python3"),
                s -> s.withArgs("-v"), s -> s.withEnv("MODE", "fast"), s -> s.withEnv(Map.of("A", "1")),
                s -> s.withWorkingDir("/tmp"), s -> s.withFile(Path.of("app.py"), "app.py"), s -> s.withCpuLimit(0.5),
                s -> s.withoutCpuLimit(), s -> s.withMemoryLimit(64L << 20),
                s -> s.withLabel("team", "perf"), s -> s.withReadiness(Readiness.exit()),
                s -> s.withReadinessTimeout(Duration.ofSeconds(5)), s -> s.withJvmRecording());
    }

    @Test
    @DisplayName("published ports put the workload on a bridge network; bad ports, ports on another network and an unpublished HTTP probe are refused")
    void publishedPorts() {
        WorkloadSpec web = python.withPublishedPorts(8000, 9090);
        assertThat(web.network()).isEqualTo(NetworkMode.BRIDGE);
        assertThat(web.publishedPorts()).containsExactly(8000, 9090);
        assertThat(python.publishedPorts()).isEmpty();
        for (UnaryOperator<WorkloadSpec> copy : everyCopyButTheNetwork()) {
            WorkloadSpec copied = copy.apply(web);
            assertThat(copied.publishedPorts()).containsExactly(8000, 9090);
            assertThat(copied.network()).isEqualTo(NetworkMode.BRIDGE);
        }

        assertThatThrownBy(() -> python.withPublishedPorts(0))
                .hasMessageStartingWith("WorkloadSpec.publishedPorts = [0]: not allowed; distinct ports from 1 to 65535");
        assertThatThrownBy(() -> python.withPublishedPorts(8000, 8000))
                .hasMessageStartingWith("WorkloadSpec.publishedPorts = [8000, 8000]: not allowed");
        assertThatThrownBy(() -> web.withNetwork(NetworkMode.HOST))
                .hasMessageStartingWith("WorkloadSpec.publishedPorts = [8000, 9090]: not allowed with network HOST");
        assertThatThrownBy(() -> web.withReadiness(Readiness.http(java.net.URI.create("http://127.0.0.1:7000/"))))
                .hasMessageStartingWith("WorkloadSpec.readiness = http(http://127.0.0.1:7000/): not allowed: port 7000 is "
                        + "not published")
                .hasMessageContaining("withPublishedPorts(7000)");
    }

    static final String GPU_UUID = "GPU-5f2b1c3a-9d4e-4f6a-8b7c-0123456789ab";

    @Test
    @DisplayName("GPU devices are none by default, and withGpuDevices gives indexes and UUIDs as a changed copy")
    void gpuDevices() {
        WorkloadSpec onGpus = python.withGpuDevices(List.of("0", "2", GPU_UUID, "MIG-" + GPU_UUID.substring(4)));

        assertThat(python.gpuDevices()).isEmpty();
        assertThat(onGpus.gpuDevices()).containsExactly("0", "2", GPU_UUID, "MIG-" + GPU_UUID.substring(4));
        assertThat(onGpus.withGpuDevices(List.of()).gpuDevices()).isEmpty();
        assertThat(WorkloadSpec.ofImage("dyno/jre17-python:local").gpuDevices()).isEmpty();
    }

    @Test
    @DisplayName("every other withX keeps the GPU devices, and withGpuDevices keeps every other field")
    void gpuDevicesSurviveEveryCopy() {
        List<String> gpus = List.of("1", "3");
        WorkloadSpec base = python.withGpuDevices(gpus);
        List<UnaryOperator<WorkloadSpec>> copies = new java.util.ArrayList<>(everyCopyButTheNetwork());
        copies.add(s -> s.withNetwork(NetworkMode.NONE));
        copies.add(s -> s.withPublishedPorts(8080));

        // one per withX the record has, so a new one cannot be added and forgotten here
        long withMethods = Arrays.stream(WorkloadSpec.class.getDeclaredMethods())
                .filter(m -> m.getName().startsWith("with") && !m.getName().equals("withGpuDevices")).count();
        assertThat(copies).hasSize((int) withMethods);
        for (UnaryOperator<WorkloadSpec> copy : copies) {
            assertThat(copy.apply(base).gpuDevices()).isEqualTo(gpus);
            // and the JVM recording, once asked for, is not lost by a later copy
            assertThat(copy.apply(base.withJvmRecording()).jvmRecording()).isTrue();
        }
        assertThat(base.jvmRecording()).isFalse();
        WorkloadSpec full = python.withName("full").withImage("dyno/jre17-python:local").withEnv("MODE", "fast")
                .withWorkingDir("/tmp").withFile(Path.of("app.py"), "app.py").withCpuLimit(0.5)
                .withMemoryLimit(64L << 20).withNetwork(NetworkMode.NONE).withLabel("team", "perf")
                .withReadiness(Readiness.exit()).withReadinessTimeout(Duration.ofSeconds(5));
        WorkloadSpec withGpus = full.withGpuDevices(gpus);
        assertThat(withGpus).usingRecursiveComparison().ignoringFields("gpuDevices").isEqualTo(full);
        assertThat(withGpus.gpuDevices()).isEqualTo(gpus);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"", " 0", "gpu0", "-1", "0,1", "01", "GPU-5f2b1c3a", "GPU-" + "5f2b1c3a-9d4e-4f6a-8b7c-0123456789", "all"})
    @DisplayName("a GPU id that is neither an index nor a UUID is refused, naming the field, the value and what is allowed")
    void invalidGpuDevice(String id) {
        assertThatThrownBy(() -> python.withGpuDevices(List.of("0", id)))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.gpuDevices = [0, " + id + "]: not allowed; '" + id + "' is not a GPU id: ")
                .hasMessageContaining("give indexes as nvidia-smi numbers the GPUs (\"0\", \"2\") or UUIDs")
                .satisfies(e -> assertThat(((InvalidWorkloadSpecException) e).field()).isEqualTo("gpuDevices"));
    }

    @Test
    @DisplayName("a null GPU list or id is refused, saying what to give instead")
    void nullGpuDevices() {
        List<String> withNull = new ArrayList<>(List.of("0"));
        withNull.add(null);

        assertThatThrownBy(() -> python.withGpuDevices(null))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessage("WorkloadSpec.gpuDevices = null: missing; a list of GPU indexes or UUIDs, or List.of() for no GPU");
        assertThatThrownBy(() -> python.withGpuDevices(withNull))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.gpuDevices = [0, null]: not allowed; null is not a GPU id");
    }

    @Test
    @DisplayName("a GPU named twice, or GPUs together with a CUDA_VISIBLE_DEVICES of the spec's own, are refused")
    void gpuDevicesConflicts() {
        assertThatThrownBy(() -> python.withGpuDevices(List.of("1", "1")))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessage("WorkloadSpec.gpuDevices = [1, 1]: not allowed; names GPU 1 twice");
        assertThatThrownBy(() -> python.withEnv("CUDA_VISIBLE_DEVICES", "3").withGpuDevices(List.of("1")))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageStartingWith("WorkloadSpec.gpuDevices = [1]: not allowed together with env CUDA_VISIBLE_DEVICES=3: ");
        assertThatThrownBy(() -> python.withGpuDevices(List.of("1")).withEnv("CUDA_VISIBLE_DEVICES", ""))
                .isInstanceOf(InvalidWorkloadSpecException.class)
                .hasMessageContaining("keep gpuDevices and drop the variable");
        assertThat(python.withEnv("CUDA_VISIBLE_DEVICES", "").gpuDevices()).as("hiding every GPU, without devices").isEmpty();
    }
}
