package dev.dyno.benchmarks;

import dev.dyno.stats.Comparison;
import dev.dyno.stats.ComparisonResult;
import dev.dyno.stats.Verdict;
import java.security.MessageDigest;
import java.time.Duration;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Checks, on this machine, that {@link Comparison} is as honest as it claims: runs many A/A
 * comparisons of a real CPU-bound workload (SHA-256 over a buffer) and counts the false positives
 * (goal ≤ 5 %), then as many comparisons where the variant does 10 % more work and counts how
 * often the slowdown is detected (goal ≥ 95 %).
 *
 * <pre>
 * ./mvnw -q -pl benchmarks -am package -DskipTests
 * java -cp benchmarks/target/benchmarks.jar dev.dyno.benchmarks.ComparisonAccuracy [comparisons] [repetitions] [trial ms] [half-width]
 * </pre>
 *
 * Defaults: 100 comparisons of each kind, 15 repetitions per side, about 8 ms per trial. A
 * half-width (such as {@code 0.03}) turns on adaptive repetitions: more rounds until the interval
 * is that narrow, within 5 s and 60 repetitions per comparison.
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
        double halfWidth = args.length > 3 ? Double.parseDouble(args[3]) : Double.NaN;
        Arrays.fill(BUFFER, (byte) 7);

        int rounds = calibrate(trialMillis);
        int slower = (int) Math.round(rounds * 1.10);
        System.out.printf(Locale.ROOT, "workload: SHA-256 of 16 KiB, %d rounds ≈ %.1f ms; planted: %d rounds (+10 %%)%n",
                rounds, trialMillis, slower);
        System.out.printf(Locale.ROOT, "%d comparisons of each kind, %d repetitions per side%s, 1 warm-up round, median,"
                + " alternating order, 95 %% confidence, 1 %% noise threshold%n", comparisons, repetitions,
                Double.isNaN(halfWidth) ? "" : String.format(Locale.ROOT,
                        " (adaptive: until the half-width is %.1f %%, within 5 s, at most 60)", halfWidth * 100));

        long start = System.nanoTime();
        Tally aa = run("A/A", comparisons, repetitions, halfWidth, rounds, rounds);
        Tally planted = run("planted +10 %", comparisons, repetitions, halfWidth, rounds, slower);

        System.out.printf(Locale.ROOT, "%nA/A false-positive rate: %d/%d = %.1f %% (significant either way; goal ≤ 5 %%)%n",
                aa.significant, comparisons, 100.0 * aa.significant / comparisons);
        System.out.printf(Locale.ROOT, "planted 10 %% slowdown detection rate: %d/%d = %.1f %% (verdict REGRESSED; goal ≥ 95 %%)%n",
                planted.regressed, comparisons, 100.0 * planted.regressed / comparisons);
        System.out.printf(Locale.ROOT, "planted: median estimated slowdown %.1f %%, its 95 %% interval covered 10 %% in %d/%d%n",
                planted.medianChange() * 100, planted.covered, comparisons);
        System.out.printf(Locale.ROOT, "median minimum detectable effect %.1f %%, median CV of a side %.1f %%%n",
                aa.medianMde() * 100, aa.medianCv() * 100);
        System.out.printf(Locale.ROOT, "mean repetitions per side %.1f (A/A) and %.1f (planted); took %.0f s%n",
                aa.meanRepetitions(), planted.meanRepetitions(), (System.nanoTime() - start) / 1e9);
    }

    private record Tally(int significant, int regressed, int covered, List<Double> changes, List<Double> mdes,
            List<Double> cvs, double meanRepetitions) {

        double medianChange() {
            return median(changes);
        }

        double medianMde() {
            return median(mdes);
        }

        double medianCv() {
            return median(cvs);
        }

        private static double median(List<Double> values) {
            return values.stream().sorted().skip(values.size() / 2).findFirst().orElse(Double.NaN);
        }
    }

    private static Tally run(String label, int comparisons, int repetitions, double halfWidth, int baselineRounds,
            int variantRounds) {
        long totalRepetitions = 0;
        int significant = 0;
        int regressed = 0;
        int covered = 0;
        List<Double> changes = new ArrayList<>();
        List<Double> mdes = new ArrayList<>();
        List<Double> cvs = new ArrayList<>();
        for (int i = 0; i < comparisons; i++) {
            Comparison comparison = Comparison
                    .timing("baseline", () -> hash(baselineRounds), "variant", () -> hash(variantRounds))
                    .repetitions(repetitions).warmup(1).seed(i);
            if (!Double.isNaN(halfWidth)) {
                comparison = comparison.untilRelativeHalfWidth(halfWidth).within(Duration.ofSeconds(5))
                        .maxRepetitions(Math.max(60, repetitions));
            }
            ComparisonResult result = comparison.run();
            totalRepetitions += result.repetitions();
            significant += result.significant() ? 1 : 0;
            regressed += result.verdict() == Verdict.REGRESSED ? 1 : 0;
            covered += result.relativeChange().contains(0.10) ? 1 : 0;
            changes.add(result.relativeChange().point());
            mdes.add(result.minimumDetectableEffect());
            cvs.add(result.baseline().coefficientOfVariation());
            if ((i + 1) % 10 == 0) {
                System.out.printf(Locale.ROOT, "  %s %3d/%d  last: %s%n", label, i + 1, comparisons, result.summary());
            }
        }
        return new Tally(significant, regressed, covered, changes, mdes, cvs, (double) totalRepetitions / comparisons);
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
