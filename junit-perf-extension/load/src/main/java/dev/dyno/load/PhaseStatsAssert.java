package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.assertions.TimerAssert;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractDoubleAssert;
import org.assertj.core.api.AbstractLongAssert;
import org.assertj.core.api.Assertions;

/**
 * Assertions on one phase of a load run.
 *
 * <pre>{@code
 * assertThat(run.phase("spike")).successRate().isAtLeast(0.99);
 * assertThat(run.phase("spike")).latency().percentile(95).isLessThan(Duration.ofSeconds(5));
 * assertThat(run.phase("heavy")).hasNoFailures().throughput().isGreaterThan(5.0);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class PhaseStatsAssert extends AbstractAssert<PhaseStatsAssert, PhaseStats> {

    private final GeneratorHealth generator;

    public PhaseStatsAssert(PhaseStats actual, GeneratorHealth generator) {
        super(actual, PhaseStatsAssert.class);
        this.generator = generator;
    }

    /** The success rate ({@code ok / requests}), as a fraction, to assert on. */
    public SuccessRateAssert successRate() {
        isNotNull();
        return new SuccessRateAssert(this);
    }

    /** The latency from each request's intended start (coordinated-omission corrected), of successes. */
    public TimerAssert latency() {
        isNotNull();
        return new TimerAssert(actual.latency());
    }

    /** The latency from each request's real send: what a closed-loop tool would have shown. */
    public TimerAssert serviceTime() {
        isNotNull();
        return new TimerAssert(actual.serviceTime());
    }

    /** Successful answers per second. */
    public AbstractDoubleAssert<?> throughput() {
        isNotNull();
        return Assertions.assertThat(actual.throughput()).as("throughput (req/s) of phase '%s'", actual.name());
    }

    /** Requests scheduled in the phase. */
    public AbstractLongAssert<?> requests() {
        isNotNull();
        return Assertions.assertThat(actual.requests()).as("requests of phase '%s'", actual.name());
    }

    /** Verifies every request succeeded. */
    public PhaseStatsAssert hasNoFailures() {
        isNotNull();
        if (actual.failed() > 0 || actual.requests() == 0) {
            throwAssertionError(ShouldHaveSuccessRate.shouldHaveSuccessRate(actual, "of", 1.0, note()));
        }
        return this;
    }

    /**
     * Verifies the target kept up with this open-model phase: it answered at no less than 90 % of
     * the offered rate ({@link TargetPace#DEFAULT_TOLERANCE}). Fails for a closed-model phase and
     * for one without requests, which show nothing about keeping up.
     *
     * <pre>{@code
     * assertThat(run.phase("steady")).keptUp();
     * }</pre>
     */
    public PhaseStatsAssert keptUp() {
        return keptUpWithin(TargetPace.DEFAULT_TOLERANCE);
    }

    /**
     * Verifies the target answered this open-model phase at no less than {@code 1 - tolerance} of
     * the offered rate.
     *
     * <pre>{@code
     * assertThat(run.phase("steady")).keptUpWithin(0.05);   // at least 95 % of the offered rate
     * }</pre>
     *
     * @param tolerance the shortfall allowed, a fraction from 0 to 1
     */
    public PhaseStatsAssert keptUpWithin(double tolerance) {
        isNotNull();
        if (!actual.pace().keptUpWithin(tolerance)) {
            throwAssertionError(ShouldKeepUp.shouldKeepUp(actual, tolerance, note()));
        }
        return this;
    }

    private String note() {
        return generator != null && generator.behindSchedule() ? "\nnote: " + generator.describe() : "";
    }

    /**
     * A success rate, compared as a fraction: {@code isAtLeast(0.99)}.
     *
     * @since 0.1
     */
    public static final class SuccessRateAssert extends AbstractAssert<SuccessRateAssert, PhaseStats> {
        private final PhaseStatsAssert parent;

        SuccessRateAssert(PhaseStatsAssert parent) {
            super(parent.actual, SuccessRateAssert.class);
            this.parent = parent;
        }

        /** Verifies the success rate is at least {@code minimum} (a fraction, 0.99 for 99 %). */
        public SuccessRateAssert isAtLeast(double minimum) {
            if (!(actual.successRate() >= minimum)) {
                throwAssertionError(ShouldHaveSuccessRate.shouldHaveSuccessRate(actual, "of at least", minimum, parent.note()));
            }
            return this;
        }

        /** Verifies the success rate is at most {@code maximum}. */
        public SuccessRateAssert isAtMost(double maximum) {
            if (!(actual.successRate() <= maximum)) {
                throwAssertionError(ShouldHaveSuccessRate.shouldHaveSuccessRate(actual, "of at most", maximum, parent.note()));
            }
            return this;
        }

        /** Back to the phase. */
        public PhaseStatsAssert and() {
            return parent;
        }
    }
}
