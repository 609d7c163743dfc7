package dev.dyno.stats;

import static dev.dyno.stats.ComparisonAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Comparison")
class ComparisonTests {

    @Nested
    @DisplayName("on synthetic seeded samples")
    class Statistics {

        @Test
        @DisplayName("detects a planted 10 % slowdown with an interval that covers it")
        void detectsKnownShift() {
            ComparisonResult result = Synthetic.seeded(1).shifted(10, 0.10, 0.02).repetitions(15).run();

            assertThat(result.verdict()).isEqualTo(Verdict.REGRESSED);
            assertThat(result.significant()).isTrue();
            assertThat(result.relativeChange().contains(0.10)).as(result.relativeChange().toString()).isTrue();
            assertThat(result.improvement().upper()).isNegative();
            assertThat(result.difference().point()).isCloseTo(1e6, within(0.3e6));
            assertThat(result.pValue()).isLessThan(0.001);
            assertThat(result.repetitions()).isEqualTo(15);
            assertThat(result.summary()).startsWith("variant ").contains("slower than baseline", "n=15+15", "95 % CI", "p<0.001");
        }

        @Test
        @DisplayName("gives identical distributions an interval that covers zero and no verdict")
        void identicalDistributions() {
            ComparisonResult result = Synthetic.seeded(2).shifted(10, 0, 0.05).repetitions(12).run();

            assertThat(result.relativeChange().contains(0)).as(result.relativeChange().toString()).isTrue();
            assertThat(result.verdict()).isEqualTo(Verdict.NO_SIGNIFICANT_CHANGE);
            assertThat(result.summary()).endsWith("— no significant change");
            assertThat(result.minimumDetectableEffect()).isBetween(0.02, 0.15);
        }

        @Test
        @DisplayName("keeps false positives of 1000 A/A comparisons at the 5 % a 95 % interval allows and detects 10 % in 95 %")
        void falsePositiveAndDetectionRates() {
            int significant = 0;
            int falsePositives = 0;
            int detected = 0;
            for (int seed = 0; seed < 1000; seed++) {
                ComparisonResult aa = Synthetic.seeded(1000 + seed).shifted(10, 0, 0.04).repetitions(12).seed(seed).run();
                Comparison planted = Synthetic.seeded(5000 + seed).shifted(10, 0.10, 0.04).repetitions(12).seed(seed);
                significant += aa.significant() ? 1 : 0;
                falsePositives += aa.verdict() == Verdict.IMPROVED || aa.verdict() == Verdict.REGRESSED ? 1 : 0;
                detected += planted.run().verdict() == Verdict.REGRESSED ? 1 : 0;
            }
            // A 95 % interval is a 5 % test: 6 % allows for 1000 runs' sampling error (1.45 binomial
            // standard deviations); the old two-test rule, or an unpaired bootstrap at 12 runs, would not need it.
            assertThat(significant / 1000.0).as("significant at all").isLessThanOrEqualTo(0.06);
            assertThat(falsePositives).as("IMPROVED or REGRESSED verdicts").isLessThanOrEqualTo(significant);
            assertThat(detected / 1000.0).as("detection rate").isGreaterThanOrEqualTo(0.95);
        }

        @Test
        @DisplayName("reports a significant 0.5 % shift as below the 1 % noise threshold, and never fails on it")
        void noiseThreshold() {
            Comparison small = Synthetic.seeded(3).shifted(10, 0.005, 0.001).repetitions(15);

            ComparisonResult result = small.run();
            assertThat(result.significant()).isTrue();
            assertThat(result.verdict()).isEqualTo(Verdict.BELOW_NOISE_THRESHOLD);
            assertThat(result).hasNoRegressionBeyond(0).isSignificant();
            assertThat(result.summary()).endsWith("— below the 1.0 % noise threshold");

            ComparisonResult strict = Synthetic.seeded(3).shifted(10, 0.005, 0.001).repetitions(15).noiseThreshold(0.001).run();
            assertThat(strict.verdict()).isEqualTo(Verdict.REGRESSED);
            assertThatThrownBy(() -> assertThat(strict).hasNoRegressionBeyond(0.2)).isInstanceOf(AssertionError.class);
        }

        @Test
        @DisplayName("compares higher-is-better values the other way round")
        void higherIsBetter() {
            ComparisonResult result = Synthetic.seeded(4).shifted(100, 0.2, 0.02).repetitions(10)
                    .direction(Direction.HIGHER_IS_BETTER).run();

            assertThat(result.verdict()).isEqualTo(Verdict.IMPROVED);
            assertThat(result.improvement().point()).isCloseTo(0.2, within(0.03));
            assertThat(result.summary()).contains("better than baseline");
        }

        @Test
        @DisplayName("compares the mean or a percentile when asked")
        void otherStatistics() {
            ComparisonResult mean = Synthetic.seeded(5).shifted(10, -0.2, 0.02).statistic(Statistic.MEAN).run();
            ComparisonResult p90 = Synthetic.seeded(5).shifted(10, -0.2, 0.02).statistic(Statistic.percentile(90)).run();

            assertThat(mean.primary().statistic()).isEqualTo(Statistic.MEAN);
            assertThat(mean.baseline().statistic()).isEqualTo(mean.baseline().mean());
            assertThat(p90.summary()).contains("(p90 ");
            assertThat(mean.verdict()).isEqualTo(Verdict.IMPROVED);
            assertThat(p90.verdict()).isEqualTo(Verdict.IMPROVED);
        }

        @Test
        @DisplayName("gives the same answer for the same seed")
        void reproducible() {
            ComparisonResult one = Synthetic.seeded(6).shifted(10, 0.03, 0.05).run();
            ComparisonResult two = Synthetic.seeded(6).shifted(10, 0.03, 0.05).run();

            assertThat(one.relativeChange()).isEqualTo(two.relativeChange());
            assertThat(one.pValue()).isEqualTo(two.pValue());
        }
    }

    @Nested
    @DisplayName("with adaptive repetitions")
    class Adaptive {

        @Test
        @DisplayName("stops as soon as the interval is narrow enough when the noise is low")
        void stopsEarly() {
            ComparisonResult result = Synthetic.seeded(7).shifted(10, 0.1, 0.005).repetitions(5)
                    .untilRelativeHalfWidth(0.02).run();

            assertThat(result.stoppedBecause()).isEqualTo(ComparisonResult.StopReason.INTERVAL_NARROW_ENOUGH);
            assertThat(result.repetitions()).isEqualTo(5);
            assertThat(result.improvement().halfWidth()).isLessThanOrEqualTo(0.02);
        }

        @Test
        @DisplayName("adds rounds until the interval narrows")
        void addsRounds() {
            ComparisonResult result = Synthetic.seeded(8).shifted(10, 0.1, 0.05).repetitions(5)
                    .untilRelativeHalfWidth(0.03).run();

            assertThat(result.stoppedBecause()).isEqualTo(ComparisonResult.StopReason.INTERVAL_NARROW_ENOUGH);
            assertThat(result.repetitions()).isGreaterThan(5).isLessThan(100);
            assertThat(result.improvement().halfWidth()).isLessThanOrEqualTo(0.03);
        }

        @Test
        @DisplayName("never starts a round that would end after the time budget")
        void respectsBudget() {
            long[] now = {0};
            Synthetic noisy = Synthetic.withClock(9, now, Duration.ofMillis(10));
            ComparisonResult result = Comparison.of("baseline", noisy.millis(10, 0.4), "variant", noisy.millis(10, 0.4))
                    .repetitions(5).warmup(1).untilRelativeHalfWidth(0.001).within(Duration.ofSeconds(1))
                    .clock(() -> now[0]).run();

            assertThat(result.stoppedBecause()).isEqualTo(ComparisonResult.StopReason.BUDGET_SPENT);
            assertThat(result.elapsed()).isLessThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(result.repetitions()).isGreaterThan(30);   // 49 rounds of 20 ms fit in 1 s, warm-up included
        }

        @Test
        @DisplayName("stops at the most repetitions allowed")
        void respectsMaxRepetitions() {
            ComparisonResult result = Synthetic.seeded(10).shifted(10, 0, 0.4).repetitions(5).maxRepetitions(12)
                    .untilRelativeHalfWidth(0.001).run();

            assertThat(result.stoppedBecause()).isEqualTo(ComparisonResult.StopReason.MAX_REPETITIONS);
            assertThat(result.repetitions()).isEqualTo(12);
        }
    }

    @Nested
    @DisplayName("when running trials")
    class Running {

        @Test
        @DisplayName("alternates which side goes first, after discarding the warm-up rounds")
        void alternates() {
            List<String> calls = new ArrayList<>();
            Comparison.of("a", () -> record(calls, "a"), "b", () -> record(calls, "b")).repetitions(3).warmup(1).run();

            assertThat(calls).containsExactly("a", "b", "b", "a", "a", "b", "b", "a");
        }

        @Test
        @DisplayName("draws the order of each round from the seed when randomized")
        void randomizedBlocks() {
            List<String> first = new ArrayList<>();
            List<String> second = new ArrayList<>();
            Comparison.of("a", () -> record(first, "a"), "b", () -> record(first, "b")).repetitions(20).warmup(0)
                    .order(Order.RANDOMIZED_BLOCKS).seed(7).run();
            Comparison.of("a", () -> record(second, "a"), "b", () -> record(second, "b")).repetitions(20).warmup(0)
                    .order(Order.RANDOMIZED_BLOCKS).seed(7).run();

            assertThat(first).isEqualTo(second).hasSize(40);
            List<String> firstOfRound = new ArrayList<>();
            for (int i = 0; i < first.size(); i += 2) {
                assertThat(List.of(first.get(i), first.get(i + 1))).containsExactlyInAnyOrder("a", "b");
                firstOfRound.add(first.get(i));
            }
            assertThat(firstOfRound).contains("a", "b");
        }

        @Test
        @DisplayName("compares every metric of multi-valued measurements, and asserts on each")
        void multiValued() {
            java.util.Random random = new java.util.Random(11);
            Trial baseline = () -> Measurement.of("total_time", Duration.ofMillis(100)).and("load", Duration.ofMillis(60))
                    .and("rss_mb", 300 + random.nextDouble());
            Trial variant = () -> Measurement.of("total_time", Duration.ofMillis(70)).and("load", Duration.ofMillis(30))
                    .and("rss_mb", 300 + random.nextDouble());
            ComparisonResult result = Comparison.of("default", baseline, "boosted", variant).repetitions(5).run();

            assertThat(result.metrics()).containsOnlyKeys("total_time", "load", "rss_mb");
            assertThat(result.primaryMetric()).isEqualTo("total_time");
            assertThat(result.metric("load").improvement().point()).isCloseTo(0.5, within(1e-9));
            assertThat(result.metric("rss_mb").duration()).isFalse();
            assertThat(result).variantIsFasterBy(25).metric("load").variantIsFasterBy(45);
            assertThatThrownBy(() -> result.metric("nope")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("metric is \"nope\"; allowed: one of [total_time, load, rss_mb]");
        }

        @Test
        @DisplayName("records samples, a table and the verdict into the test's recorder")
        void recordsIntoRecorder() {
            Recorder recorder = Recorder.create();
            ComparisonResult result = Synthetic.seeded(12).shifted(10, -0.3, 0.02).repetitions(6)
                    .recordInto(recorder, "sort").run();

            MetricsSnapshot snapshot = recorder.snapshot();
            assertThat(snapshot.timer("sort.baseline").orElseThrow().count()).isEqualTo(6);
            assertThat(snapshot.timer("sort.variant").orElseThrow().count()).isEqualTo(6);
            assertThat(snapshot.attributes()).containsEntry("sort.verdict", "IMPROVED");
            assertThat(snapshot.tables()).first().satisfies(table -> {
                assertThat(table.title()).isEqualTo("sort: baseline vs variant");
                assertThat(table.columns()).isEqualTo(ComparisonReport.COLUMNS);
                assertThat(table.rows()).containsExactly(ComparisonReport.row(result.primary()));
            });
            assertThat(ComparisonReport.chart(result, "sort").series()).extracting(dev.dyno.view.Series::name)
                    .contains("baseline", "variant");
            assertThat(recorder.snapshot().charts()).hasSize(1);
        }

        @Test
        @DisplayName("records every trial as a step with its side, its round and its real start and duration")
        void recordsTrialsAsSteps() {
            Recorder recorder = Recorder.create();
            java.time.Instant before = java.time.Instant.now();
            Comparison.of("old", () -> Measurement.of(1.0), "new", () -> {
                Thread.sleep(2);
                return Measurement.of(2.0);
            }).repetitions(3).warmup(1).recordInto(recorder, "plan").run();

            List<dev.dyno.view.Step> steps = recorder.snapshot().steps();
            assertThat(steps).extracting(dev.dyno.view.Step::name).containsExactly(
                    "plan: old (round warm-up 1)", "plan: new (round warm-up 1)",
                    "plan: new (round 1)", "plan: old (round 1)",
                    "plan: old (round 2)", "plan: new (round 2)",
                    "plan: new (round 3)", "plan: old (round 3)");
            assertThat(steps).allSatisfy(step -> {
                assertThat(step.passed()).isTrue();
                assertThat(step.start()).isAfterOrEqualTo(before);
                assertThat(step.parameters()).containsEntry(Comparison.STEP_COMPARISON, "plan");
            });
            assertThat(steps.get(2).parameters()).containsEntry(Comparison.STEP_SIDE, Comparison.VARIANT)
                    .containsEntry(Comparison.STEP_ROUND, "1");
            assertThat(steps.get(0).parameters()).containsEntry(Comparison.STEP_SIDE, Comparison.BASELINE)
                    .containsEntry(Comparison.STEP_ROUND, "warm-up 1");
            assertThat(steps.get(2).duration()).isGreaterThanOrEqualTo(Duration.ofMillis(2));
            assertThat(steps.get(3).start()).isAfterOrEqualTo(steps.get(2).end());
        }

        @Test
        @DisplayName("records the environment and the machine's noise before and after")
        void recordsNoise() {
            ComparisonResult result = Synthetic.seeded(13).shifted(10, 0, 0.02).run();

            assertThat(result.noise().fingerprintBefore()).containsKeys("cpu.model", "cpu.count", "cpu.quota", "java.version");
            assertThat(result.noise().fingerprintAfter()).containsKeys("cpu.model", "cpu.count");
            assertThat(result.noise().warnings()).noneMatch(w -> w.contains("changed during"));
        }

        @Test
        @DisplayName("names the side and the round when a trial throws")
        void trialFails() {
            Comparison failing = Comparison.of("baseline", () -> Measurement.of(1.0), "variant", () -> {
                throw new java.io.IOException("disk full");
            });

            assertThatThrownBy(failing::run).isInstanceOf(IllegalStateException.class)
                    .hasMessage("trial 'variant' failed in round 1: java.io.IOException: disk full");
        }

        private Measurement record(List<String> calls, String side) {
            calls.add(side);
            return Measurement.of(calls.size());
        }
    }

    @Nested
    @DisplayName("rejects bad configuration naming the parameter, the value and what is allowed")
    class Validation {

        private final Comparison comparison = Comparison.between("old", "new");

        @Test
        @DisplayName("fewer than two repetitions")
        void repetitions() {
            assertThatThrownBy(() -> comparison.repetitions(1)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("repetitions is 1; allowed: 2 or more");
        }

        @Test
        @DisplayName("a confidence outside (0, 1)")
        void confidence() {
            assertThatThrownBy(() -> comparison.confidence(1.0)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("confidence is 1.0; allowed: strictly between 0 and 1, such as 0.95");
            assertThatThrownBy(() -> comparison.confidence(0)).hasMessageStartingWith("confidence is 0.0;");
        }

        @Test
        @DisplayName("a negative noise threshold")
        void noiseThreshold() {
            assertThatThrownBy(() -> comparison.noiseThreshold(-0.01)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("noiseThreshold is -0.01; allowed: 0 or more, as a fraction (0.01 is 1 %)");
        }

        @Test
        @DisplayName("empty or single samples")
        void emptySamples() {
            assertThatThrownBy(() -> comparison.analyze(List.of(), List.of(Measurement.of(1), Measurement.of(2))))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("baseline samples has 0 samples; allowed: 2 or more measurements per side");
            assertThatThrownBy(() -> comparison.analyze(List.of(Measurement.of(1), Measurement.of(2)), List.of(Measurement.of(1))))
                    .hasMessage("variant samples has 1 sample; allowed: 2 or more measurements per side");
        }

        @Test
        @DisplayName("a budget, half-width, percentile or name that makes no sense")
        void others() {
            assertThatThrownBy(() -> comparison.within(Duration.ZERO)).hasMessageStartingWith("within is PT0S;");
            assertThatThrownBy(() -> comparison.untilRelativeHalfWidth(0)).hasMessageStartingWith("untilRelativeHalfWidth is 0.0;");
            assertThatThrownBy(() -> Statistic.percentile(101)).hasMessage("percentile is 101.0; allowed: 0 to 100, such as 90");
            assertThatThrownBy(() -> Comparison.between("same", "same")).hasMessageStartingWith("baselineName and variantName are both");
            assertThatThrownBy(() -> comparison.analyze(List.of(Measurement.of(1), Measurement.of("x", 2)),
                    List.of(Measurement.of(1), Measurement.of(2)))).hasMessageStartingWith("measurements have different metrics");
        }

        @Test
        @DisplayName("running a comparison that has no trials")
        void noTrials() {
            assertThatThrownBy(comparison::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has no trials to run; call analyze(...)");
        }
    }

    @Test
    @DisplayName("judges samples measured elsewhere with the same statistics")
    void analyzesGivenSamples() {
        List<Measurement> old = List.of(10.0, 11.0, 10.5, 10.2, 10.8, 10.1).stream().map(Measurement::of).toList();
        List<Measurement> fresh = List.of(7.0, 7.2, 6.9, 7.1, 7.3, 7.0).stream().map(Measurement::of).toList();

        ComparisonResult result = Comparison.between("old", "new").analyze(old, fresh);

        assertThat(result.verdict()).isEqualTo(Verdict.IMPROVED);
        assertThat(result.noise()).isNull();
        assertThat(result.summary()).startsWith("new ").contains(" better than old (median 7.050 vs 10.35; ");
    }
}
