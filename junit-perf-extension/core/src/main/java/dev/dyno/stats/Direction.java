package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Which way is better for the measured values: lower for times (the default), higher for
 * throughput or hit rates.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Direction {
    LOWER_IS_BETTER,
    HIGHER_IS_BETTER
}
