package dev.dyno.docs;

import static dev.dyno.stats.ComparisonAssertions.assertThat;

import dev.dyno.stats.Comparison;
import dev.dyno.stats.ComparisonResult;
import dev.dyno.stats.Measurement;
import dev.dyno.stats.Verdict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The snippets of docs/comparisons-and-history.md that are not in example-suites, run. */
@DisplayName("docs/comparisons-and-history.md")
class ComparisonExamplesTest {

    @Test
    @DisplayName("judges samples measured elsewhere, with the interval's conservative end")
    void judgesSamplesMeasuredElsewhere() {
        List<Measurement> v1 = samples(100, 0.5, 1);
        List<Measurement> v2 = samples(70, 0.4, 2);
        // tag::analyze[]
        ComparisonResult result = Comparison.between("v1", "v2").analyze(v1, v2);   // each a List<Measurement>

        assertThat(result).variantIsFasterBy(20);           // improvement's lower end ≥ 20 %
        assertThat(result).hasNoRegressionBeyond(5);        // improvement's lower end ≥ −5 %
        assertThat(result).isSignificant();
        assertThat(result).hasVerdict(Verdict.IMPROVED);
        assertThat(result).metric("total").variantIsFasterBy(20);   // a metric of a multi-valued Measurement
        // end::analyze[]
    }

    /** Fifteen seeded measurements around {@code millis}, each with a total and a load metric. */
    private static List<Measurement> samples(double millis, double load, long seed) {
        Random random = new Random(seed);
        List<Measurement> samples = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            double noise = 1 + 0.04 * random.nextGaussian();
            samples.add(Measurement.of("total", Duration.ofNanos(Math.round(millis * noise * 1e6)))
                    .and("load", load * noise));
        }
        return samples;
    }
}
