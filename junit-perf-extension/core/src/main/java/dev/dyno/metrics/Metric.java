package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Something the recorder keeps under a name: a {@link Timer}, {@link Counter}, {@link Gauge},
 * {@link TimeSeries} or {@link Distribution}.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public sealed interface Metric permits Timer, Counter, Gauge, TimeSeries, Distribution {

    /** The name the metric was registered under. */
    String name();

    /** An immutable copy of what the metric holds now. */
    Object snapshot();
}
