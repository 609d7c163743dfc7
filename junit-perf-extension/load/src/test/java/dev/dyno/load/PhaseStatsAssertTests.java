package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.description.TextDescription;
import org.assertj.core.presentation.StandardRepresentation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Phase assertions")
class PhaseStatsAssertTests {

    private static PhaseStats phase(long requests, long ok) {
        Recorder recorder = Recorder.create();
        recorder.timer("latency").record(Duration.ofMillis(5));
        Map<Outcome, Long> failures = ok < requests ? Map.of(Outcome.UNEXPECTED_STATUS, requests - ok) : Map.of();
        return new PhaseStats("spike", 15, 0, requests, ok, requests - ok, 0, failures,
                recorder.timer("latency").snapshot(), recorder.timer("latency").snapshot(), Duration.ofSeconds(10),
                pace(15, 15, requests, 0));
    }

    /** What a phase's pace looks like when the target answered {@code achieved} of {@code offered} req/s. */
    static TargetPace pace(double offered, double achieved, long requests, long abandoned) {
        Recorder recorder = Recorder.create();
        recorder.timer("wait").record(Duration.ofMillis(abandoned > 0 ? 900 : 1));
        long answered = requests - abandoned;
        return new TargetPace(offered, achieved, requests, answered, abandoned > 0 ? answered : 0,
                recorder.timer("wait").snapshot(), 0, abandoned, Duration.ofMillis(5));
    }

    private static PhaseStats phase(String name, double offered, double achieved, long requests, long abandoned) {
        Recorder recorder = Recorder.create();
        recorder.timer("latency").record(Duration.ofMillis(abandoned > 0 ? 900 : 5));
        Map<Outcome, Long> failures = abandoned > 0 ? Map.of(Outcome.ABANDONED, abandoned) : Map.of();
        return new PhaseStats(name, offered, Double.isNaN(offered) ? 2 : 0, requests, requests - abandoned, abandoned, 0,
                failures, recorder.timer("latency").snapshot(), recorder.timer("latency").snapshot(),
                Duration.ofSeconds(3), pace(offered, achieved, requests, abandoned));
    }

    private static String message(PhaseStats phase, String relation, double expected, String note) {
        return ShouldHaveSuccessRate.shouldHaveSuccessRate(phase, relation, expected, note)
                .create(new TextDescription(""), new StandardRepresentation());
    }

    @Test
    @DisplayName("a success rate below the minimum fails with the phase, the rate and the failures by kind")
    void successRateBelowMinimum() {
        PhaseStats spike = phase(100, 97);
        LoadAssertions.assertThat(spike).successRate().isAtLeast(0.95);
        assertThatThrownBy(() -> LoadAssertions.assertThat(spike).successRate().isAtLeast(0.99))
                .hasMessage(message(spike, "of at least", 0.99, ""));
    }

    @Test
    @DisplayName("any failure breaks hasNoFailures, and so does a phase that sent nothing")
    void noFailures() {
        PhaseStats clean = phase(50, 50);
        LoadAssertions.assertThat(clean).hasNoFailures();
        PhaseStats failing = phase(50, 49);
        assertThatThrownBy(() -> LoadAssertions.assertThat(failing).hasNoFailures())
                .hasMessage(message(failing, "of", 1.0, ""));
        PhaseStats empty = phase(0, 0);
        assertThatThrownBy(() -> LoadAssertions.assertThat(empty).hasNoFailures())
                .hasMessage(message(empty, "of", 1.0, ""));
    }

    @Test
    @DisplayName("a generator that fell behind its schedule is named in the failure, so the target is not blamed for it")
    void generatorBehindIsNamed() {
        Recorder recorder = Recorder.create();
        recorder.timer("lag").record(Duration.ofMillis(40));
        GeneratorHealth behind = new GeneratorHealth(recorder.timer("lag").snapshot(), 1000, 200, Duration.ofMillis(5));
        PhaseStats spike = phase(100, 90);
        assertThatThrownBy(() -> new PhaseStatsAssert(spike, behind).successRate().isAtLeast(0.99))
                .hasMessage(message(spike, "of at least", 0.99, "\nnote: " + behind.describe()));
    }

    @Test
    @DisplayName("keptUp passes a phase answered at its offered rate and fails one answered at a fifth of it, with both rates and the abandoned requests")
    void keptUp() {
        PhaseStats steady = phase("steady", 100, 97, 200, 0);
        LoadAssertions.assertThat(steady).keptUp().keptUpWithin(0.05);
        PhaseStats slow = phase("steady", 100, 20.4, 200, 139);
        assertThatThrownBy(() -> LoadAssertions.assertThat(slow).keptUp())
                .hasMessage(keptUpMessage(slow, TargetPace.DEFAULT_TOLERANCE))
                .hasMessageContaining("it answered 20.4 req/s of the 100 req/s offered (20%)")
                .hasMessageContaining("139 abandoned");
        LoadAssertions.assertThat(slow).keptUpWithin(0.9);
        assertThatThrownBy(() -> LoadAssertions.assertThat(steady).keptUpWithin(0.01))
                .hasMessage(keptUpMessage(steady, 0.01));
    }

    @Test
    @DisplayName("keptUp fails a closed-model phase and one without requests, which show nothing about keeping up")
    void keptUpNeedsAnOfferedRate() {
        PhaseStats closed = phase("light", Double.NaN, 50, 20, 0);
        assertThatThrownBy(() -> LoadAssertions.assertThat(closed).keptUp()).hasMessage(keptUpMessage(closed, 0.1));
        PhaseStats empty = phase("steady", 100, 0, 0, 0);
        assertThatThrownBy(() -> LoadAssertions.assertThat(empty).keptUp()).hasMessage(keptUpMessage(empty, 0.1));
    }

    private static String keptUpMessage(PhaseStats phase, double tolerance) {
        return ShouldKeepUp.shouldKeepUp(phase, tolerance, "").create(new TextDescription(""), new StandardRepresentation());
    }
}
