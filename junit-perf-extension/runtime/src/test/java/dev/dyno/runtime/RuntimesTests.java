package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.SkipForbiddenException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
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
        runNeedsDocker().testEvents().assertThatEvents().haveExactly(1, event(test("needsDocker"),
                abortedWithReason(instanceOf(TestAbortedException.class), message("needs Docker: no engine answers"))));
    }

    @Test
    @DisplayName("without Docker and with dyno.skips = fail a test that needs it fails with the reason")
    void failsWithoutDockerWhenSkipsFail() {
        runNeedsDocker(DynoConfiguration.SKIPS_PROPERTY, "fail").testEvents().assertThatEvents().haveExactly(1,
                event(test("needsDocker"), finishedWithFailure(instanceOf(SkipForbiddenException.class),
                        message("needs Docker: no engine answers (failed instead of skipped: dyno.skips = fail)"))));
    }

    private static EngineExecutionResults runNeedsDocker(String... configuration) {
        var request = EngineTestKit.engine("junit-jupiter").selectors(selectClass(NeedsDockerTestCase.class))
                .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, DynoConfiguration.HISTORY_OFF)
                .configurationParameter(DynoConfiguration.RESULTS_DIR_PROPERTY, "target/runtimes-tests/results");
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            request.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return request.execute();
    }

    static class NeedsDockerTestCase {
        @PerfTest
        void needsDocker() {
            Runtimes.assumeDocker(Optional.of("no engine answers"), null);
        }
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

    private static final Supplier<Optional<String>> NO_ENGINE = () -> Optional.of("no engine answers");

    @Test
    @DisplayName("auto falls back to processes where Docker cannot run, saying why once and remembering it")
    void autoFallsBackOnce() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Runtimes.FallbackNotice notice = new Runtimes.FallbackNotice(new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(Runtimes.choose("auto", NO_ENGINE, null, notice)).isEqualTo("process");
        assertThat(Runtimes.choose(" AUTO ", NO_ENGINE, "false", notice)).isEqualTo("process");

        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "[dyno] workloads run as local processes, not in Docker (dyno.runtime=auto): no engine answers");
        assertThat(notice.reason()).hasValue("no engine answers");
    }

    @Test
    @DisplayName("auto picks Docker where it can run, with no notice and no reason")
    void autoPicksDocker() {
        Runtimes.FallbackNotice notice = new Runtimes.FallbackNotice(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));

        assertThat(Runtimes.choose("auto", Optional::empty, "true", notice)).isEqualTo("docker");
        assertThat(notice.reason()).isEmpty();
    }

    @Test
    @DisplayName("auto with DYNO_REQUIRE_DOCKER=true fails with the reason instead of falling back")
    void autoFailsWhenDockerRequired() {
        Runtimes.FallbackNotice notice = new Runtimes.FallbackNotice(new PrintStream(new ByteArrayOutputStream(), true,
                StandardCharsets.UTF_8));

        assertThatThrownBy(() -> Runtimes.choose("auto", NO_ENGINE, "true", notice))
                .isInstanceOf(RuntimeUnavailableException.class)
                .hasMessage("DYNO_REQUIRE_DOCKER=true forbids running workloads as local processes instead of in "
                        + "Docker, and Docker cannot run here: no engine answers");
        assertThat(notice.reason()).isEmpty();
    }

    @Test
    @DisplayName("dyno.runtime=docker fails with the reason where Docker cannot run")
    void dockerFailsWithTheReason() {
        assertThatThrownBy(() -> Runtimes.choose("docker", NO_ENGINE, null, null))
                .isInstanceOf(RuntimeUnavailableException.class)
                .hasMessage("dyno.runtime=docker, but the Docker runtime cannot run here: no engine answers");
    }

    @Test
    @DisplayName("dyno.runtime=process never asks whether Docker can run")
    void processAsksNothing() {
        Supplier<Optional<String>> mustNotBeAsked = () -> {
            throw new AssertionError("asked whether Docker can run");
        };

        assertThat(Runtimes.choose("process", mustNotBeAsked, "true", null)).isEqualTo("process");
    }

    @Test
    @DisplayName("the results record why auto fell back in this JVM, or none")
    void fingerprintRecordsTheReason() {
        assertThat(dev.dyno.config.EnvironmentFingerprint.capture())
                .containsEntry("dyno.runtime.reason", Runtimes.fallbackReason().orElse("none"));
    }
}
