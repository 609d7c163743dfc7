package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * The schedule of an open-model phase: when each request is <em>meant</em> to start, whatever
 * happened to the requests before it. Latency is measured from these intended start times, so a
 * stalled target cannot hide its stall by holding the generator back (coordinated omission).
 *
 * <p>The rate may ramp linearly from {@code fromRps} to {@code toRps} over the phase (k6's ramping
 * arrival rate); a constant rate is a ramp with equal ends. With {@code a = (to - from) / D}, the
 * number of requests due by time {@code t} is {@code N(t) = from·t + a·t²/2}, so request {@code i}
 * is due at the root of {@code N(t) = i}, computed as {@code 2i / (from + sqrt(from² + 2ai))},
 * which stays exact as {@code a} goes to zero. No allocation, no state: safe from any thread.
 *
 * <pre>{@code
 * ArrivalRatePacer spike = ArrivalRatePacer.constant(15, Duration.ofSeconds(30));   // 450 requests
 * long due = start + spike.offsetNanos(i);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class ArrivalRatePacer {

    /** The highest rate a pacer accepts, requests per second. */
    public static final double MAX_RPS = 1_000_000;

    private final double fromRps;
    private final double toRps;
    private final long durationNanos;
    private final double accelerationPerSecond2;
    private final long count;
    /** Which requests of the schedule this pacer sends: {@code share}, {@code share + shares}, … */
    private final int share;
    private final int shares;

    private ArrivalRatePacer(double fromRps, double toRps, Duration duration) {
        if (!(fromRps >= 0) || !(toRps >= 0) || fromRps > MAX_RPS || toRps > MAX_RPS || fromRps + toRps == 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "rate %s → %s req/s is not allowed: rates are between 0 and %.0f req/s and at least one end is above zero",
                    fromRps, toRps, MAX_RPS));
        }
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException("duration " + duration + " must be above zero");
        }
        this.fromRps = fromRps;
        this.toRps = toRps;
        this.durationNanos = duration.toNanos();
        double seconds = durationNanos / 1e9;
        this.accelerationPerSecond2 = (toRps - fromRps) / seconds;
        // A tiny epsilon so 10 req/s for 1 s is 10 requests, not 9.999999.
        this.count = (long) Math.floor(seconds * (fromRps + toRps) / 2 + 1e-9);
        this.share = 0;
        this.shares = 1;
    }

    private ArrivalRatePacer(ArrivalRatePacer whole, int share, int shares) {
        this.fromRps = whole.fromRps;
        this.toRps = whole.toRps;
        this.durationNanos = whole.durationNanos;
        this.accelerationPerSecond2 = whole.accelerationPerSecond2;
        this.count = share < whole.count ? (whole.count - share + shares - 1) / shares : 0;
        this.share = share;
        this.shares = shares;
    }

    /**
     * One of {@code shares} agents' part of this schedule: its requests number {@code share},
     * {@code share + shares}, {@code share + 2·shares} … at their intended times. The agents
     * together send exactly this schedule, request for request, where rates divided among them
     * would each round their count down.
     *
     * @since 0.2
     */
    public ArrivalRatePacer share(int share, int shares) {
        if (shares < 1 || share < 0 || share >= shares || this.shares != 1) {
            throw new IllegalArgumentException("share " + share + " of " + shares + " is not allowed: a share from 0 to"
                    + " shares - 1, of a whole schedule");
        }
        return shares == 1 ? this : new ArrivalRatePacer(this, share, shares);
    }

    /** {@code rps} requests per second for {@code duration}. */
    public static ArrivalRatePacer constant(double rps, Duration duration) {
        if (!(rps > 0)) {
            throw new IllegalArgumentException("rate " + rps + " req/s is not allowed: it must be above zero");
        }
        return new ArrivalRatePacer(rps, rps, duration);
    }

    /** A rate changing linearly from {@code fromRps} to {@code toRps} over {@code duration}. */
    public static ArrivalRatePacer ramp(double fromRps, double toRps, Duration duration) {
        return new ArrivalRatePacer(fromRps, toRps, duration);
    }

    /** How many requests the phase sends. */
    public long count() {
        return count;
    }

    /** When request {@code i} (from 0) is due, in nanoseconds after the phase starts. */
    public long offsetNanos(long i) {
        return wholeOffsetNanos(i * shares + share);
    }

    private long wholeOffsetNanos(long i) {
        if (i <= 0) {
            return 0;
        }
        double seconds = 2.0 * i / (fromRps + Math.sqrt(fromRps * fromRps + 2 * accelerationPerSecond2 * i));
        return (long) (seconds * 1e9);
    }

    /** The rate at {@code offsetNanos} into the phase. */
    public double rateAt(long offsetNanos) {
        return (fromRps + accelerationPerSecond2 * (offsetNanos / 1e9)) / shares;
    }

    /** The mean rate over the phase (of this share of it). */
    public double meanRps() {
        return (fromRps + toRps) / 2 / shares;
    }

    public double fromRps() {
        return fromRps;
    }

    public double toRps() {
        return toRps;
    }

    public Duration duration() {
        return Duration.ofNanos(durationNanos);
    }

    @Override
    public String toString() {
        return fromRps == toRps ? fmt(fromRps) + " req/s for " + duration()
                : fmt(fromRps) + " → " + fmt(toRps) + " req/s over " + duration();
    }

    static String fmt(double rps) {
        return rps == Math.rint(rps) ? String.valueOf((long) rps) : String.format(Locale.ROOT, "%.2f", rps).replaceAll("0+$", "");
    }
}
