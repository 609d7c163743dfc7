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

    /**
     * A simulated machine with bursty competing load, like a parallel build: busy and idle periods
     * of random lengths alternate. While busy, a trial gets only part of the CPU (its wall time
     * grows by {@code offCpuSlowdown}, its thread CPU time does not) and also runs slower on the CPU
     * it gets ({@code onCpuSlowdown}: shared caches, a busy sibling hyperthread; invisible to the
     * CPU-time check). Trials are {@link TimedTrial}s on the machine's simulated clocks.
     */
    static final class BurstyMachine {

        private final Random random;
        private final double minPeriodMillis;
        private final double maxPeriodMillis;
        private final double offCpuSlowdown;
        private final double onCpuSlowdown;
        private long wall;
        private long cpu;
        private boolean busy;
        private long stateEnds;

        BurstyMachine(long seed, double minPeriodMillis, double maxPeriodMillis, double offCpuSlowdown,
                double onCpuSlowdown) {
            this.random = new Random(seed);
            this.minPeriodMillis = minPeriodMillis;
            this.maxPeriodMillis = maxPeriodMillis;
            this.offCpuSlowdown = offCpuSlowdown;
            this.onCpuSlowdown = onCpuSlowdown;
            this.busy = random.nextBoolean();
            this.stateEnds = period();
        }

        /** A parallel build's bursts: 20–400 ms busy, 20–400 ms idle, 1.5× off the CPU and 1.1× on it while busy. */
        static BurstyMachine parallelBuild(long seed) {
            return new BurstyMachine(seed, 20, 400, 1.5, 1.1);
        }

        /** A trial of {@code millis} of work with a relative standard deviation of {@code noise}. */
        Trial millis(double millis, double noise) {
            return TimedTrial.of(() -> work(millis * 1e6 * (1 + noise * random.nextGaussian())), () -> wall,
                    () -> cpu);
        }

        /** A comparison of {@code baseMillis} against {@code baseMillis * (1 + shift)} on this machine. */
        Comparison shifted(double baseMillis, double shift, double noise) {
            return Comparison.of("baseline", millis(baseMillis, noise), "variant",
                    millis(baseMillis * (1 + shift), noise)).warmup(0);
        }

        private long period() {
            return wall + Math.round((minPeriodMillis + random.nextDouble() * (maxPeriodMillis - minPeriodMillis)) * 1e6);
        }

        private void work(double nanos) {
            double left = nanos;
            while (left > 0) {
                double cpuRate = busy ? onCpuSlowdown : 1;          // CPU ns per ns of work
                double wallRate = busy ? cpuRate * offCpuSlowdown : 1;
                double possible = (stateEnds - wall) / wallRate;    // work that fits before the state changes
                double done = Math.min(left, possible);
                wall += Math.round(done * wallRate);
                cpu += Math.round(done * cpuRate);
                left -= done;
                if (wall >= stateEnds) {
                    busy = !busy;
                    stateEnds = period();
                }
            }
        }
    }
}
