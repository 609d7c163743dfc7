package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
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
}
