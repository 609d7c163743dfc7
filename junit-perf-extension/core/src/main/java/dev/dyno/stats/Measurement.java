package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * What one run of a {@link Trial} measured: one value, or several named values such as a total
 * time and the time of each phase. Durations are kept in nanoseconds and shown as durations.
 *
 * <pre>{@code
 * Measurement.of(Duration.ofMillis(12));                          // one value, named "value"
 * Measurement.of("total_time", total).and("load", load).and("rss_mb", 312.0);
 * }</pre>
 *
 * @param values the measured values by metric name, in the order added
 * @param durations the names of the values that are durations in nanoseconds
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Measurement(Map<String, Double> values, Set<String> durations) {

    /** The metric name of a measurement with a single value. */
    public static final String VALUE = "value";

    public Measurement {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("a measurement needs at least one value");
        }
        values.forEach((name, value) -> {
            if (value == null || !Double.isFinite(value)) {
                throw new IllegalArgumentException("measurement '" + name + "' is " + value + "; allowed: a finite number");
            }
        });
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        durations = Collections.unmodifiableSet(new LinkedHashSet<>(durations));
    }

    /** One duration. */
    public static Measurement of(Duration duration) {
        return of(VALUE, duration);
    }

    /** One number. */
    public static Measurement of(double value) {
        return of(VALUE, value);
    }

    /** One named duration; add more with {@link #and(String, Duration)}. */
    public static Measurement of(String metric, Duration duration) {
        return new Measurement(Map.of(metric, (double) duration.toNanos()), Set.of(metric));
    }

    /** One named number; add more with {@link #and(String, double)}. */
    public static Measurement of(String metric, double value) {
        return new Measurement(Map.of(metric, value), Set.of());
    }

    /** This measurement and one more duration. */
    public Measurement and(String metric, Duration duration) {
        Set<String> d = new LinkedHashSet<>(durations);
        d.add(metric);
        return new Measurement(with(metric, duration.toNanos()), d);
    }

    /** This measurement and one more number. */
    public Measurement and(String metric, double value) {
        Set<String> d = new LinkedHashSet<>(durations);
        d.remove(metric);
        return new Measurement(with(metric, value), d);
    }

    private Map<String, Double> with(String metric, double value) {
        Map<String, Double> copy = new LinkedHashMap<>(values);
        copy.put(metric, value);
        return copy;
    }
}
