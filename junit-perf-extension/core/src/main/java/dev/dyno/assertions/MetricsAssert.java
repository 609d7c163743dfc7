package dev.dyno.assertions;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.MetricsSnapshot;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions that navigate a recorder's snapshot by metric name; a name that was never recorded
 * fails with the list of names that were.
 *
 * <pre>{@code
 * assertThat(recorder).timer("schedule.total").max().isLessThan(Duration.ofSeconds(2));
 * assertThat(recorder).ratio("cache.hit", "cache.miss").isGreaterThan(0.95);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class MetricsAssert extends AbstractAssert<MetricsAssert, MetricsSnapshot> {

    public MetricsAssert(MetricsSnapshot actual) {
        super(actual, MetricsAssert.class);
    }

    public TimerAssert timer(String name) {
        return new TimerAssert(actual.timer(name).orElseThrow(() -> missing(name, "timer")));
    }

    public CounterAssert counter(String name) {
        if (!actual.counters().containsKey(name)) {
            throw missing(name, "counter");
        }
        return new CounterAssert(name, actual.counter(name));
    }

    public DistributionAssert distribution(String name) {
        return new DistributionAssert(actual.distribution(name).orElseThrow(() -> missing(name, "distribution")));
    }

    /** {@code part / (part + rest)} of two counters, such as a hit rate, to assert on. */
    public AbstractDoubleAssert<?> ratio(String part, String rest) {
        long p = actual.counter(part);
        long r = actual.counter(rest);
        if (p + r == 0) {
            throw missing(part + "' or '" + rest, "non-zero counter");
        }
        return Assertions.assertThat((double) p / (p + r)).as("ratio %s / (%s + %s) = %d / %d", part, part, rest, p, p + r);
    }

    private AssertionError missing(String name, String kind) {
        return new AssertionError(new ShouldHaveMetric(name, kind, actual.names())
                .create(info.description(), info.representation()));
    }
}
