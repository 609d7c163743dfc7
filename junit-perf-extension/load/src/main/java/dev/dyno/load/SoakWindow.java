package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * One window (a minute by default) of a soak: a row of the guide's
 * {@code Minute | Avg Latency | P95 Latency | Success | Memory} table.
 *
 * @param index       1 for the first window
 * @param start       when the window began, from the start of the soak
 * @param requests    answers in the window (successes and failures)
 * @param ok          successful answers
 * @param mean        mean latency of the successes
 * @param p95         95th percentile latency
 * @param p99         99th percentile latency
 * @param max         the slowest success
 * @param memoryBytes the service's memory at the window's end; -1 when unknown
 * @param cpuCores    the service's mean CPU use over the window, in cores; NaN when unknown
 * @param replicas    the service's replicas at the window's end; -1 when unknown
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record SoakWindow(int index, Duration start, long requests, long ok, Duration mean, Duration p95, Duration p99,
        Duration max, long memoryBytes, double cpuCores, int replicas) {

    /** {@code ok / requests}; NaN when nothing answered in the window. */
    public double successRate() {
        return requests == 0 ? Double.NaN : (double) ok / requests;
    }

    /** One line for the console, with the service's memory where it was sampled. */
    String summary() {
        return String.format(java.util.Locale.ROOT, "soak window %d: %d requests, avg %s, p95 %s, p99 %s, success %.1f%%%s",
                index, requests, dev.dyno.metrics.DurationText.format(mean), dev.dyno.metrics.DurationText.format(p95),
                dev.dyno.metrics.DurationText.format(p99), 100 * successRate(),
                memoryBytes > 0 ? String.format(java.util.Locale.ROOT, ", memory %.1f MB", memoryBytes / 1048576.0) : "");
    }
}
