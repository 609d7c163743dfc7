package dev.dyno.load;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.HdrHistogram.Histogram;

/**
 * A load run tick by tick, for the report's charts over time: the latency percentiles of the
 * answers of each tick, the rates offered, achieved and failed, and when each phase started. Kept
 * here rather than as one recorder series per number, which the report would show as a chart each:
 * a reader compares p50 with p99, and the offered rate with the achieved one, in one chart.
 */
final class LoadTimeline {

    /**
     * One tick of the generator.
     *
     * @param offeredRps  requests scheduled per second (sent or dropped)
     * @param achievedRps successful answers per second
     * @param failedRps   failed answers per second
     * @param p50Ms       latency percentiles of the tick's successful answers, from their intended
     *                    start; NaN when none succeeded
     */
    record Tick(Instant at, double offeredRps, double achievedRps, double failedRps, double p50Ms, double p90Ms,
            double p99Ms, double maxMs) {

        boolean hasLatency() {
            return !Double.isNaN(p50Ms);
        }
    }

    /** The wall clock at a nanoTime: steps and charts show real times; the generator counts in nanoTime. */
    private final Instant originInstant = Instant.now();
    private final long originNanos = System.nanoTime();
    private final List<Tick> ticks = new ArrayList<>();
    private final Map<String, Instant> phaseStarts = new LinkedHashMap<>();
    private long lastNanos = originNanos;
    private long lastRequests;

    /** The wall-clock time of {@code nanoTime}. */
    Instant instant(long nanoTime) {
        return originInstant.plusNanos(nanoTime - originNanos);
    }

    /**
     * Adds a tick ending at {@code nanoTime}.
     *
     * @param requestsSoFar requests scheduled by every phase so far, from which the offered rate follows
     */
    synchronized void tick(long nanoTime, long requestsSoFar, Histogram successLatency, long ok, long failed) {
        double seconds = Math.max(1e-3, (nanoTime - lastNanos) / 1e9);
        double offered = Math.max(0, requestsSoFar - lastRequests) / seconds;
        lastNanos = nanoTime;
        lastRequests = requestsSoFar;
        boolean answered = successLatency.getTotalCount() > 0;
        ticks.add(new Tick(instant(nanoTime), offered, ok / seconds, failed / seconds,
                answered ? successLatency.getValueAtPercentile(50) / 1e6 : Double.NaN,
                answered ? successLatency.getValueAtPercentile(90) / 1e6 : Double.NaN,
                answered ? successLatency.getValueAtPercentile(99) / 1e6 : Double.NaN,
                answered ? successLatency.getMaxValue() / 1e6 : Double.NaN));
    }

    /**
     * Adds a tick of {@code seconds} ending at {@code at}, for ticks measured elsewhere, such as
     * load agents' ticks added up.
     */
    synchronized void tickAt(Instant at, double seconds, long requestsSoFar, Histogram successLatency, long ok,
            long failed) {
        long nanoTime = originNanos + java.time.Duration.between(originInstant, at).toNanos();
        lastNanos = nanoTime - Math.round(seconds * 1e9);
        tick(nanoTime, requestsSoFar, successLatency, ok, failed);
    }

    synchronized void phaseStarted(String phase, long startNanos) {
        phaseStarts.putIfAbsent(phase, instant(startNanos));
    }

    /** {@link #phaseStarted}, by the wall clock: for phases sent elsewhere, such as by load agents. */
    synchronized void phaseStartedAt(String phase, Instant start) {
        phaseStarts.putIfAbsent(phase, start);
    }

    synchronized List<Tick> ticks() {
        return List.copyOf(ticks);
    }

    /** When {@code phase} started; empty for a phase this timeline did not see. */
    synchronized Optional<Instant> start(String phase) {
        return Optional.ofNullable(phaseStarts.get(phase));
    }
}
