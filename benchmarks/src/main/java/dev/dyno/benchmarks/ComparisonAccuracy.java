package dev.dyno.benchmarks;

import dev.dyno.stats.Comparison;
import dev.dyno.stats.ComparisonResult;
import dev.dyno.stats.Verdict;
import java.lang.management.ManagementFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks, on this machine, that {@link Comparison} is as honest as it claims: runs many A/A
 * comparisons of a real CPU-bound workload (SHA-256 over a buffer) and counts the false positives
 * (goal ≤ 5 %), then as many comparisons where the variant does 10 % more work and counts how
 * often the slowdown is detected (goal ≥ 90 %), on a quiet machine and again with bursty
 * competing load, and prints both side by side.
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.dyno.benchmarks.ComparisonAccuracy [comparisons] [repetitions] [trial ms] [mode] [half-width]
 * </pre>
 *
 * Defaults: 100 comparisons of each kind, 15 repetitions per side, about 8 ms per trial, mode
 * {@code both}. Modes: {@code quiet}, {@code bursty} (one thread per CPU alternates busy spins and
 * idle pauses, each a random 20–400 ms, during every comparison, like a parallel build) or
 * {@code both}. A half-width (such as {@code 0.03}) turns on adaptive repetitions: more rounds
 * until the interval is that narrow, within 5 s and 60 repetitions per comparison.
 */
public final class ComparisonAccuracy {

    private static final byte[] BUFFER = new byte[16 * 1024];
    private static volatile byte sink;

    private ComparisonAccuracy() {
    }

    public static void main(String[] args) throws Exception {
        int comparisons = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        double trialMillis = args.length > 2 ? Double.parseDouble(args[2]) : 8;
        String mode = args.length > 3 ? args[3] : "both";
        double halfWidth = args.length > 4 ? Double.parseDouble(args[4]) : Double.NaN;
        if (!List.of("quiet", "bursty", "both").contains(mode)) {
            throw new IllegalArgumentException("mode is \"" + mode + "\"; allowed: quiet, bursty, both");
        }
        Arrays.fill(BUFFER, (byte) 7);

        int rounds = calibrate(trialMillis);
        int slower = (int) Math.round(rounds * 1.10);
        int cpus = Runtime.getRuntime().availableProcessors();
        System.out.printf(Locale.ROOT, "workload: SHA-256 of 16 KiB, %d rounds ≈ %.1f ms; planted: %d rounds (+10 %%)%n",
                rounds, trialMillis, slower);
        System.out.printf(Locale.ROOT, "%d comparisons of each kind, %d repetitions per side%s, 1 warm-up round, median,"
                + " alternating order, 95 %% confidence, 1 %% noise threshold; %d CPUs, %s%n", comparisons, repetitions,
                Double.isNaN(halfWidth) ? "" : String.format(Locale.ROOT,
                        " (adaptive: until the half-width is %.1f %%, within 5 s, at most 60)", halfWidth * 100),
                cpus, System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));

        List<Row> rows = new ArrayList<>();
        if (!mode.equals("bursty")) {
            rows.add(measure("quiet", comparisons, repetitions, halfWidth, rounds, slower, 0));
        }
        if (!mode.equals("quiet")) {
            rows.add(measure("bursty load", comparisons, repetitions, halfWidth, rounds, slower, cpus));
        }
        System.out.println();
        System.out.println("| configuration | A/A false positives (goal ≤ 5 %) | planted +10 % detected (goal ≥ 90 %)"
                + " | inconclusive (A/A, planted) | median detectable effect | rounds per comparison (redone) | load avg"
                + " before → after | took |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|");
        rows.forEach(r -> System.out.println(r.markdown()));
    }

    private record Row(String configuration, int comparisons, Tally aa, Tally planted, double loadBefore,
            double loadAfter, double seconds) {

        String markdown() {
            return String.format(Locale.ROOT, "| %s | %d/%d = %.0f %% (significant at all: %d) | %d/%d = %.0f %%"
                    + " (interval covered 10 %% in %d) | %d, %d | %.1f %% | %.1f (%.1f) | %.1f → %.1f | %.0f s |",
                    configuration, aa.falsePositives, comparisons, 100.0 * aa.falsePositives / comparisons,
                    aa.significant, planted.regressed, comparisons, 100.0 * planted.regressed / comparisons,
                    planted.covered, aa.inconclusive, planted.inconclusive, median(aa.mdes) * 100,
                    (aa.meanRounds + planted.meanRounds) / 2, (aa.meanRedone + planted.meanRedone) / 2, loadBefore,
                    loadAfter, seconds);
        }
    }

    private record Tally(int significant, int falsePositives, int regressed, int inconclusive, int covered,
            List<Double> mdes, double meanRounds, double meanRedone) {
    }

    private static Row measure(String label, int comparisons, int repetitions, double halfWidth, int baselineRounds,
            int variantRounds, int burstThreads) throws InterruptedException {
        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        long start = System.nanoTime();
        try (BurstyLoad load = burstThreads > 0 ? new BurstyLoad(burstThreads) : null) {
            Tally aa = run(label + " A/A", comparisons, repetitions, halfWidth, baselineRounds, baselineRounds);
            Tally planted = run(label + " planted +10 %", comparisons, repetitions, halfWidth, baselineRounds,
                    variantRounds);
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Row(label, comparisons, aa, planted, loadBefore,
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), seconds);
        }
    }

    private static Tally run(String label, int comparisons, int repetitions, double halfWidth, int baselineRounds,
            int variantRounds) {
        int significant = 0;
        int falsePositives = 0;
        int regressed = 0;
        int inconclusive = 0;
        int covered = 0;
        long rounds = 0;
        long redone = 0;
        List<Double> mdes = new ArrayList<>();
        for (int i = 0; i < comparisons; i++) {
            Comparison comparison = Comparison
                    .timing("baseline", () -> hash(baselineRounds), "variant", () -> hash(variantRounds))
                    .repetitions(repetitions).warmup(1).seed(i);
            if (!Double.isNaN(halfWidth)) {
                comparison = comparison.untilRelativeHalfWidth(halfWidth).within(Duration.ofSeconds(5))
                        .maxRepetitions(Math.max(60, repetitions));
            }
            ComparisonResult result = comparison.run();
            rounds += result.noise().rounds();
            redone += result.noise().disturbedRounds();
            significant += result.significant() ? 1 : 0;
            falsePositives += result.verdict() == Verdict.IMPROVED || result.verdict() == Verdict.REGRESSED ? 1 : 0;
            regressed += result.verdict() == Verdict.REGRESSED ? 1 : 0;
            if (result.verdict() == Verdict.INCONCLUSIVE && inconclusive++ == 0) {
                System.out.printf(Locale.ROOT, "  %s first inconclusive: %s%n", label, result.summary());
            }
            covered += result.relativeChange().contains(0.10) ? 1 : 0;
            mdes.add(result.minimumDetectableEffect());
            if ((i + 1) % 25 == 0) {
                System.out.printf(Locale.ROOT, "  %s %3d/%d  last: %s%n", label, i + 1, comparisons, result.summary());
            }
        }
        return new Tally(significant, falsePositives, regressed, inconclusive, covered, mdes,
                (double) rounds / comparisons, (double) redone / comparisons);
    }

    /** One thread per CPU, each alternating a busy spin and an idle pause, each a random 20–400 ms. */
    static final class BurstyLoad implements AutoCloseable {

        private final List<Thread> threads = new ArrayList<>();
        private volatile boolean running = true;

        BurstyLoad(int count) {
            for (int i = 0; i < count; i++) {
                Thread t = new Thread(this::burst, "bursty-load-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        private void burst() {
            ThreadLocalRandom random = ThreadLocalRandom.current();
            long spin = 0;
            while (running) {
                long busyUntil = System.nanoTime() + random.nextLong(20, 401) * 1_000_000;
                while (running && System.nanoTime() < busyUntil) {
                    spin = spin * 31 + 7;
                }
                try {
                    Thread.sleep(random.nextLong(20, 401));
                } catch (InterruptedException e) {
                    return;
                }
            }
            sink ^= (byte) spin;
        }

        @Override
        public void close() throws InterruptedException {
            running = false;
            for (Thread t : threads) {
                t.interrupt();
                t.join();
            }
        }
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().skip(values.size() / 2).findFirst().orElse(Double.NaN);
    }

    private static int calibrate(double trialMillis) throws NoSuchAlgorithmException {
        for (int i = 0; i < 200; i++) {
            hash(20);   // let the JIT compile the digest
        }
        long start = System.nanoTime();
        hash(200);
        double perRound = (System.nanoTime() - start) / 200.0;
        return Math.max(1, (int) Math.round(trialMillis * 1e6 / perRound));
    }

    private static void hash(int rounds) throws NoSuchAlgorithmException {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] digest = new byte[32];
        for (int i = 0; i < rounds; i++) {
            sha.update(BUFFER);
            sha.update(digest);
            digest = sha.digest();
        }
        sink ^= digest[0];
    }
}
