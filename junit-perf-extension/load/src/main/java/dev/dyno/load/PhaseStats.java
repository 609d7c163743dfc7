package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.TimerSnapshot;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * What one phase of a load run measured: the guide's per-phase numbers (total, ok, failed,
 * success, mean, median, p95, p99, max, throughput), plus what open-model load adds: requests that
 * were dropped or sent late, and the service time beside the corrected latency.
 *
 * <p>{@link #latency()} is measured from each request's intended start (coordinated-omission
 * correct); {@link #serviceTime()} from the moment it was really sent. In a closed-model phase the
 * two are the same, since a user sends when the previous answer arrives.
 *
 * @param name        the phase, such as {@code spike} or {@code stress-13rps}
 * @param targetRps   the intended mean arrival rate; NaN for a closed-model phase
 * @param users       concurrent users of a closed-model phase; 0 for open-model phases
 * @param requests    requests scheduled (sent or dropped)
 * @param ok          requests that succeeded
 * @param failed      requests that failed, dropped and abandoned ones included
 * @param late        requests the generator sent later than its late threshold
 * @param failures    failed requests by outcome
 * @param latency     latency from the intended start, successes and failures alike
 * @param serviceTime latency from the real send
 * @param duration    from the phase's start to its last answer, its scheduled end or, when requests were
 *                    abandoned, the end of the drain, whichever is latest
 * @param pace        whether the target kept up with the offered rate, and how many requests waited
 *                    for a connection or were abandoned
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record PhaseStats(String name, double targetRps, int users, long requests, long ok, long failed, long late,
        Map<Outcome, Long> failures, TimerSnapshot latency, TimerSnapshot serviceTime, Duration duration,
        TargetPace pace) {

    public PhaseStats {
        failures = Map.copyOf(failures);
        java.util.Objects.requireNonNull(pace, "pace");
    }

    /** {@code ok / requests}, or NaN when the phase had no requests. */
    public double successRate() {
        return requests == 0 ? Double.NaN : (double) ok / requests;
    }

    /** Successful answers per second over the phase's duration. */
    public double throughput() {
        double seconds = duration.toNanos() / 1e9;
        return seconds <= 0 ? 0 : ok / seconds;
    }

    /** Requests still in flight when the run stopped waiting for them (the drain bound). */
    public long abandoned() {
        return failures.getOrDefault(Outcome.ABANDONED, 0L);
    }

    /** Requests that were never sent because the in-flight limit was reached. */
    public long dropped() {
        return failures.getOrDefault(Outcome.DROPPED, 0L);
    }

    public Duration mean() {
        return latency.mean();
    }

    public Duration median() {
        return latency.median();
    }

    public Duration p95() {
        return latency.percentile(95);
    }

    public Duration p99() {
        return latency.percentile(99);
    }

    public Duration max() {
        return latency.max();
    }

    /** Whether this was a closed-model phase (a number of concurrent users). */
    public boolean closedModel() {
        return users > 0;
    }

    /** One line for the console, such as the guide's per-phase summary. */
    public String summary() {
        String load = closedModel() ? users + " users" : ArrivalRatePacer.fmt(targetRps) + " req/s";
        return String.format(Locale.ROOT, "%s (%s): %d requests, %d ok (%.1f%%), %d failed%s%s; mean %s, p50 %s, p95 %s,"
                        + " p99 %s, max %s; %.2f req/s", name, load, requests, ok, 100 * successRate(), failed,
                abandoned() > 0 ? " (" + abandoned() + " abandoned)" : "",
                late > 0 ? ", " + late + " sent late" : "", DurationText.format(mean()), DurationText.format(median()),
                DurationText.format(p95()), DurationText.format(p99()), DurationText.format(max()), throughput());
    }

    @Override
    public String toString() {
        return summary();
    }
}
