package dev.dyno.stats;

import static dev.dyno.stats.ComparisonAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.description.TextDescription;
import org.assertj.core.error.ErrorMessageFactory;
import org.assertj.core.presentation.StandardRepresentation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Comparison assertions")
class ComparisonAssertionsTests {

    /** Variant about 20 % faster: the interval is well above 10 % and well below 30 %. */
    private final ComparisonResult faster = Synthetic.seeded(21).shifted(10, -0.2, 0.02).repetitions(15).run();
    private final ComparisonResult same = Synthetic.seeded(22).shifted(10, 0, 0.05).repetitions(10).run();
    private final ComparisonResult slower = Synthetic.seeded(23).shifted(10, 0.1, 0.02).repetitions(15).run();

    @Test
    @DisplayName("pass when the conservative end of the interval clears the claimed speed-up")
    void fasterBy() {
        assertThat(faster).isSignificant().hasVerdict(Verdict.IMPROVED).variantIsFasterBy(10).hasNoRegressionBeyond(0);
    }

    @Test
    @DisplayName("fail a speed-up claim that only the point estimate supports, quoting the interval")
    void fasterByFails() {
        double pointEstimate = Math.floor(faster.improvement().point() * 1000) / 10;   // such as 19.8 %
        assertThatThrownBy(() -> assertThat(faster).variantIsFasterBy(pointEstimate))
                .hasMessage(message(ShouldBeFasterBy.shouldBeFasterBy(faster.primary(), pointEstimate)))
                .hasMessageContaining("Expecting variant to be at least " + pointEstimate + " % better than baseline");
    }

    @Test
    @DisplayName("fail 'no regression beyond 5 %' for a 10 % slowdown")
    void regressionFails() {
        assertThatThrownBy(() -> assertThat(slower).hasNoRegressionBeyond(5))
                .hasMessage(message(ShouldHaveNoRegressionBeyond.shouldHaveNoRegressionBeyond(slower.primary(), 5)));
        assertThat(slower).hasNoRegressionBeyond(20);
    }

    @Test
    @DisplayName("fail 'no regression' when the run is too noisy to rule one out")
    void tooNoisyForNoRegression() {
        ComparisonResult noisy = Synthetic.seeded(24).shifted(10, 0, 0.3).repetitions(5).run();
        assertThatThrownBy(() -> assertThat(noisy).hasNoRegressionBeyond(2))
                .hasMessage(message(ShouldHaveNoRegressionBeyond.shouldHaveNoRegressionBeyond(noisy.primary(), 2)));
    }

    @Test
    @DisplayName("fail significance and verdict claims on an A/A run, naming the detectable effect")
    void notSignificant() {
        assertThat(same).hasVerdict(Verdict.NO_SIGNIFICANT_CHANGE);
        assertThatThrownBy(() -> assertThat(same).isSignificant())
                .hasMessage(message(ShouldBeSignificant.shouldBeSignificant(same.primary())));
        assertThatThrownBy(() -> assertThat(same).hasVerdict(Verdict.IMPROVED))
                .hasMessage(message(ShouldHaveVerdict.shouldHaveVerdict(same.primary(), Verdict.IMPROVED)));
    }

    @Test
    @DisplayName("assert on another metric of a multi-valued comparison")
    void otherMetric() {
        ComparisonResult result = Comparison.between("old", "new").analyze(
                List.of(Measurement.of("total", 10).and("parse", 5), Measurement.of("total", 11).and("parse", 5.5),
                        Measurement.of("total", 10.5).and("parse", 5.2), Measurement.of("total", 10.2).and("parse", 5.1),
                        Measurement.of("total", 10.7).and("parse", 5.4)),
                List.of(Measurement.of("total", 8).and("parse", 5), Measurement.of("total", 8.1).and("parse", 5.5),
                        Measurement.of("total", 7.9).and("parse", 5.2), Measurement.of("total", 8.2).and("parse", 5.1),
                        Measurement.of("total", 8.0).and("parse", 5.4)));

        assertThat(result).variantIsFasterBy(15).metric("parse").hasVerdict(Verdict.NO_SIGNIFICANT_CHANGE);
        assertThatThrownBy(() -> assertThat(result).metric("parse").variantIsFasterBy(1))
                .hasMessage(message(ShouldBeFasterBy.shouldBeFasterBy(result.metric("parse"), 1)));
    }

    private static String message(ErrorMessageFactory factory) {
        return factory.create(new TextDescription(""), new StandardRepresentation());
    }
}
