package dev.dyno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.platform.testkit.engine.EventConditions.container;
import static org.junit.platform.testkit.engine.EventConditions.displayName;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.GrowthCurvePoints.Point;
import dev.dyno.metrics.Recorder;
import dev.dyno.report.TestOutcome;
import dev.dyno.spi.PerfContext;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.opentest4j.AssertionFailedError;

@DisplayName("@GrowthCurve")
class GrowthCurveTests {

    @TempDir
    Path results;

    private EngineExecutionResults run(Class<?> testCase) {
        return PerfEngine.run(testCase, results);
    }

    private JsonNode growthFile() throws IOException {
        try (Stream<Path> files = Files.list(results.resolve("growth"))) {
            Path json = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
            return new ObjectMapper().readTree(json.toFile());
        }
    }

    @Test
    @DisplayName("fits the slope of linear work as 1, writes the curve, and charts every size in the last invocation")
    void linearWork() throws IOException {
        CapturedOutcomes.ALL.clear();
        run(LinearTestCase.class).allEvents().assertStatistics(s -> s.failed(0))
                .assertThatEvents().haveExactly(3, event(test(), finishedSuccessfully()));

        JsonNode growth = growthFile();
        assertThat(growth.get("schema").asText()).isEqualTo("dyno-growth/1");
        assertThat(growth.get("status").asText()).isEqualTo("passed");
        assertThat(growth.get("slope").asDouble()).isCloseTo(1.0, within(0.01)); // HdrHistogram keeps 3 digits
        assertThat(growth.get("points")).extracting(p -> p.get("size").asLong()).containsExactly(1_000L, 10_000L, 100_000L);
        assertThat(growth.at("/points/2/p50Nanos").asLong()).isCloseTo(10_000_000L, within(10_000L));
        assertThat(growth.at("/points/2/invocation").asText()).isEqualTo("[3] n=100000");
        assertThat(Files.readString(results.resolve("growth").resolve(
                "GrowthCurveTests_LinearTestCase.work-" + String.format("%08x", growth.get("testId").asText().hashCode())
                        + ".csv")))
                .startsWith("size,invocation,count,p50_ns,p99_ns\n1000,\"[1] n=1000\",5,");

        // the first invocation has one point, nothing to chart; the last charts all three sizes
        assertThat(CapturedOutcomes.ALL.get("[1] n=1000").metrics().charts()).isEmpty();
        Chart last = CapturedOutcomes.ALL.get("[3] n=100000").metrics().charts().get(0);
        assertThat(last.x().scale()).isEqualTo(Axis.Scale.LOG);
        assertThat(last.y().scale()).isEqualTo(Axis.Scale.LOG);
        assertThat(last.series()).extracting(s -> s.name()).containsExactly("p50", "p99", "fit through p50, slope 1.00");
        assertThat(last.series().get(0).x()).containsExactly(1_000, 10_000, 100_000);
        assertThat(last.series().get(0).y()[2]).isCloseTo(10.0, within(0.01)); // ms
        assertThat(CapturedOutcomes.ALL.get("[3] n=100000").metrics().attachments())
                .anyMatch(a -> a.name().equals("work against n (sizes so far)"));
    }

    @Test
    @DisplayName("fails the parameterized test as a whole, not an invocation, when the slope is above maxSlope")
    void quadraticWorkFails() throws IOException {
        var events = run(QuadraticTestCase.class).allEvents();
        events.assertThatEvents()
                .haveExactly(3, event(test(), finishedSuccessfully()))
                .haveExactly(1, event(container(), displayName("work(int, Recorder)"), finishedWithFailure(
                        instanceOf(AssertionFailedError.class), message(m -> m.startsWith(
                                "work p50 grows with n at slope 2.00 on log-log (least squares over 3 sizes, 1000 to "
                                        + "100000), above @GrowthCurve(maxSlope) 1.50")))));
        assertThat(growthFile().get("status").asText()).isEqualTo("failed");
    }

    @Test
    @DisplayName("fails an invocation that records no size, naming the attribute")
    void missingSize() {
        run(NoSizeTestCase.class).testEvents().assertThatEvents().haveExactly(2, event(test(), finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(m -> m.startsWith(
                        "@GrowthCurve(size) value \"n\": ") && m.contains("recorded no attribute 'n'")))));
    }

    @Test
    @DisplayName("rejects a single @Test and bounds that allow no slope, before the method runs")
    void badConfiguration() {
        run(SingleTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("once"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@GrowthCurve on once needs invocations of several sizes")))));
        run(NoSlopeAllowedTestCase.class).testEvents().assertThatEvents().haveExactly(2, event(test(),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(
                        "@GrowthCurve(minSlope) value 1.5 and @GrowthCurve(maxSlope) value 1.2 allow no slope: minSlope "
                                + "must be below maxSlope, such as minSlope = 0.8, maxSlope = 1.5"))));
        assertThat(NoSlopeAllowedTestCase.ran).isZero();
    }

    @Test
    @DisplayName("gives n log n a slope of 1.11 between 1 000 and 100 000, as @GrowthCurve's Javadoc says")
    void nLogNSlope() {
        List<Point> points = IntStream.of(1_000, 10_000, 100_000)
                .mapToObj(n -> new Point("n=" + n, n, 1, Math.round(n * Math.log(n)), 0)).toList();
        assertThat(GrowthCurvePoints.slope(points)).isCloseTo(1.111, within(0.001));
        List<Point> endpoints = List.of(points.get(0), points.get(2));
        // the rounding of the nanoseconds moves the third decimal by less than 1e-5
        assertThat(GrowthCurvePoints.slope(endpoints)).isCloseTo(1 + Math.log(5.0 / 3) / Math.log(100), within(1e-5));
        assertThat(GrowthCurvePoints.slope(points.subList(0, 1))).isNaN();
    }

    /** Keeps each invocation's outcome, as the reporters receive it, by display name. */
    static class CapturedOutcomes implements BeforeEachCallback {
        static final Map<String, TestOutcome> ALL = new ConcurrentHashMap<>();

        @Override
        public void beforeEach(ExtensionContext context) {
            PerfContext.onOutcome(context, outcome -> ALL.put(outcome.displayName(), outcome));
        }
    }

    static class LinearTestCase {
        @ParameterizedTest(name = "[{index}] n={0}")
        @ValueSource(ints = {1_000, 10_000, 100_000})
        @GrowthCurve(metric = "work", size = "n", minSlope = 0.9, maxSlope = 1.1)
        @ExtendWith(CapturedOutcomes.class)
        void work(int n, Recorder recorder) {
            recorder.attribute("n", Integer.toString(n));
            for (int round = 0; round < 5; round++) {
                recorder.timer("work").recordNanos(100L * n);
            }
        }
    }

    static class QuadraticTestCase {
        @ParameterizedTest
        @ValueSource(ints = {1_000, 10_000, 100_000})
        @GrowthCurve(metric = "work", size = "n", maxSlope = 1.5)
        void work(int n, Recorder recorder) {
            recorder.attribute("n", Integer.toString(n));
            recorder.timer("work").recordNanos((long) n * n / 100);
        }
    }

    static class NoSizeTestCase {
        @ParameterizedTest
        @ValueSource(ints = {1_000, 10_000})
        @GrowthCurve(metric = "work", size = "n")
        void work(int n, Recorder recorder) {
            recorder.timer("work").recordNanos(n);
        }
    }

    static class SingleTestCase {
        @Test
        @GrowthCurve(metric = "work", size = "n")
        void once(Recorder recorder) {
        }
    }

    static class NoSlopeAllowedTestCase {
        static volatile int ran;

        @ParameterizedTest
        @ValueSource(ints = {1_000, 10_000})
        @GrowthCurve(metric = "work", size = "n", minSlope = 1.5, maxSlope = 1.2)
        void work(int n, Recorder recorder) {
            ran++;
        }
    }
}
