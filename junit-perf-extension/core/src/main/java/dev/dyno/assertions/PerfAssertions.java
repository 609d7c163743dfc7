package dev.dyno.assertions;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.Counter;
import dev.dyno.metrics.Distribution;
import dev.dyno.metrics.DistributionSnapshot;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Timer;
import dev.dyno.metrics.TimerSnapshot;
import org.apiguardian.api.API;

/**
 * Entry point for assertions on Dyno's metrics, in the style of AssertJ.
 *
 * <pre>{@code
 * import static dev.dyno.assertions.PerfAssertions.assertThat;
 *
 * assertThat(recorder.timer("schedule.total")).percentile(99).isLessThan(Duration.ofSeconds(2));
 * assertThat(recorder.counter("locks.acquired")).isCloseTo(20, 2);
 * assertThat(recorder.distribution("containers.per.worker")).usesAllKeys().isBalancedWithin(0.5);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class PerfAssertions {

    private PerfAssertions() {
    }

    public static TimerAssert assertThat(Timer timer) {
        return new TimerAssert(timer.snapshot());
    }

    public static TimerAssert assertThat(TimerSnapshot timer) {
        return new TimerAssert(timer);
    }

    public static CounterAssert assertThat(Counter counter) {
        return new CounterAssert(counter.name(), counter.count());
    }

    public static DistributionAssert assertThat(Distribution distribution) {
        return new DistributionAssert(distribution.snapshot());
    }

    public static DistributionAssert assertThat(DistributionSnapshot distribution) {
        return new DistributionAssert(distribution);
    }

    public static MetricsAssert assertThat(MetricsSnapshot metrics) {
        return new MetricsAssert(metrics);
    }

    public static MetricsAssert assertThat(Recorder recorder) {
        return new MetricsAssert(recorder.snapshot());
    }

    /** Assertions on a same-run comparison; see {@link dev.dyno.stats.ComparisonAssertions}. */
    public static dev.dyno.stats.ComparisonAssert assertThat(dev.dyno.stats.ComparisonResult comparison) {
        return dev.dyno.stats.ComparisonAssertions.assertThat(comparison);
    }
}
