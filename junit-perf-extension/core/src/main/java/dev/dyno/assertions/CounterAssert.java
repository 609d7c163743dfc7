package dev.dyno.assertions;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.assertj.core.api.AbstractLongAssert;
import org.assertj.core.data.Percentage;

/**
 * Assertions on a counter's value; all of AssertJ's long assertions apply, plus closeness in the
 * guides' sense ("lock acquisitions ≈ 20").
 *
 * <pre>{@code
 * assertThat(recorder.counter("locks.acquired")).isCloseTo(20, 2);
 * assertThat(recorder.counter("capacity.updates")).isCloseTo(20, withinPercentage(10));
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class CounterAssert extends AbstractLongAssert<CounterAssert> {

    private final String name;

    public CounterAssert(String name, long actual) {
        super(actual, CounterAssert.class);
        this.name = name;
        describedAs("counter '%s'", name);
    }

    /** Verifies the count is within {@code tolerance} of {@code expected}, either side. */
    public CounterAssert isCloseTo(long expected, long tolerance) {
        if (Math.abs(actual - expected) > tolerance) {
            throwAssertionError(ShouldBeCloseTo.shouldBeCloseTo(name, actual, expected, tolerance + ""));
        }
        return this;
    }

    @Override
    public CounterAssert isCloseTo(long expected, Percentage percentage) {
        double tolerance = Math.abs(expected) * percentage.value / 100;
        if (Math.abs(actual - expected) > tolerance) {
            throwAssertionError(ShouldBeCloseTo.shouldBeCloseTo(name, actual, expected, percentage.value + "%"));
        }
        return this;
    }
}
