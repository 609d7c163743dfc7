package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.load.StressStep.Verdict;
import dev.dyno.metrics.Recorder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.assertj.core.description.TextDescription;
import org.assertj.core.error.ErrorMessageFactory;
import org.assertj.core.presentation.StandardRepresentation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

@DisplayName("Run assertions")
class LoadRunAssertTests {

    private static final GeneratorHealth ON_TIME = health(1000, 0);

    private static String message(ErrorMessageFactory factory) {
        return message(factory, "");
    }

    private static String message(ErrorMessageFactory factory, String description) {
        return factory.create(new TextDescription(description), new StandardRepresentation());
    }

    private static PhaseStats phase(String name, double rps, long requests, long ok, long meanMillis) {
        Recorder recorder = Recorder.create();
        recorder.timer("latency").record(Duration.ofMillis(meanMillis));
        Map<Outcome, Long> failures = ok < requests ? Map.of(Outcome.UNEXPECTED_STATUS, requests - ok) : Map.of();
        return new PhaseStats(name, rps, 0, requests, ok, requests - ok, 0, failures,
                recorder.timer("latency").snapshot(), recorder.timer("latency").snapshot(), Duration.ofSeconds(3),
                PhaseStatsAssertTests.pace(rps, rps, requests, 0));
    }

    private static StressStep step(double rps, long ok, Verdict verdict, boolean narrowing) {
        long requests = Math.round(rps * 3);
        return new StressStep(rps, -1, phase("stress-" + ArrivalRatePacer.fmt(rps) + "rps", rps, requests, ok, 40),
                verdict, narrowing);
    }

    /** A stress run as the extension builds one: steps 1, 4, … req/s, the one at {@code brokeAt} broke. */
    private static LoadRun stress(double brokeAt) {
        List<StressStep> steps = new ArrayList<>();
        for (double rps = 1; rps < brokeAt && rps <= 28; rps += 3) {
            steps.add(step(rps, Math.round(rps * 3), Verdict.GOOD, false));
        }
        BreakingPoint breakingPoint = null;
        if (brokeAt <= 28) {
            steps.add(step(brokeAt, Math.round(brokeAt * 3 * 0.75), Verdict.BREAKING, false));
            breakingPoint = new BreakingPoint(brokeAt, brokeAt - 3, "success 75.0% < 95%");
        }
        return new LoadRun("stress", "GET http://127.0.0.1:8080/", steps.stream().map(StressStep::stats).toList(),
                steps, breakingPoint, List.of(), null, ON_TIME, List.of(), null);
    }

    private static LoadRun heldUpTo28() {
        return stress(Double.POSITIVE_INFINITY);
    }

    private static SoakWindow window(int index, long p95Millis, long memoryMb) {
        Duration p95 = Duration.ofMillis(p95Millis);
        return new SoakWindow(index, Duration.ofMinutes(index - 1L), 600, 600, p95.dividedBy(2), p95, p95.multipliedBy(2),
                p95.multipliedBy(3), memoryMb << 20, 0.5, 1);
    }

    private static LoadRun soak(List<SoakWindow> windows) {
        return new LoadRun("soak", "GET http://127.0.0.1:8080/", List.of(phase("soak", 10, 600L * windows.size(),
                600L * windows.size(), 20)), List.of(), null, windows, Drift.of(windows, 0.25, 0.25), ON_TIME, List.of(),
                null);
    }

    private static GeneratorHealth health(long sent, long late) {
        Recorder recorder = Recorder.create();
        recorder.timer("lag").record(Duration.ofNanos(late > 0 ? 9_000_000 : 40_000));
        return new GeneratorHealth(recorder.timer("lag").snapshot(), sent, late, Duration.ofMillis(5));
    }

    private static LoadRun spike(GeneratorHealth generator) {
        return new LoadRun("spike", "GET http://127.0.0.1:8080/", List.of(phase("spike", 15, 450, 450, 30)), List.of(),
                null, List.of(), null, generator, List.of(), null);
    }

    @Nested
    @DisplayName("on the breaking point of a stress run")
    class BreakingPoints {

        @Test
        @DisplayName("hasBreakingPoint passes when a step broke and fails, listing every step, when none did")
        void hasBreakingPoint() {
            LoadAssertions.assertThat(stress(13)).hasBreakingPoint();
            LoadRun held = heldUpTo28();
            assertThatThrownBy(() -> LoadAssertions.assertThat(held).hasBreakingPoint())
                    .hasMessage(message(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(held, "find a breaking point")));
        }

        @Test
        @DisplayName("hasBreakingPointBetween passes inside the range, its ends included, and fails outside it")
        void hasBreakingPointBetween() {
            LoadRun brokeAt13 = stress(13);
            LoadAssertions.assertThat(brokeAt13).hasBreakingPointBetween(10, 16).hasBreakingPointBetween(13, 13);
            assertThatThrownBy(() -> LoadAssertions.assertThat(brokeAt13).hasBreakingPointBetween(16, 40))
                    .hasMessage(message(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(brokeAt13,
                            "break between 16 and 40 req/s")));
            assertThatThrownBy(() -> LoadAssertions.assertThat(brokeAt13).hasBreakingPointBetween(1, 12.5))
                    .hasMessage(message(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(brokeAt13,
                            "break between 1 and 12.5 req/s")));
        }

        @Test
        @DisplayName("hasBreakingPointBetween on a run that never broke says it found no breaking point at all")
        void hasBreakingPointBetweenWithoutOne() {
            LoadRun held = heldUpTo28();
            assertThatThrownBy(() -> LoadAssertions.assertThat(held).hasBreakingPointBetween(1, 100))
                    .hasMessage(message(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(held, "find a breaking point")));
        }

        @Test
        @DisplayName("hasNoBreakingPoint passes when every step held and fails when one broke")
        void hasNoBreakingPoint() {
            LoadAssertions.assertThat(heldUpTo28()).hasNoBreakingPoint();
            LoadRun brokeAt13 = stress(13);
            assertThatThrownBy(() -> LoadAssertions.assertThat(brokeAt13).hasNoBreakingPoint())
                    .hasMessage(message(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(brokeAt13,
                            "hold up to its maximum rate")));
        }

        @Test
        @DisplayName("the failure carries the assertion's description")
        void description() {
            LoadRun brokeAt13 = stress(13);
            assertThatThrownBy(() -> LoadAssertions.assertThat(brokeAt13).as("checkout stress").hasNoBreakingPoint())
                    .hasMessage(message(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(brokeAt13,
                            "hold up to its maximum rate"), "checkout stress"));
        }

        @Test
        @DisplayName("the message names the expectation, the breaking point and every step with its verdict")
        void messageContent() {
            LoadRun brokeAt13 = stress(13);
            String message = message(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(brokeAt13, "hold up to its maximum rate"));
            assertThat(message)
                    .contains("Expecting the stress run to hold up to its maximum rate but it had:")
                    .contains("breaking point 13 req/s (success 75.0% < 95%); last good 10 req/s")
                    .contains("  1 req/s: GOOD (stress-1rps (1 req/s): 3 requests, 3 ok (100.0%)")
                    .contains("  10 req/s: GOOD (stress-10rps")
                    .contains("  13 req/s: BREAKING (stress-13rps (13 req/s): 39 requests, 29 ok (74.4%), 10 failed");
            assertThat(message(ShouldHaveBreakingPoint.shouldHaveBreakingPoint(heldUpTo28(), "find a breaking point")))
                    .contains("but it had:" + System.lineSeparator() + "  no breaking point" + System.lineSeparator());
        }
    }

    @Nested
    @DisplayName("on the drift of a soak")
    class Stability {

        private final List<SoakWindow> flat = List.of(window(1, 90, 300), window(2, 50, 300), window(3, 52, 301),
                window(4, 49, 300), window(5, 51, 302));
        private final List<SoakWindow> latencyClimbing = List.of(window(1, 90, 300), window(2, 50, 300),
                window(3, 60, 301), window(4, 72, 300), window(5, 85, 302));
        private final List<SoakWindow> leaking = List.of(window(1, 50, 300), window(2, 50, 320), window(3, 51, 360),
                window(4, 50, 410), window(5, 50, 470));

        @Test
        @DisplayName("isStable passes when latency and memory stay flat after the warm-up window")
        void stable() {
            LoadRun run = soak(flat);
            assertThat(run.drift().orElseThrow().stable()).isTrue();
            LoadAssertions.assertThat(run).isStable();
        }

        @Test
        @DisplayName("isStable fails when p95 latency climbs, with the drift and the number of windows")
        void latencyTrendingUp() {
            LoadRun run = soak(latencyClimbing);
            Drift drift = run.drift().orElseThrow();
            assertThat(drift.latencyTrendingUp()).isTrue();
            assertThat(drift.memoryTrendingUp()).isFalse();
            assertThatThrownBy(() -> LoadAssertions.assertThat(run).isStable())
                    .hasMessage(message(ShouldBeStable.shouldBeStable(drift, 5)));
        }

        @Test
        @DisplayName("isStable fails when memory climbs while latency stays flat")
        void memoryTrendingUp() {
            LoadRun run = soak(leaking);
            Drift drift = run.drift().orElseThrow();
            assertThat(drift.latencyTrendingUp()).isFalse();
            assertThat(drift.memoryTrendingUp()).isTrue();
            assertThatThrownBy(() -> LoadAssertions.assertThat(run).isStable())
                    .hasMessage(message(ShouldBeStable.shouldBeStable(drift, 5)));
        }

        @Test
        @DisplayName("the message gives both changes against their limits and marks the one trending up")
        void messageContent() {
            Drift drift = soak(leaking).drift().orElseThrow();
            assertThat(message(ShouldBeStable.shouldBeStable(drift, 5)))
                    .contains("Expecting the soak to be stable over its 5 windows but it drifted:")
                    .contains(drift.describe())
                    .containsPattern("p95 latency [+-]\\d+\\.\\d% \\(limit \\+25%\\), memory \\+\\d+\\.\\d% \\(limit \\+25%\\) TRENDING UP");
        }

        @Test
        @DisplayName("isStable on a run that is not a soak says so instead of passing")
        void notASoak() {
            assertThatThrownBy(() -> LoadAssertions.assertThat(stress(13)).isStable())
                    .isInstanceOf(AssertionError.class)
                    .hasMessage("not a soak run: stress runs have no drift check");
        }
    }

    @Nested
    @DisplayName("on the generator's schedule")
    class Schedule {

        @Test
        @DisplayName("generatorKeptSchedule passes with up to 1 % of requests late")
        void keptSchedule() {
            LoadAssertions.assertThat(spike(ON_TIME)).generatorKeptSchedule();
            LoadAssertions.assertThat(spike(health(1000, 10))).generatorKeptSchedule();
            LoadAssertions.assertThat(spike(health(0, 0))).generatorKeptSchedule();
        }

        @Test
        @DisplayName("generatorKeptSchedule fails with more than 1 % late, naming the lag and the late count")
        void fellBehind() {
            GeneratorHealth behind = health(1000, 11);
            assertThat(behind.behindSchedule()).isTrue();
            LoadRun run = spike(behind);
            assertThatThrownBy(() -> LoadAssertions.assertThat(run).generatorKeptSchedule())
                    .hasMessage(message(ShouldKeepSchedule.shouldKeepSchedule(behind)));
            assertThat(message(ShouldKeepSchedule.shouldKeepSchedule(behind)))
                    .contains("Expecting the load generator to keep its schedule but:")
                    .contains("the generator fell behind its schedule")
                    .contains("11 of 1000 requests (1.10%) later than 5.00ms");
        }
    }

    @Nested
    @DisplayName("on the target keeping up")
    class KeepingUp {

        private LoadRun spikeRun(double spikeAchieved, long spikeAbandoned) {
            PhaseStats baseline = withPace("baseline", 2, 2, 60, 0);
            PhaseStats spike = withPace("spike", 100, spikeAchieved, 3000, spikeAbandoned);
            return new LoadRun("spike", "GET http://127.0.0.1:8080/", List.of(baseline, spike), List.of(), null,
                    List.of(), null, ON_TIME, List.of(), null);
        }

        private PhaseStats withPace(String name, double offered, double achieved, long requests, long abandoned) {
            PhaseStats p = phase(name, offered, requests, requests - abandoned, 30);
            Map<Outcome, Long> failures = abandoned > 0 ? Map.of(Outcome.ABANDONED, abandoned) : Map.of();
            return new PhaseStats(p.name(), offered, 0, requests, requests - abandoned, abandoned, 0, failures, p.latency(),
                    p.serviceTime(), p.duration(), PhaseStatsAssertTests.pace(offered, achieved, requests, abandoned));
        }

        @Test
        @DisplayName("targetKeptUp passes when every open-model phase was answered at its offered rate")
        void keptUp() {
            LoadAssertions.assertThat(spikeRun(96, 0)).targetKeptUp();
            assertThat(spikeRun(96, 0).abandoned()).isZero();
        }

        @Test
        @DisplayName("targetKeptUp fails naming only the phase that fell behind, with its rates and abandoned requests")
        void fellBehind() {
            LoadRun run = spikeRun(22, 1200);
            assertThat(run.abandoned()).isEqualTo(1200);
            assertThatThrownBy(() -> LoadAssertions.assertThat(run).targetKeptUp())
                    .hasMessage(message(ShouldKeepUp.shouldKeepUp(run, 0.1, List.of(run.phase("spike")), "")))
                    .hasMessageContaining("spike: the target did not keep up: it answered 22.0 req/s of the 100 req/s offered")
                    .hasMessageNotContaining("baseline:");
            LoadAssertions.assertThat(run).targetKeptUpWithin(0.8);
        }

        @Test
        @DisplayName("targetKeptUp fails a closed-model run, which has no offered rate to keep up with")
        void closedModel() {
            PhaseStats light = new PhaseStats("light", Double.NaN, 2, 20, 20, 0, 0, Map.of(), phase("x", 1, 1, 1, 1).latency(),
                    phase("x", 1, 1, 1, 1).latency(), Duration.ofSeconds(1),
                    PhaseStatsAssertTests.pace(Double.NaN, 20, 20, 0));
            LoadRun run = new LoadRun("load", "in process", List.of(light), List.of(), null, List.of(), null, ON_TIME,
                    List.of(), null);
            assertThatThrownBy(() -> LoadAssertions.assertThat(run).targetKeptUp())
                    .hasMessage(message(ShouldKeepUp.shouldKeepUp(run, 0.1, List.of(), "")));
        }
    }

    @Test
    @DisplayName("every run assertion fails on a null run with AssertJ's own message")
    void nullRun() {
        String expected = message(org.assertj.core.error.ShouldNotBeNull.shouldNotBeNull());
        assertThatThrownBy(() -> LoadAssertions.assertThat((LoadRun) null).hasBreakingPoint()).hasMessage(expected);
        assertThatThrownBy(() -> LoadAssertions.assertThat((LoadRun) null).hasNoBreakingPoint()).hasMessage(expected);
        assertThatThrownBy(() -> LoadAssertions.assertThat((LoadRun) null).isStable()).hasMessage(expected);
        assertThatThrownBy(() -> LoadAssertions.assertThat((LoadRun) null).generatorKeptSchedule()).hasMessage(expected);
        assertThatThrownBy(() -> LoadAssertions.assertThat((LoadRun) null).targetKeptUp()).hasMessage(expected);
    }
}
