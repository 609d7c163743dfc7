package dev.dyno.cpuboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dyno.stats.Estimate;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("ImprovementMath")
class ImprovementMathTests {

    @Test
    @DisplayName("the point is the guide's (baseline - boosted) / baseline of the means")
    void point() {
        Estimate e = ImprovementMath.improvement(new double[] {2.0, 2.2, 1.8}, new double[] {1.0, 1.1, 0.9}, 0.95);
        assertThat(e.point()).isCloseTo(0.5, within(1e-12));
        assertThat(e.contains(0.5)).isTrue();
        assertThat(e.lower()).isLessThan(0.5);
        assertThat(e.upper()).isGreaterThan(0.5);
    }

    @Test
    @DisplayName("identical starts give a zero-width interval; more noise gives a wider one")
    void width() {
        Estimate exact = ImprovementMath.improvement(new double[] {2, 2, 2}, new double[] {1, 1, 1}, 0.95);
        assertThat(exact.halfWidth()).isZero();
        Estimate quiet = ImprovementMath.improvement(new double[] {2.0, 2.02, 1.98}, new double[] {1.0, 1.01, 0.99}, 0.95);
        Estimate noisy = ImprovementMath.improvement(new double[] {2.0, 2.4, 1.6}, new double[] {1.0, 1.2, 0.8}, 0.95);
        assertThat(noisy.halfWidth()).isGreaterThan(quiet.halfWidth() * 5);
    }

    @Test
    @DisplayName("95 % intervals from 3 + 3 noisy starts cover the true improvement about 95 % of the time")
    void coverage() {
        Random random = new Random(42);
        double trueImprovement = 0.30;
        int covered = 0;
        int experiments = 2_000;
        for (int i = 0; i < experiments; i++) {
            double[] base = new double[3];
            double[] boosted = new double[3];
            for (int j = 0; j < 3; j++) {
                base[j] = 2.0 * (1 + 0.08 * random.nextGaussian());
                boosted[j] = 2.0 * (1 - trueImprovement) * (1 + 0.08 * random.nextGaussian());
            }
            if (ImprovementMath.improvement(base, boosted, 0.95).contains(trueImprovement)) {
                covered++;
            }
        }
        // a bootstrap of three values covers far less (about 70 %); the t interval keeps its promise
        assertThat(covered / (double) experiments).isBetween(0.92, 0.985);
    }
}
