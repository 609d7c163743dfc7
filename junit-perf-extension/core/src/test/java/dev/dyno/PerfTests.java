package dev.dyno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.metrics.Recorder;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

@DisplayName("@Perf")
class PerfTests {

    @TempDir
    Path results;

    private EngineExecutionResults run(Class<?> testCase) {
        return PerfEngine.run(testCase, results);
    }

    /** Each results file by its name. */
    private Map<String, JsonNode> resultFiles() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(results)) {
            return files.filter(f -> f.toString().endsWith(".json") && !f.endsWith("skipped.json"))
                    .collect(Collectors.toMap(f -> f.getFileName().toString(), f -> {
                        try {
                            return mapper.readTree(f.toFile());
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }));
        }
    }

    @Test
    @DisplayName("makes each invocation of a @ParameterizedTest a perf test with its own recorder and results file")
    void parameterized() throws IOException {
        run(ParameterizedTestCase.class).testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        Map<String, JsonNode> files = resultFiles();
        assertThat(files.keySet()).hasSize(3).allMatch(name -> name.matches("PerfTests_ParameterizedTestCase\\.work-[123]-[0-9a-f]{8}\\.json"));
        for (JsonNode file : files.values()) {
            long n = file.at("/parameters/n").asLong();
            assertThat(n).isIn(10L, 20L, 30L);
            // the invocation's own work only: accumulated across invocations, 20 would read 30 and 30 would read 60
            assertThat(file.at("/metrics/counters/work").asLong()).isEqualTo(n);
            assertThat(file.at("/metrics/timers/step/count").asLong()).isEqualTo(n);
            assertThat(file.get("displayName").asText()).isEqualTo("[" + n / 10 + "] n=" + n);
            assertThat(file.get("testId").asText()).endsWith("[test-template-invocation:#" + n / 10 + "]");
            assertThat(file.get("status").asText()).isEqualTo("passed");
        }
    }

    @Test
    @DisplayName("fails only the invocation that breached a threshold")
    void breachFailsOneInvocation() throws IOException {
        var events = run(BreachingTestCase.class).testEvents();
        events.assertStatistics(s -> s.started(3).succeeded(2).failed(1));
        events.assertThatEvents()
                .haveExactly(1, event(test(), displayName("[3] n=30"), finishedWithFailure(
                        instanceOf(AssertionFailedError.class), message("""
                                1 of 1 thresholds breached:
                                  ✗ work <= 20 (actual 30)"""))))
                .haveExactly(1, event(test(), displayName("[1] n=10"), finishedSuccessfully()))
                .haveExactly(1, event(test(), displayName("[2] n=20"), finishedSuccessfully()));
        assertThat(resultFiles().values()).extracting(f -> f.get("displayName").asText() + " " + f.get("status").asText())
                .containsExactlyInAnyOrder("[1] n=10 passed", "[2] n=20 passed", "[3] n=30 failed");
    }

    @Test
    @DisplayName("makes each repetition of a @RepeatedTest a perf test, beside RepetitionInfo")
    void repeated() throws IOException {
        run(RepeatedTestCase.class).testEvents().assertStatistics(s -> s.started(3).succeeded(3));
        Map<String, JsonNode> files = resultFiles();
        assertThat(files).hasSize(3);
        assertThat(files.values()).extracting(f -> f.at("/metrics/counters/repetition").asLong())
                .containsExactlyInAnyOrder(1L, 2L, 3L);
        assertThat(files.values()).extracting(f -> f.get("displayName").asText())
                .containsExactlyInAnyOrder("repetition 1 of 3", "repetition 2 of 3", "repetition 3 of 3");
    }

    @Test
    @DisplayName("works beside a plain @Test, with its thresholds checked")
    void plainTest() throws IOException {
        run(PlainTestCase.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("passes"), finishedSuccessfully()))
                .haveExactly(1, event(test("breaches"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("✗ work <= 5 (actual 10)")))));
        assertThat(resultFiles().keySet()).hasSize(2)
                .anyMatch(name -> name.matches("PerfTests_PlainTestCase\\.passes-[0-9a-f]{8}\\.json"));
    }

    @Test
    @DisplayName("is found on an annotation of your own, and checks the thresholds of a @PerfTest beside it")
    void composed() throws IOException {
        var events = run(ComposedTestCase.class).testEvents();
        events.assertThatEvents()
                .haveExactly(2, event(test(), finishedSuccessfully()))
                .haveExactly(1, event(test(), displayName("[3] n=30"), finishedWithFailure(message(m ->
                        m.contains("✗ work <= 20 (actual 30)")))))
                .haveExactly(1, event(test("both"), finishedWithFailure(message("""
                        2 of 2 thresholds breached:
                          ✗ work <= 1 (actual 10)
                          ✗ work <= 2 (actual 10)"""))));
    }

    @Test
    @DisplayName("rejects a @TestFactory, whose dynamic tests it could not measure, before it runs")
    void testFactoryRejected() {
        FactoryTestCase.ran = false;
        run(FactoryTestCase.class).allEvents().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.startsWith("@Perf on @TestFactory method factory cannot measure its dynamic tests")))));
        assertThat(FactoryTestCase.ran).isFalse();
    }

    static class ParameterizedTestCase {
        @ParameterizedTest(name = "[{index}] n={0}")
        @ValueSource(ints = {10, 20, 30})
        @Perf(thresholds = "work >= 10")
        void work(int n, Recorder recorder) {
            recorder.attribute("n", Integer.toString(n));
            for (int i = 0; i < n; i++) {
                recorder.increment("work");
                recorder.timer("step").recordNanos(1_000);
            }
        }
    }

    static class BreachingTestCase {
        @ParameterizedTest(name = "[{index}] n={0}")
        @ValueSource(ints = {10, 20, 30})
        @Perf(thresholds = "work <= 20")
        void work(int n, Recorder recorder) {
            recorder.attribute("n", Integer.toString(n));
            recorder.counter("work").add(n);
        }
    }

    static class RepeatedTestCase {
        @RepeatedTest(3)
        @Perf(thresholds = "repetition >= 1")
        void repeats(RepetitionInfo repetition, Recorder recorder) {
            recorder.counter("repetition").add(repetition.getCurrentRepetition());
        }
    }

    static class PlainTestCase {
        @Test
        @Perf(thresholds = "work <= 20")
        void passes(Recorder recorder) {
            recorder.counter("work").add(10);
        }

        @Test
        @Perf(thresholds = "work <= 5")
        void breaches(Recorder recorder) {
            recorder.counter("work").add(10);
        }
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Perf(thresholds = "work <= 20")
    @interface AtMostTwenty {
    }

    static class ComposedTestCase {
        @ParameterizedTest(name = "[{index}] n={0}")
        @ValueSource(ints = {10, 20, 30})
        @AtMostTwenty
        void work(int n, Recorder recorder) {
            recorder.counter("work").add(n);
        }

        @PerfTest(thresholds = "work <= 1")
        @Perf(thresholds = "work <= 2")
        void both(Recorder recorder) {
            recorder.counter("work").add(10);
        }
    }

    static class FactoryTestCase {
        static volatile boolean ran;

        @TestFactory
        @Perf
        List<DynamicTest> factory() {
            ran = true;
            return List.of(DynamicTest.dynamicTest("one", () -> { }));
        }
    }
}
