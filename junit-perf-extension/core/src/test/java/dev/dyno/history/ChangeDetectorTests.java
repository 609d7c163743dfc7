package dev.dyno.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Change detector")
class ChangeDetectorTests {

    private static double[] series(long seed, int stable, double level, double noise, double... recent) {
        Random random = new Random(seed);
        double[] values = new double[stable + recent.length];
        for (int i = 0; i < stable; i++) {
            values[i] = level * (1 + noise * random.nextGaussian());
        }
        System.arraycopy(recent, 0, values, stable, recent.length);
        return values;
    }

    private static String[] labels(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "run " + i).toArray(String[]::new);
    }

    private static ChangeDetector.Change detect(double[] values, Boolean lowerIsBetter) {
        return ChangeDetector.detect(values, labels(values.length), 0.05, lowerIsBetter);
    }

    @Test
    @DisplayName("find a 20 % slowdown three runs ago and say where it began")
    void regressionOverThreeRuns() {
        ChangeDetector.Change change = detect(series(1, 15, 100, 0.02, 120, 121, 119.5), true);

        assertThat(change).isNotNull();
        assertThat(change.kind()).isEqualTo(ChangeDetector.Kind.REGRESSION);
        assertThat(change.runs()).isEqualTo(3);
        assertThat(change.since()).isEqualTo("run 16");
        assertThat(change.relativeChange()).isCloseTo(0.2, within(0.03));
        assertThat(change.pValue()).isLessThan(0.01);
    }

    @Test
    @DisplayName("find nothing in a stable but noisy series")
    void stable() {
        for (long seed = 0; seed < 50; seed++) {
            assertThat(detect(series(seed, 25, 100, 0.03), true)).as("seed %d", seed).isNull();
        }
    }

    @Test
    @DisplayName("flag a single run far outside the usual spread, and ignore one within it")
    void singleRun() {
        ChangeDetector.Change outlier = detect(series(2, 10, 100, 0.01, 70), true);
        assertThat(outlier.kind()).isEqualTo(ChangeDetector.Kind.IMPROVEMENT);
        assertThat(outlier.runs()).isEqualTo(1);
        assertThat(outlier.pValue()).isNaN();

        assertThat(detect(series(3, 10, 100, 0.10, 108), true)).isNull();
        assertThat(detect(series(2, 5, 100, 0.01, 70), true)).as("too few earlier runs for a spread").isNull();
    }

    @Test
    @DisplayName("report changes below the minimum relative change as nothing")
    void belowMinimum() {
        assertThat(detect(series(4, 15, 100, 0.001, 103, 103, 103), true)).isNull();
        assertThat(ChangeDetector.detect(series(4, 15, 100, 0.001, 103, 103, 103), labels(18), 0.02, true))
                .isNotNull();
    }

    @Test
    @DisplayName("call a moved counter a shift, and judge nothing with too little history")
    void shiftAndShortHistory() {
        assertThat(detect(new double[] {20, 20, 20, 20, 20, 20, 20, 20, 25}, null).kind()).isEqualTo(ChangeDetector.Kind.SHIFT);
        assertThat(detect(new double[] {20, 20, 25}, null)).isNull();
    }
}
