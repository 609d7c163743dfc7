package dev.dyno.stats;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Comparison under noise")
class ComparisonUnderNoiseTests {

    @Nested
    @DisplayName("with the verdict derived from the printed interval")
    class OneStory {

        @Test
        @DisplayName("never lets the verdict, the interval and the p-value disagree, over 600 random cases")
        void verdictAgreesWithInterval() {
            Random random = new Random(20);
            Statistic[] statistics = {Statistic.MEDIAN, Statistic.MEAN, Statistic.percentile(90)};
            int significant = 0;
            int notSignificant = 0;
            for (int i = 0; i < 600; i++) {
                int n = 2 + random.nextInt(30);
                int m = random.nextInt(4) == 0 ? 2 + random.nextInt(30) : n;   // a quarter unpaired
                double shift = random.nextInt(3) == 0 ? 0 : random.nextGaussian() * 0.15;
                double noise = 0.01 + random.nextDouble() * 0.2;
                List<Measurement> a = samples(random, n, 10, noise);
                List<Measurement> b = samples(random, m, 10 * (1 + shift), noise);
                Comparison comparison = Comparison.between("a", "b").statistic(statistics[random.nextInt(3)])
                        .confidence(random.nextBoolean() ? 0.95 : 0.9).noiseThreshold(random.nextDouble() * 0.05)
                        .direction(random.nextBoolean() ? Direction.LOWER_IS_BETTER : Direction.HIGHER_IS_BETTER)
                        .resamples(200).seed(i);
                MetricComparison c = comparison.analyze(a, b).primary();
                Estimate interval = c.improvement();
                double alpha = 1 - interval.confidence();
                String why = c.summary() + " [" + c.method() + "]";

                assertThat(c.significant()).as(why).isEqualTo(!interval.contains(0));
                if (Math.abs(c.pValue() - alpha) > 1e-9) {
                    assertThat(c.pValue() < alpha).as(why).isEqualTo(c.significant());
                }
                switch (c.verdict()) {
                    case IMPROVED -> assertThat(interval.lower()).as(why).isPositive();
                    case REGRESSED -> assertThat(interval.upper()).as(why).isNegative();
                    case NO_SIGNIFICANT_CHANGE -> assertThat(interval.contains(0)).as(why).isTrue();
                    case BELOW_NOISE_THRESHOLD -> assertThat(c.significant()).as(why).isTrue();
                    case INCONCLUSIVE -> throw new AssertionError("samples analysed elsewhere have no noise record");
                }
                assertThat(c.summary()).as(why).contains(Estimate.percent(Math.abs(interval.point() >= 0
                        ? interval.lower() : interval.upper())));
                significant += c.significant() ? 1 : 0;
                notSignificant += c.significant() ? 0 : 1;
            }
            assertThat(significant).as("cases with a significant answer").isGreaterThan(100);
            assertThat(notSignificant).as("cases without").isGreaterThan(100);
        }

        @Test
        @DisplayName("finds a true 20 % change significant with 3 + 3 rounds in at least 90 % of 200 runs at 3 % noise")
        void threeRoundsSeeTwentyPercent() {
            int significant = 0;
            int wrongWay = 0;
            for (int seed = 0; seed < 200; seed++) {
                ComparisonResult result = Synthetic.seeded(300 + seed).shifted(10, -0.2, 0.03).repetitions(3).seed(seed)
                        .run();
                significant += result.verdict() == Verdict.IMPROVED ? 1 : 0;
                wrongWay += result.verdict() == Verdict.REGRESSED ? 1 : 0;
            }
            assertThat(significant / 200.0).as("detection rate").isGreaterThanOrEqualTo(0.90);
            assertThat(wrongWay).isZero();
        }

        @Test
        @DisplayName("keeps 3 + 3 rounds of A/A comparisons at or below 5 % false positives")
        void threeRoundsKeepFalsePositivesDown() {
            int falsePositives = 0;
            for (int seed = 0; seed < 400; seed++) {
                Verdict verdict = Synthetic.seeded(700 + seed).shifted(10, 0, 0.03).repetitions(3).seed(seed).run()
                        .verdict();
                falsePositives += verdict == Verdict.IMPROVED || verdict == Verdict.REGRESSED ? 1 : 0;
            }
            assertThat(falsePositives / 400.0).as("false-positive rate").isLessThanOrEqualTo(0.05);
        }
    }

    @Nested
    @DisplayName("on a simulated machine with bursty competing load")
    class Bursty {

        @Test
        @DisplayName("keeps A/A false positives at or below 5 % and detects a planted 10 % in at least 90 % of 200 runs")
        void falsePositivesAndDetection() {
            int falsePositives = 0;
            int detected = 0;
            for (int seed = 0; seed < 200; seed++) {
                ComparisonResult aa = Synthetic.BurstyMachine.parallelBuild(seed).shifted(8, 0, 0.03).repetitions(15)
                        .seed(seed).run();
                ComparisonResult planted = Synthetic.BurstyMachine.parallelBuild(10_000 + seed).shifted(8, 0.10, 0.03)
                        .repetitions(15).seed(seed).run();
                falsePositives += aa.verdict() == Verdict.IMPROVED || aa.verdict() == Verdict.REGRESSED ? 1 : 0;
                detected += planted.verdict() == Verdict.REGRESSED ? 1 : 0;
            }
            assertThat(falsePositives / 200.0).as("false-positive rate").isLessThanOrEqualTo(0.05);
            assertThat(detected / 200.0).as("detection rate").isGreaterThanOrEqualTo(0.90);
        }

        @Test
        @DisplayName("would let the bursts through without pairing and the disturbance check (negative control)")
        void unpairedWithoutCheckSuffers() {
            int detected = 0;
            for (int seed = 0; seed < 200; seed++) {
                ComparisonResult planted = Synthetic.BurstyMachine.parallelBuild(10_000 + seed).shifted(8, 0.10, 0.03)
                        .repetitions(15).seed(seed).statistic(Statistic.percentile(50)).redoDisturbed(0).run();
                detected += planted.verdict() == Verdict.REGRESSED ? 1 : 0;
            }
            assertThat(detected / 200.0).as("detection rate of the unpaired bootstrap").isLessThan(0.90);
        }

        @Test
        @DisplayName("redoes the rounds the bursts disturbed and says so in the noise record")
        void redoesDisturbedRounds() {
            int disturbedRuns = 0;
            for (int seed = 0; seed < 10; seed++) {
                ComparisonResult result = Synthetic.BurstyMachine.parallelBuild(seed).shifted(8, 0.10, 0.03)
                        .repetitions(15).run();
                NoiseRecord noise = result.noise();
                if (noise.disturbedRounds() > 0) {
                    disturbedRuns++;
                    assertThat(noise.rounds()).isEqualTo(15 + noise.disturbedRounds());
                    assertThat(result.repetitions()).isEqualTo(15);
                    assertThat(noise.warnings()).anyMatch(w -> w.contains("rounds were disturbed"));
                } else {
                    assertThat(noise.rounds()).isEqualTo(15);
                }
            }
            assertThat(disturbedRuns).as("runs the bursts disturbed, of 10").isGreaterThanOrEqualTo(5);
        }

        @Test
        @DisplayName("says INCONCLUSIVE, naming the noise, when bursts shorter than a trial hit every one of them")
        void inconclusiveWhenOverwhelmed() {
            int inconclusive = 0;
            int wrong = 0;
            for (int seed = 0; seed < 200; seed++) {
                // Bursts of 2–8 ms: every trial straddles several, so no trial is quiet and the noise goes on within them.
                Synthetic.BurstyMachine machine = new Synthetic.BurstyMachine(seed, 2, 8, 3.0, 1.3);
                ComparisonResult aa = machine.shifted(8, 0, 0.03).repetitions(10).seed(seed).run();
                inconclusive += aa.verdict() == Verdict.INCONCLUSIVE ? 1 : 0;
                wrong += aa.verdict() == Verdict.IMPROVED || aa.verdict() == Verdict.REGRESSED ? 1 : 0;
                if (aa.verdict() == Verdict.INCONCLUSIVE) {
                    assertThat(aa.summary()).contains("— inconclusive: ", "competing work came and went");
                }
            }
            assertThat(inconclusive / 200.0).as("inconclusive share").isGreaterThanOrEqualTo(0.85);
            // A/A answers that are significant anyway are the test's 5 %, on clean rounds; 7.5 % allows
            // for 200 runs' sampling error (1.6 binomial standard deviations).
            assertThat(wrong / 200.0).as("confident wrong answers").isLessThanOrEqualTo(0.075);
        }
    }

    private static List<Measurement> samples(Random random, int n, double millis, double noise) {
        List<Measurement> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            double value = millis * 1e6 * Math.exp(noise * random.nextGaussian());
            if (random.nextInt(10) == 0) {
                value *= 1 + random.nextDouble();   // an outlier now and then
            }
            samples.add(Measurement.of(Duration.ofNanos(Math.round(value))));
        }
        return samples;
    }
}
