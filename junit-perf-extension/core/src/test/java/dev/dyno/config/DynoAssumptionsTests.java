package dev.dyno.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.PerfTest;
import dev.dyno.metrics.Recorder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.TestAbortedException;

@DisplayName("DynoAssumptions and dyno.skips")
class DynoAssumptionsTests {

    static final String REASON = "machine busy: 40 % of the CPU went elsewhere";

    @TempDir
    Path results;

    private EngineExecutionResults run(String method, String... configuration) {
        var request = EngineTestKit.engine("junit-jupiter")
                .selectors(selectMethod(AssumingTestCase.class, Stream.of(AssumingTestCase.class.getDeclaredMethods())
                        .filter(m -> m.getName().equals(method)).findFirst().orElseThrow()))
                .configurationParameter(DynoConfiguration.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, DynoConfiguration.HISTORY_OFF);
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            request.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return request.execute();
    }

    @Test
    @DisplayName("aborts the test with the reason by default, so it shows as skipped")
    void skipsByDefault() {
        run("busy").testEvents().assertThatEvents().haveExactly(1, event(test("busy"),
                abortedWithReason(instanceOf(TestAbortedException.class), message(REASON))));
    }

    @Test
    @DisplayName("with dyno.skips = skip aborts the test, as by default")
    void skipsWhenSetToSkip() {
        run("busy", DynoConfiguration.SKIPS_PROPERTY, "skip").testEvents().assertThatEvents()
                .haveExactly(1, event(test("busy"), abortedWithReason(message(REASON))));
    }

    @Test
    @DisplayName("with dyno.skips = fail fails the test with the same reason, naming the setting")
    void failsWhenSetToFail() {
        run("busy", DynoConfiguration.SKIPS_PROPERTY, "fail").testEvents().assertThatEvents()
                .haveExactly(1, event(test("busy"), finishedWithFailure(instanceOf(SkipForbiddenException.class),
                        message(REASON + " (failed instead of skipped: dyno.skips = fail)"))));
    }

    @Test
    @DisplayName("fails an abort() with dyno.skips = fail too, and keeps the reason apart")
    void abortFails() {
        run("aborts", DynoConfiguration.SKIPS_PROPERTY, "FAIL").testEvents().assertThatEvents()
                .haveExactly(1, event(test("aborts"), finishedWithFailure(instanceOf(SkipForbiddenException.class),
                        message(m -> m.startsWith("no GPU here")))));
        assertThat(new SkipForbiddenException("no GPU here").reason()).isEqualTo("no GPU here");
    }

    @Test
    @DisplayName("lets the test go on, without asking for the reason, when the condition holds")
    void holds() {
        AssumingTestCase.reasonsAsked.set(0);

        run("quiet", DynoConfiguration.SKIPS_PROPERTY, "fail").testEvents().assertThatEvents()
                .haveExactly(1, event(test("quiet"), finishedSuccessfully()));
        assertThat(AssumingTestCase.reasonsAsked).hasValue(0);
    }

    @Test
    @DisplayName("outside a @PerfTest reads dyno.skips from the system properties")
    void outsideAPerfTest() {
        String original = System.getProperty(DynoConfiguration.SKIPS_PROPERTY);
        try {
            System.setProperty(DynoConfiguration.SKIPS_PROPERTY, "fail");
            assertThatThrownBy(() -> DynoAssumptions.abort("no Docker")).isInstanceOf(SkipForbiddenException.class);
            System.setProperty(DynoConfiguration.SKIPS_PROPERTY, "skip");
            assertThatThrownBy(() -> DynoAssumptions.abort("no Docker")).isInstanceOf(TestAbortedException.class)
                    .hasMessage("no Docker");
        } finally {
            if (original == null) {
                System.clearProperty(DynoConfiguration.SKIPS_PROPERTY);
            } else {
                System.setProperty(DynoConfiguration.SKIPS_PROPERTY, original);
            }
        }
    }

    @Test
    @DisplayName("writes a results file that says skipped, with the reason, and judges no threshold")
    void resultsSaySkipped() throws IOException {
        run("busy");

        JsonNode result = only(resultFiles());
        assertThat(result.get("status").asText()).isEqualTo("skipped");
        assertThat(result.get("failure").asText()).isEqualTo(REASON);
        assertThat(result.get("thresholds")).isEmpty();
    }

    @Test
    @DisplayName("writes a results file that says broken, not skipped, when dyno.skips = fail failed the test")
    void resultsSayBrokenWhenFailed() throws IOException {
        run("busy", DynoConfiguration.SKIPS_PROPERTY, "fail");

        assertThat(only(resultFiles()).get("status").asText()).isEqualTo("broken");
    }

    private static JsonNode only(List<JsonNode> files) {
        assertThat(files).hasSize(1);
        return files.get(0);
    }

    private List<JsonNode> resultFiles() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(results)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().map(f -> {
                try {
                    return mapper.readTree(f.toFile());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    static class AssumingTestCase {
        static final AtomicInteger reasonsAsked = new AtomicInteger();

        @PerfTest(thresholds = "work.done >= 1")
        void busy(Recorder recorder) {
            DynoAssumptions.assumeThat(false, () -> REASON);
            recorder.increment("work.done");
        }

        @PerfTest
        void aborts() {
            DynoAssumptions.abort("no GPU here");
        }

        @PerfTest
        void quiet(Recorder recorder) {
            DynoAssumptions.assumeThat(true, () -> {
                reasonsAsked.incrementAndGet();
                return "never";
            });
            recorder.increment("work.done");
        }
    }
}
