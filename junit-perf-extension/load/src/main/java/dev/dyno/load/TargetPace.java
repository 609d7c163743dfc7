package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.TimerSnapshot;
import java.time.Duration;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Whether the target kept up with an open-model phase: the rate its requests were offered at
 * against the rate they were answered at. A target that answers slower than it is offered builds
 * a backlog; the phase then runs past its schedule until the backlog is answered or the drain
 * bound ends the wait, and the requests still waiting are {@link Outcome#ABANDONED}.
 * {@link GeneratorHealth} is the other side: whether the generator itself kept its schedule.
 *
 * <p>The achieved rate is measured over the span of the answers, first to last
 * ({@code (answered - 1) / span}), so a target that keeps up reads the offered rate whatever its
 * latency, and one that does not reads its capacity. Requests that waited for one of the target's
 * connections (HTTP) or worker threads (Java) are counted apart: when most did, the connection or
 * thread count is the limit, or the target behind them is.
 *
 * <pre>{@code
 * TargetPace pace = run.phase("spike").pace();
 * if (!pace.keptUp()) {
 *     System.out.println(pace.describe());   // the target answered 21.3 req/s of the 100 req/s offered …
 * }
 * }</pre>
 *
 * @param offeredRps  the rate the schedule offered (its mean rate); NaN for a closed-model phase
 * @param achievedRps answers per second, failures included, over the span from the first answer to the last
 * @param scheduled   requests the schedule sent or dropped
 * @param answered    requests that ended with an answer or a failure of their own, not dropped or abandoned
 * @param queued      answered requests that waited longer than {@code waitedAfter} from their intended
 *                    start until a connection or worker took them
 * @param queueWait   from each answered request's intended start until a connection or worker took it: the
 *                    wait for a free one, plus the generator's own lag ({@code generator.lag}, microseconds
 *                    while it keeps its schedule)
 * @param dropped     requests never sent because the in-flight limit was reached
 * @param abandoned   requests still waiting when the drain bound ended the run's wait for them
 * @param waitedAfter the wait from which a request counts as {@code queued} (the run's {@code lateAfter})
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TargetPace(double offeredRps, double achievedRps, long scheduled, long answered, long queued,
        TimerSnapshot queueWait, long dropped, long abandoned, Duration waitedAfter) {

    /**
     * The shortfall allowed by {@link #keptUp()}: answers at 90 % of the offered rate still keep up,
     * which leaves room for a slow last answer in a short phase.
     */
    public static final double DEFAULT_TOLERANCE = 0.1;

    /** Whether the phase had an offered rate (open model). Closed-model users wait for answers, so they cannot outrun a target. */
    public boolean openModel() {
        return !Double.isNaN(offeredRps);
    }

    /** {@code achievedRps / offeredRps}; NaN for a closed-model phase. */
    public double ratio() {
        return openModel() && offeredRps > 0 ? achievedRps / offeredRps : Double.NaN;
    }

    /** {@link #keptUpWithin(double) keptUpWithin(DEFAULT_TOLERANCE)}. */
    public boolean keptUp() {
        return keptUpWithin(DEFAULT_TOLERANCE);
    }

    /**
     * Whether an open-model phase with requests was answered at no less than {@code 1 - tolerance}
     * of its offered rate. False for a closed-model phase and for one without requests: neither
     * shows that a target kept up.
     *
     * @param tolerance the shortfall allowed, a fraction from 0 to 1 (0.1 for 10 %)
     */
    public boolean keptUpWithin(double tolerance) {
        if (!(tolerance >= 0 && tolerance <= 1)) {
            throw new IllegalArgumentException("tolerance " + tolerance + " must be a fraction from 0 to 1, such as 0.1");
        }
        return openModel() && scheduled > 0 && achievedRps >= offeredRps * (1 - tolerance);
    }

    /** Whether most answered requests waited for a free connection or worker thread. */
    public boolean waitedForConnections() {
        return answered > 0 && queued * 2 > answered;
    }

    /** A sentence for progress lines, reports and assertion messages. */
    public String describe() {
        if (!openModel()) {
            return "a closed-model phase: its users wait for each answer, so it has no offered rate to keep up with";
        }
        if (scheduled == 0) {
            return "no requests were scheduled";
        }
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT,
                "the target %s: it answered %s req/s of the %s req/s offered (%.0f%%); %d of %d requests answered",
                keptUp() ? "kept up" : "did not keep up", String.format(Locale.ROOT, "%.1f", achievedRps), ArrivalRatePacer.fmt(offeredRps), 100 * ratio(), answered,
                scheduled));
        if (abandoned > 0) {
            s.append(", ").append(abandoned).append(" abandoned when the drain bound ended the wait");
        }
        if (dropped > 0) {
            s.append(", ").append(dropped).append(" dropped at the in-flight limit");
        }
        if (queued > 0) {
            s.append(String.format(Locale.ROOT, "; %d waited longer than %s for a free connection or worker (p99 wait %s)",
                    queued, DurationText.format(waitedAfter), DurationText.format(queueWait.percentile(99))));
            if (!keptUp() && waitedForConnections()) {
                s.append(": the connections (@Http(connections)) or worker threads could not carry the offered rate,"
                        + " or the target behind them could not");
            }
        }
        return s.toString();
    }

    @Override
    public String toString() {
        return describe();
    }
}
