package dev.dyno.stats;

import java.time.Duration;
import java.util.Random;

/** Seeded synthetic trials: a base time with normal noise, and a fake clock that each trial advances. */
final class Synthetic {

    private final Random random;
    private final long[] clock;
    private final long trialNanos;

    private Synthetic(long seed, long[] clock, long trialNanos) {
        this.random = new Random(seed);
        this.clock = clock;
        this.trialNanos = trialNanos;
    }

    static Synthetic seeded(long seed) {
        return new Synthetic(seed, new long[1], 0);
    }

    /** Each trial also moves the fake clock forward by this much. */
    static Synthetic withClock(long seed, long[] clock, Duration perTrial) {
        return new Synthetic(seed, clock, perTrial.toNanos());
    }

    /** A trial taking {@code millis} on average, with a relative standard deviation of {@code noise}. */
    Trial millis(double millis, double noise) {
        return () -> {
            clock[0] += trialNanos;
            double value = millis * 1e6 * (1 + noise * random.nextGaussian());
            return Measurement.of(Duration.ofNanos(Math.round(value)));
        };
    }

    /** A comparison of {@code baseMillis} against {@code baseMillis * (1 + shift)}, same noise. */
    Comparison shifted(double baseMillis, double shift, double noise) {
        return Comparison.of("baseline", millis(baseMillis, noise), "variant", millis(baseMillis * (1 + shift), noise))
                .warmup(0);
    }
}
