package dev.dyno.assertions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("Thresholds")
class ThresholdTests {

    private static final String ATTRIBUTE = "@PerfTest(thresholds)";
    private MetricsSnapshot snapshot;

    @BeforeEach
    void record() {
        Recorder recorder = Recorder.create();
        for (int ms = 1; ms <= 100; ms++) {
            recorder.record("schedule.total", Duration.ofMillis(ms));
        }
        recorder.counter("locks.acquired").add(20);
        recorder.gauge("cpu.cores").set(1.5);
        recorder.distribution("per.worker").add("w1", 4);
        recorder.distribution("per.worker").add("w2", 6);
        snapshot = recorder.snapshot();
    }

    @ParameterizedTest(name = "\"{0}\" is {1}")
    @CsvSource(delimiter = '|', value = {
            "schedule.total max < 2s         | true",
            "schedule.total max<100ms        | false",
            "schedule.total p99 <= 100ms     | true",
            "schedule.total p(50) < 40ms     | false",
            "schedule.total p99.9 <= 101ms   | true",
            "schedule.total mean > 40ms      | true",
            "schedule.total count == 100     | true",
            "locks.acquired <= 25            | true",
            "locks.acquired count < 20       | false",
            "cpu.cores max >= 1.5            | true",
            "cpu.cores < 150%                | false",
            "per.worker spread <= 20%        | true",
            "per.worker keys == 2            | true",
            "per.worker total != 10          | false"})
    @DisplayName("evaluate against recorded metrics")
    void evaluates(String expression, boolean passes) {
        assertThat(Threshold.parse(ATTRIBUTE, expression).evaluate(snapshot).passed()).isEqualTo(passes);
    }

    @Test
    @DisplayName("report the actual value in a readable unit")
    void actualText() {
        var result = Threshold.parse(ATTRIBUTE, "schedule.total max < 50ms").evaluate(snapshot);
        assertThat(result.line()).isEqualTo("✗ schedule.total max < 50ms (actual 100ms)");
    }

    @ParameterizedTest(name = "\"{0}\" fails")
    @CsvSource(delimiter = '|', value = {
            "idle p99 < 1ns            | idle",
            "idle max < 1h             | idle",
            "idle mean >= 0ns          | idle",
            "unset max <= 1000         | unset",
            "unset < 5                 | unset",
            "unset min > -1            | unset",
            "empty.series max < 10     | empty.series",
            "empty.series < 10         | empty.series",
            "empty.dist spread < 50%   | empty.dist",
            "empty.dist max >= 0       | empty.dist"})
    @DisplayName("fail a statistic of a metric that holds no values, instead of passing it")
    void noValuesIsNotAPass(String expression, String metric) {
        Recorder recorder = Recorder.create();
        recorder.timer("idle");
        recorder.gauge("unset");
        recorder.series("empty.series");
        recorder.distribution("empty.dist");

        var result = Threshold.parse(ATTRIBUTE, expression).evaluate(recorder.snapshot());

        assertThat(result.state()).isEqualTo(Threshold.State.NO_VALUES);
        assertThat(result.passed()).isFalse();
        assertThat(result.line()).isEqualTo("✗ " + expression + " (no values recorded for '" + metric + "')");
    }

    @ParameterizedTest(name = "\"{0}\" holds")
    @CsvSource({"idle count == 0", "zero == 0", "empty.series count == 0", "empty.dist total == 0",
            "empty.dist keys == 0"})
    @DisplayName("take a count of nothing as a count of zero: no values is a measurement there")
    void countsOfNothingAreZero(String expression) {
        Recorder recorder = Recorder.create();
        recorder.timer("idle");
        recorder.counter("zero");
        recorder.series("empty.series");
        recorder.distribution("empty.dist");

        assertThat(Threshold.parse(ATTRIBUTE, expression).evaluate(recorder.snapshot()).state())
                .isEqualTo(Threshold.State.PASSED);
    }

    @ParameterizedTest(name = "\"{0}\"")
    @CsvSource(delimiter = '|', value = {
            "schedule.total max < 2 secs | is not a threshold",
            "schedule.total max < 2secs  | neither a duration",
            "schedule.total max < -2s    | neither a duration",
            "schedule.total p999x < 2s   | unknown statistic \"p999x\"",
            "schedule.total p95 < 200    | needs a duration with a unit",
            "schedule.total max ~ 2s     | is not a threshold",
            "heap.used < 64 MB           | is not a threshold",
            "heap.used < 64mb            | nor a size in bytes (\"512B\", \"64KB\""})
    @DisplayName("reject malformed expressions before the test runs, naming the attribute and value")
    void rejectsMalformed(String expression, String why) {
        assertThatThrownBy(() -> Threshold.parse(ATTRIBUTE, expression))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith(ATTRIBUTE + " value \"" + expression + "\"")
                .hasMessageContaining(why);
    }

    @ParameterizedTest(name = "\"{0}\" compares with {1} bytes")
    @CsvSource({"heap.used < 512B, 512", "heap.used < 64KB, 65536", "heap.used < 1.5MB, 1572864",
            "heap.used < 2GB, 2147483648", "heap.used < 64KiB, 65536", "heap.used < 1MiB, 1048576",
            "heap.used < 1GiB, 1073741824"})
    @DisplayName("read sizes in bytes, KB, MB and GB being powers of 1024")
    void bytes(String expression, double bytes) {
        assertThat(Threshold.parse(ATTRIBUTE, expression).value()).isEqualTo(bytes);
    }

    @Test
    @DisplayName("compare a counter of bytes with a size on either side of it")
    void bytesAgainstCounter() {
        Recorder recorder = Recorder.create();
        recorder.counter("allocated").add(64L * 1024 * 1024);

        assertThat(Threshold.parse(ATTRIBUTE, "allocated <= 64MB").evaluate(recorder.snapshot()).state())
                .isEqualTo(Threshold.State.PASSED);
        assertThat(Threshold.parse(ATTRIBUTE, "allocated < 64MB").evaluate(recorder.snapshot()).state())
                .isEqualTo(Threshold.State.BREACHED);
        // shown as a size, as the threshold was written, with the exact count it compared
        assertThat(Threshold.parse(ATTRIBUTE, "allocated < 64MB").evaluate(recorder.snapshot()).line())
                .isEqualTo("✗ allocated < 64MB (actual 64.0 MB = 67108864 B)");
        assertThat(Threshold.size(6828)).isEqualTo("6.7 KB = 6828 B");
        assertThat(Threshold.size(512)).isEqualTo("512 B");
        assertThatThrownBy(() -> Threshold.parse(ATTRIBUTE, "schedule.total max < 1KB").evaluate(snapshot))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("compares a duration with a plain number");
    }

    @Test
    @DisplayName("name the metrics that exist when a threshold names one that does not")
    void unknownMetric() {
        assertThatThrownBy(() -> Threshold.parse(ATTRIBUTE, "lock.acquired <= 25").evaluate(snapshot))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("metric 'lock.acquired', which the test never recorded")
                .hasMessageContaining("locks.acquired");
    }

    @Test
    @DisplayName("refuse a statistic that does not fit the metric's kind, or a unit that does not fit the statistic")
    void unfitStatistic() {
        assertThatThrownBy(() -> Threshold.parse(ATTRIBUTE, "locks.acquired max <= 25").evaluate(snapshot))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("does not apply to counter 'locks.acquired'");
        assertThatThrownBy(() -> Threshold.parse(ATTRIBUTE, "schedule.total max < 2").evaluate(snapshot))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("give the value a unit");
        assertThatThrownBy(() -> Threshold.parse(ATTRIBUTE, "schedule.total < 2s").evaluate(snapshot))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("needs a statistic for timer 'schedule.total'");
    }
}
