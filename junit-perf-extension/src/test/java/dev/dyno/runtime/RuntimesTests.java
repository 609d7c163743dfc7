package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

class RuntimesTests {

    @Test
    @DisplayName("dyno.runtime=process opens the process runtime")
    void processByName() {
        try (WorkloadRuntime runtime = Runtimes.open("process")) {
            assertThat(runtime).isInstanceOf(ProcessRuntime.class);
            assertThat(runtime.name()).isEqualTo("process");
        }
    }

    @Test
    @DisplayName("auto picks Docker exactly when an engine answers")
    void auto() {
        try (WorkloadRuntime runtime = Runtimes.open("auto")) {
            assertThat(runtime.name()).isEqualTo(Runtimes.dockerAvailable() ? "docker" : "process");
        }
    }

    @Test
    @DisplayName("an unknown runtime name is refused, saying which are allowed")
    void unknownName() {
        assertThatThrownBy(() -> Runtimes.open("kubernetes"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("dyno.runtime = \"kubernetes\": allowed are auto, process, docker");
    }

    @Test
    @DisplayName("without Docker a test that needs it is skipped with the reason")
    void skippedWithoutDocker() {
        assertThatThrownBy(() -> Runtimes.assumeDocker(Optional.of("no engine answers"), null))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("needs Docker: no engine answers");
    }

    @Test
    @DisplayName("without Docker but with DYNO_REQUIRE_DOCKER=true a test that needs it fails")
    void failsWithoutDockerWhenRequired() {
        assertThatThrownBy(() -> Runtimes.assumeDocker(Optional.of("no engine answers"), "true"))
                .isInstanceOf(RuntimeUnavailableException.class)
                .hasMessageContaining("DYNO_REQUIRE_DOCKER=true forbids skipping it: no engine answers");
    }

    @Test
    @DisplayName("with Docker, neither skip nor failure")
    void dockerPresent() {
        Runtimes.assumeDocker(Optional.empty(), "true");
        Runtimes.assumeDocker(Optional.empty(), null);
    }
}
