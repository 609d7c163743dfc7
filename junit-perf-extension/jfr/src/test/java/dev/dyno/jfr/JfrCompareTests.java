package dev.dyno.jfr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Phase;
import dev.dyno.metrics.Recorder;
import dev.dyno.stats.Comparison;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;

@DisplayName("@JfrRecording(compare): where the time went, old against new")
class JfrCompareTests {

    @TempDir
    Path results;

    private EngineExecutionResults run(Class<?> testCase, String... configuration) {
        return JfrRecordingTests.run(results, testCase, configuration);
    }

    private JsonNode result() throws IOException {
        return JfrRecordingTests.result(results);
    }

    private static JsonNode table(JsonNode result, String titleStart) {
        JsonNode tables = result.get("tables");
        for (int i = 0; tables != null && i < tables.size(); i++) {
            if (tables.get(i).get("title").asText().startsWith(titleStart)) {
                return tables.get(i);
            }
        }
        return null;
    }

    /** Samples come from async-profiler here, else from JFR, which on some JVMs and kernels takes none. */
    private static void assumeSamples() throws IOException {
        if (AsyncProfilerSession.unavailable() != null) {
            JfrRecordingTests.assumeJfrSamplesThreads();
        }
    }

    static volatile double sink;

    private static double points(String change) {
        return Double.parseDouble(change.replace(" pp", "").replace(" %", ""));
    }

    static void burnA(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        double x = 0;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x += Math.sqrt(x + 1);
            }
        }
        sink = x;
    }

    static void burnB(long millis) {
        long end = System.nanoTime() + millis * 1_000_000;
        double x = 1;
        while (System.nanoTime() < end) {
            for (int i = 0; i < 10_000; i++) {
                x += Math.sqrt(x + 2);
            }
        }
        sink = x;
    }

    /**
     * The samples are of the whole JVM: compiling burnA and burnB in the method would put the JIT's
     * threads among the frames that changed most.
     */
    static void warmUp() {
        for (int i = 0; i < 5; i++) {
            burnA(20);
            burnB(20);
        }
    }

    @EnabledIf(JfrRecordingTests.FIXTURES_RUN)
    static class PhasesTestCase {
        @org.junit.jupiter.api.BeforeEach
        void warm() {
            warmUp();
        }

        @PerfTest
        @JfrRecording(compare = {"a: *", "b: *"})
        void burns(Recorder recorder) {
            try (Phase a = recorder.phase("a: burn")) {
                burnA(300);
            }
            try (Phase b = recorder.phase("b: burn")) {
                burnB(300);
            }
        }
    }

    @EnabledIf(JfrRecordingTests.FIXTURES_RUN)
    static class ComparisonTestCase {
        @org.junit.jupiter.api.BeforeEach
        void warm() {
            warmUp();
        }

        @PerfTest
        @JfrRecording
        void compares(Recorder recorder) {
            Comparison.timing("A", () -> burnA(40), "B", () -> burnB(40))
                    .repetitions(4).warmup(1).recordInto(recorder, "burn").run();
        }
    }

    @EnabledIf(JfrRecordingTests.FIXTURES_RUN)
    static class EmptySideTestCase {
        @PerfTest
        @JfrRecording(compare = {"a: *", "b: *"})
        void oneSideIdle(Recorder recorder) {
            try (Phase a = recorder.phase("a: burn")) {
                burnA(200);
            }
            try (Phase b = recorder.phase("b: nothing")) {
                // no time, so no sample
            }
        }
    }

    @EnabledIf(JfrRecordingTests.FIXTURES_RUN)
    static class UnmatchedTestCase {
        @PerfTest
        @JfrRecording(compare = {"a: *", "typo: *"})
        void recordsA(Recorder recorder) {
            try (Phase a = recorder.phase("a: burn")) {
                burnA(10);
            }
        }
    }

    @EnabledIf(JfrRecordingTests.FIXTURES_RUN)
    static class OnePatternTestCase {
        static final AtomicBoolean ran = new AtomicBoolean();

        @PerfTest
        @JfrRecording(compare = "old: *")
        void oneSide(Recorder recorder) {
            ran.set(true);
        }
    }

    @Test
    @DisplayName("puts each sample in the side whose phase held it: B grew, A shrank, and each side has its flame graph")
    void phases() throws IOException {
        assumeSamples();
        run(PhasesTestCase.class, DynoConfiguration.JFR_FLAMEGRAPHS_PROPERTY, "always")
                .testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JsonNode result = result();
        JsonNode table = table(result, JfrMetrics.WHERE_THE_TIME_WENT);
        assertThat(table).as("table, with %s", result.at("/parameters/jfr.compare")).isNotNull();
        assertThat(table.get("title").asText()).isEqualTo("JFR: where the time went, a: * → b: *");
        JsonNode rows = table.get("rows");
        assertThat(rows.get(0).get(0).asText()).isEqualTo(JfrCompareTests.class.getName() + ".burnB");
        // the whole JVM is sampled: on a busy machine the JIT and others take a share of either side
        assertThat(points(rows.get(0).get(3).asText())).as("burnB's growth").isGreaterThan(25);
        assertThat(points(rows.get(0).get(1).asText())).as("burnB's share of the baseline").isLessThan(5);
        assertThat(rows).filteredOn(row -> row.get(0).asText().equals(JfrCompareTests.class.getName() + ".burnA"))
                .singleElement().satisfies(row -> {
                    assertThat(points(row.get(3).asText())).isLessThan(-25);
                    assertThat(points(row.get(2).asText())).as("burnA's share of the variant").isLessThan(5);
                });
        assertThat(rows.size()).isLessThanOrEqualTo(Differential.TOP);
        assertThat(Stream.iterate(0, i -> i < rows.size(), i -> i + 1).map(i -> rows.get(i).get(3).asText()))
                .as("grown first").isSortedAccordingTo((x, y) -> Double.compare(points(y), points(x)));
        assertThat(result.at("/parameters/jfr.compare").asText())
                .matches("baseline a: \\*: 1 window, \\d+ ms, \\d+ CPU samples; variant b: \\*: 1 window, .*");
        Path jfr = results.resolve("jfr");
        try (Stream<Path> files = Files.list(jfr)) {
            List<Path> html = files.filter(f -> f.toString().endsWith(".html")).sorted().toList();
            assertThat(html).filteredOn(f -> f.toString().endsWith(".cpu.baseline.html")).singleElement()
                    .satisfies(f -> assertThat(Files.readString(f)).contains("burnA").doesNotContain("burnB"));
            assertThat(html).filteredOn(f -> f.toString().endsWith(".cpu.variant.html")).singleElement()
                    .satisfies(f -> assertThat(Files.readString(f)).contains("burnB").doesNotContain("burnA"));
        }
    }

    @Test
    @DisplayName("compares a Comparison's baseline trials with its variant trials when compare is not set")
    void comparison() throws IOException {
        assumeSamples();
        run(ComparisonTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JsonNode result = result();
        JsonNode table = table(result, JfrMetrics.WHERE_THE_TIME_WENT);
        assertThat(table).as("table, with %s", result.at("/parameters/jfr.compare")).isNotNull();
        assertThat(table.get("title").asText()).isEqualTo("JFR: where the time went, burn: A → burn: B");
        JsonNode rows = table.get("rows");
        assertThat(rows.get(0).get(0).asText()).isEqualTo(JfrCompareTests.class.getName() + ".burnB");
        assertThat(rows).extracting(row -> row.get(0).asText()).contains(JfrCompareTests.class.getName() + ".burnA");
        // 4 rounds, and one more for each that competing work disturbed
        assertThat(result.at("/parameters/jfr.compare").asText())
                .matches("baseline burn: A: \\d+ windows, .*; variant burn: B: \\d+ windows, .*, from .*");
    }

    @Test
    @DisplayName("says so, and makes no table, when a side has no samples")
    void emptySide() throws IOException {
        run(EmptySideTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JsonNode result = result();
        assertThat(table(result, JfrMetrics.WHERE_THE_TIME_WENT)).isNull();
        assertThat(result.at("/parameters/jfr.compare").asText()).contains("variant b: *: 1 window, 0 ms, 0 CPU samples")
                .endsWith(": a side without samples, nothing to compare");
    }

    @Test
    @DisplayName("fails the test when a compare name matches no phase or step, naming those recorded")
    void unmatched() {
        run(UnmatchedTestCase.class).testEvents().assertThatEvents().haveExactly(1,
                event(test("recordsA"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message("@JfrRecording(compare) value \"typo: *\" matches no phase or step of the method;"
                                + " allowed: a name (* for any text) of those it recorded: \"a: burn\""))));
    }

    @Test
    @DisplayName("refuses one compare name before the method runs")
    void onePattern() {
        OnePatternTestCase.ran.set(false);
        run(OnePatternTestCase.class).testEvents().assertThatEvents().haveExactly(1,
                event(test("oneSide"), finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@JfrRecording(compare) value {\"old: *\"} does not name two sides;"
                                + " allowed: none")))));
        assertThat(OnePatternTestCase.ran).isFalse();
    }
}
