package dev.dyno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

@DisplayName("@PerfTest")
class PerfTestExtensionTests {

    @TempDir
    Path results;

    private EngineExecutionResults run(Class<?> testCase, String... configuration) {
        var request = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString());
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            request.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return request.execute();
    }

    private List<JsonNode> resultFiles() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        try (Stream<Path> files = Files.list(results)) {
            return files.sorted().map(f -> {
                try {
                    return mapper.readTree(f.toFile());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }).toList();
        }
    }

    @Test
    @DisplayName("injects a recorder and passes when every threshold holds, writing a results file")
    void passingThresholds() throws IOException {
        run(PassingTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JsonNode result = resultFiles().get(0);
        assertThat(result.get("schema").asText()).isEqualTo("dyno-result/2");
        assertThat(result.get("status").asText()).isEqualTo("passed");
        assertThat(result.get("method").asText()).isEqualTo("schedules");
        assertThat(result.at("/metrics/counters/locks.acquired").asLong()).isEqualTo(20);
        assertThat(result.at("/metrics/timers/schedule.total/count").asLong()).isEqualTo(1);
        assertThat(result.at("/metrics/timers/schedule.total/unit").asText()).isEqualTo("ns");
        assertThat(result.at("/metrics/timers/schedule.total/p99").isIntegralNumber()).isTrue();
        assertThat(result.at("/metrics/timers/schedule.total/p99").asLong()).isBetween(9_000_000L, 12_000_000L);
        assertThat(result.at("/thresholds/0/passed").asBoolean()).isTrue();
        assertThat(result.at("/environment/cpu.count").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(result.at("/parameters/workers").asText()).isEqualTo("20");
    }

    @Test
    @DisplayName("fails listing every breached threshold with actual and expected, and still writes the results")
    void failingThresholds() throws IOException {
        run(BreachingTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("breaches"),
                finishedWithFailure(instanceOf(AssertionFailedError.class), message("""
                        2 of 3 thresholds breached:
                          ✗ locks.acquired <= 25 (actual 100)
                          ✗ cache.hit >= 95 (actual 1)"""))));
        JsonNode result = resultFiles().get(0);
        assertThat(result.get("status").asText()).isEqualTo("failed");
        assertThat(result.get("failure").asText()).startsWith("2 of 3 thresholds breached");
        assertThat(result.at("/thresholds/1/passed").asBoolean()).isFalse();
    }

    @Test
    @DisplayName("rejects a malformed threshold before the method runs, naming attribute and value")
    void malformedThreshold() {
        MalformedTestCase.ran.set(false);
        run(MalformedTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("malformed"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@PerfTest(thresholds) value \"schedule.total max < 2 secs\"")))));
        assertThat(MalformedTestCase.ran).isFalse();
    }

    @Test
    @DisplayName("reports a threshold on a metric the test never recorded as a configuration error")
    void unknownMetric() {
        run(UnknownMetricTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("unknown"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.contains("'lock.acquired'") && m.contains("[locks.acquired]")))));
    }

    @Test
    @DisplayName("writes times as whole nanoseconds, so a sub-microsecond p99 is not rounded to 0")
    void fullPrecision() throws IOException {
        run(NanosecondsTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JsonNode timer = resultFiles().get(0).at("/metrics/timers/tiny");
        assertThat(timer.get("unit").asText()).isEqualTo("ns");
        assertThat(timer.get("p99").isIntegralNumber()).isTrue();
        assertThat(timer.get("p99").asLong()).isBetween(169L, 171L); // HdrHistogram's 3 significant digits
        assertThat(timer.get("min").asLong()).isBetween(169L, 171L);
        JsonNode phase = resultFiles().get(0).at("/metrics/phases/0");
        assertThat(phase.get("durationNanos").isIntegralNumber()).isTrue();
        assertThat(resultFiles().get(0).get("durationNanos").asLong()).isPositive();
    }

    @Test
    @DisplayName("fails a threshold on a timer that recorded nothing, saying so, instead of passing it")
    void noValuesFails() throws IOException {
        run(NoValuesTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("idle"),
                finishedWithFailure(instanceOf(AssertionFailedError.class), message("""
                        1 of 2 thresholds breached:
                          ✗ rpc p99 < 1ns (no values recorded for 'rpc')"""))));
        JsonNode threshold = resultFiles().get(0).at("/thresholds/0");
        assertThat(threshold.get("state").asText()).isEqualTo("no_values");
        assertThat(threshold.get("actual").isNull()).isTrue();
        assertThat(threshold.get("reason").asText()).isEqualTo("no values recorded for 'rpc'");
        assertThat(resultFiles().get(0).at("/thresholds/1/state").asText()).isEqualTo("passed");
    }

    @Test
    @DisplayName("keeps a misconfigured threshold in the results, with its reason")
    void misconfiguredIsListed() throws IOException {
        run(UnknownMetricTestCase.class);
        JsonNode threshold = resultFiles().get(0).at("/thresholds/0");
        assertThat(threshold.get("expression").asText()).isEqualTo("lock.acquired <= 25");
        assertThat(threshold.get("state").asText()).isEqualTo("misconfigured");
        assertThat(threshold.get("reason").asText()).contains("'lock.acquired'", "[locks.acquired]");
    }

    @Test
    @DisplayName("keeps the test's own failure and records it in the results file")
    void ownFailure() throws IOException {
        run(OwnFailureTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("throwsIt"),
                finishedWithFailure(instanceOf(IllegalStateException.class), message("workload crashed"))));
        assertThat(resultFiles().get(0).get("status").asText()).isEqualTo("broken");
        assertThat(resultFiles().get(0).get("failure").asText()).isEqualTo("workload crashed");
    }

    @Test
    @DisplayName("works as a meta-annotation on an annotation of your own")
    void metaAnnotation() throws IOException {
        run(MetaAnnotatedTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(resultFiles()).hasSize(1);
    }

    @Test
    @DisplayName("keeps each test's metrics apart when tests run in parallel")
    void parallelExecution() throws IOException {
        run(ParallelTestCase.class,
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.mode.default", "concurrent",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "4")
                .testEvents().assertStatistics(s -> s.started(8).succeeded(8));
        List<JsonNode> files = resultFiles();
        assertThat(files).hasSize(8);
        for (JsonNode file : files) {
            long n = file.at("/parameters/n").asLong();
            assertThat(file.at("/metrics/counters/work").asLong()).isEqualTo(n * 10_000);
            assertThat(file.at("/metrics/timers/step/count").asLong()).isEqualTo(n * 10_000);
        }
    }

    static class PassingTestCase {
        @PerfTest(thresholds = {"schedule.total max < 2s", "locks.acquired <= 25"})
        void schedules(Recorder recorder) {
            recorder.attribute("workers", "20");
            recorder.record("schedule.total", Duration.ofMillis(10));
            recorder.counter("locks.acquired").add(20);
        }
    }

    static class BreachingTestCase {
        @PerfTest(thresholds = {"schedule.total max < 2s", "locks.acquired <= 25", "cache.hit >= 95"})
        void breaches(Recorder recorder) {
            recorder.record("schedule.total", Duration.ofMillis(10));
            recorder.counter("locks.acquired").add(100);
            recorder.increment("cache.hit");
        }
    }

    static class MalformedTestCase {
        static final AtomicBoolean ran = new AtomicBoolean();

        @PerfTest(thresholds = "schedule.total max < 2 secs")
        void malformed(Recorder recorder) {
            ran.set(true);
        }
    }

    static class UnknownMetricTestCase {
        @PerfTest(thresholds = "lock.acquired <= 25")
        void unknown(Recorder recorder) {
            recorder.counter("locks.acquired").add(20);
        }
    }

    static class NanosecondsTestCase {
        @PerfTest(thresholds = "tiny p99 < 1us")
        void tiny(Recorder recorder) {
            try (var phase = recorder.phase("record")) {
                recorder.timer("tiny").recordNanos(170);
            }
        }
    }

    static class NoValuesTestCase {
        @PerfTest(thresholds = {"rpc p99 < 1ns", "rpc count == 0"})
        void idle(Recorder recorder) {
            recorder.timer("rpc");
        }
    }

    static class OwnFailureTestCase {
        @PerfTest(thresholds = "locks.acquired <= 25")
        void throwsIt(Recorder recorder) {
            recorder.counter("locks.acquired").add(100);
            throw new IllegalStateException("workload crashed");
        }
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @PerfTest(thresholds = "requests count >= 3")
    @Tag("nightly")
    @interface NightlyPerf {
    }

    static class MetaAnnotatedTestCase {
        @NightlyPerf
        void nightly(Recorder recorder) {
            for (int i = 0; i < 3; i++) {
                recorder.record("requests", Duration.ofMillis(1));
            }
        }
    }

    @Execution(ExecutionMode.CONCURRENT)
    static class ParallelTestCase {
        @PerfTest(thresholds = "work >= 10000")
        void one(Recorder r) {
            work(r, 1);
        }

        @PerfTest
        void two(Recorder r) {
            work(r, 2);
        }

        @PerfTest
        void three(Recorder r) {
            work(r, 3);
        }

        @PerfTest
        void four(Recorder r) {
            work(r, 4);
        }

        @PerfTest
        void five(Recorder r) {
            work(r, 5);
        }

        @PerfTest
        void six(Recorder r) {
            work(r, 6);
        }

        @PerfTest
        void seven(Recorder r) {
            work(r, 7);
        }

        @PerfTest
        void eight(Recorder r) {
            work(r, 8);
        }

        private static void work(Recorder recorder, int n) {
            recorder.attribute("n", Integer.toString(n));
            for (int i = 0; i < n * 10_000; i++) {
                recorder.increment("work");
                recorder.timer("step").recordNanos(i + 1);
            }
        }
    }
}
