package dev.dyno.assertions;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.TimerSnapshot;
import java.time.Duration;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDurationAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on a timer: its count, and its statistics as AssertJ duration assertions.
 *
 * <pre>{@code
 * assertThat(recorder.timer("http.get")).hasCountAtLeast(1000).percentile(99.9).isLessThan(Duration.ofMillis(250));
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class TimerAssert extends AbstractAssert<TimerAssert, TimerSnapshot> {

    public TimerAssert(TimerSnapshot actual) {
        super(actual, TimerAssert.class);
    }

    /** Verifies exactly this many values were recorded. */
    public TimerAssert hasCount(long expected) {
        isNotNull();
        if (actual.count() != expected) {
            throwAssertionError(ShouldHaveCount.shouldHaveCount("timer", actual.name(), actual.count(), "exactly", expected));
        }
        return this;
    }

    /** Verifies at least this many values were recorded. */
    public TimerAssert hasCountAtLeast(long minimum) {
        isNotNull();
        if (actual.count() < minimum) {
            throwAssertionError(ShouldHaveCount.shouldHaveCount("timer", actual.name(), actual.count(), "at least", minimum));
        }
        return this;
    }

    /** The value at a percentile (0-100), to assert on. An empty timer fails here. */
    public AbstractDurationAssert<?> percentile(double percentile) {
        return statistic("p" + percentile, recorded().percentile(percentile));
    }

    public AbstractDurationAssert<?> median() {
        return statistic("median", recorded().median());
    }

    public AbstractDurationAssert<?> mean() {
        return statistic("mean", recorded().mean());
    }

    public AbstractDurationAssert<?> max() {
        return statistic("max", recorded().max());
    }

    public AbstractDurationAssert<?> min() {
        return statistic("min", recorded().min());
    }

    private TimerSnapshot recorded() {
        hasCountAtLeast(1);
        return actual;
    }

    private AbstractDurationAssert<?> statistic(String name, Duration value) {
        return Assertions.assertThat(value).as("%s of timer '%s' (%d values)", name, actual.name(), actual.count());
    }
}
