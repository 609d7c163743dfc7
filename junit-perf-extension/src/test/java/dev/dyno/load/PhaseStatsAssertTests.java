package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.Recorder;
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
                recorder.timer("latency").snapshot(), recorder.timer("latency").snapshot(), Duration.ofSeconds(10));
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
}
