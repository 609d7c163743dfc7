package dev.dyno.load;

import static dev.dyno.load.LoadAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.PerfTest;
import dev.dyno.load.LoadProfile.Http;
import dev.dyno.load.LoadProfile.Load;
import dev.dyno.load.LoadProfile.Ramp;
import dev.dyno.load.LoadProfile.Soak;
import dev.dyno.load.LoadProfile.Spike;
import dev.dyno.load.LoadProfile.Stress;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadSpec;
import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import dev.dyno.view.Marker;
import dev.dyno.view.Series;
import dev.dyno.view.Step;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;
import org.opentest4j.AssertionFailedError;

@DisplayName("@LoadProfile")
@Timeout(120)
class LoadProfileExtensionTests {

    @TempDir
    static Path results;

    static final AtomicReference<LoadRun> LAST_RUN = new AtomicReference<>();
    /** What the last fixture's recorder held when its method ran: the report of its run. */
    static final AtomicReference<MetricsSnapshot> LAST_REPORT = new AtomicReference<>();
    static final AtomicBoolean PROVISIONED = new AtomicBoolean();

    @BeforeAll
    static void registerServices() {
        WorkloadCatalog.register("tiny-service", () -> {
            int port = freePort();
            return WorkloadSpec.ofJavaMain(TinyHttpServerMain.class, String.valueOf(port), "600000")
                    .withReadiness(Readiness.http(URI.create("http://127.0.0.1:" + port + "/")));
        });
        WorkloadCatalog.register("tiny-dying-service", () -> {
            int port = freePort();
            return WorkloadSpec.ofJavaMain(TinyHttpServerMain.class, String.valueOf(port), "1500")
                    .withReadiness(Readiness.http(URI.create("http://127.0.0.1:" + port + "/")));
        });
    }

    private static Events run(String method) {
        LAST_RUN.set(null);
        LAST_REPORT.set(null);
        PROVISIONED.set(false);
        java.lang.reflect.Method selected = java.util.Arrays.stream(Cases.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(method)).findFirst().orElseThrow();
        return EngineTestKit.engine("junit-jupiter").selectors(selectMethod(Cases.class, selected))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(OnlyInTestKit.PARAMETER, "true")
                .configurationParameter("dyno.runtime", "process")
                .execute().testEvents();
    }

    private static long processes() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    }

    @Test
    @DisplayName("stress: finds the breaking point of a target that holds 25 req/s, and narrows the knee")
    void stressFindsBreakingPoint() {
        run("stress").assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
        LoadRun run = LAST_RUN.get();
        assertThat(run.stressSteps()).extracting(StressStep::rps).startsWith(10.0, 20.0, 30.0);
        assertThat(run.breakingPoint()).hasValueSatisfying(b -> {
            assertThat(b.rps()).isBetween(25.0, 30.0);
            assertThat(b.lastGoodRps()).isBetween(20.0, 25.0);
            assertThat(b.reason()).startsWith("success ");
        });
        assertThat(run.stressSteps().get(0).verdict()).isEqualTo(StressStep.Verdict.GOOD);
        assertThat(run.stressSteps()).filteredOn(StressStep::narrowing).hasSize(1);
        assertThat(run).hasBreakingPointBetween(25, 30);
    }

    @Test
    @DisplayName("stress report: percentiles over time and the rates in charts of their own, the breaking point marked"
            + " with its rate, a few legend entries each, and each step a step with its real start and duration")
    void stressReport() {
        run("stress").assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
        LoadRun run = LAST_RUN.get();
        MetricsSnapshot report = LAST_REPORT.get();
        BreakingPoint breakingPoint = run.breakingPoint().orElseThrow();
        String label = "breaking point " + ArrivalRatePacer.fmt(breakingPoint.rps()) + " req/s";
        StressStep breaking = run.stressSteps().stream().filter(s -> s.rps() == breakingPoint.rps()).findFirst()
                .orElseThrow();

        List<Step> steps = report.steps().stream().filter(s -> s.name().startsWith("phase ")).toList();
        assertThat(steps).extracting(Step::name)
                .containsExactlyElementsOf(run.phases().stream().map(p -> "phase " + p.name()).toList());
        for (int i = 0; i < steps.size(); i++) {
            assertThat(steps.get(i).duration()).isEqualTo(run.phases().get(i).duration());
            if (i > 0) {
                // each step starts once the one before has drained: no earlier than its start plus its 2 s
                assertThat(steps.get(i).start()).isAfterOrEqualTo(steps.get(i - 1).start().plusMillis(1900));
            }
        }
        Step breakingStep = steps.stream().filter(s -> s.name().equals("phase " + breaking.stats().name())).findFirst()
                .orElseThrow();
        assertThat(breakingStep.passed()).isFalse();
        assertThat(steps.get(0).passed()).isTrue();

        Chart latency = chart(report, "latency over time, by percentile");
        assertThat(latency.series()).extracting(Series::name).containsExactly("p50", "p90", "p99", "max");
        assertThat(latency.y2()).isEmpty();
        assertThat(latency.markers()).singleElement().satisfies(m -> {
            assertThat(m.vertical()).isTrue();
            assertThat(m.label()).isEqualTo(label);
            assertThat(m.value()).isCloseTo(Duration.between(report.startedAt(), breakingStep.start()).toNanos() / 1e9,
                    within(0.001));
        });
        Chart rates = chart(report, "offered vs achieved rate over time");
        assertThat(rates.series()).extracting(Series::name).containsExactly("offered", "achieved", "failed");
        assertThat(rates.y2()).isEmpty();
        assertThat(rates.markers()).isEqualTo(latency.markers());
        Chart byRate = chart(report, "stress: latency by offered rate");
        assertThat(byRate.markers()).containsExactly(Marker.vertical(breakingPoint.rps(), label));
        assertThat(byRate.series()).extracting(Series::name).containsExactly("p50", "p90", "p99", "max");
        assertThat(chart(report, "stress: achieved by offered rate").markers())
                .containsExactly(Marker.vertical(breakingPoint.rps(), label));
        Chart distributions = chart(report, "latency by percentile, by phase");
        assertThat(distributions.x().scale()).isEqualTo(Axis.Scale.NINES);
        assertThat(distributions.series()).extracting(Series::name).hasSizeBetween(2, 3)
                .contains(run.stressSteps().get(0).stats().name(), breaking.stats().name());

        assertThat(report.charts()).allSatisfy(c -> assertThat(c.series()).hasSizeLessThanOrEqualTo(4));
        Map<String, String> groups = new HashMap<>();
        report.charts().stream().flatMap(c -> c.series().stream()).forEach(s ->
                assertThat(groups.computeIfAbsent(s.name(), n -> s.group())).as("colour group of %s", s.name())
                        .isEqualTo(s.group()).isNotEmpty());
    }

    @Test
    @DisplayName("spike report: the phases marked where they started, each a step of 1 s starting 1 s after the last,"
            + " and the raw data attached: JSON, CSV, the timeline and one histogram per phase")
    void spikeReport() {
        run("spike").assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
        MetricsSnapshot report = LAST_REPORT.get();
        List<Step> steps = report.steps().stream().filter(s -> s.name().startsWith("phase ")).toList();
        assertThat(steps).extracting(Step::name).containsExactly("phase baseline", "phase spike", "phase recovery");
        for (int i = 1; i < steps.size(); i++) {
            assertThat(Duration.between(steps.get(i - 1).start(), steps.get(i).start()))
                    .isBetween(Duration.ofMillis(950), Duration.ofMillis(1300));
        }
        assertThat(steps).allSatisfy(s -> assertThat(s.duration()).isBetween(Duration.ofMillis(950), Duration.ofSeconds(3)));
        Chart latency = chart(report, "latency over time, by percentile");
        assertThat(latency.markers()).extracting(Marker::label).containsExactly("baseline", "spike", "recovery");
        assertThat(latency.markers()).extracting(Marker::value).isSorted();
        Chart rates = chart(report, "offered vs achieved rate over time");
        assertThat(rates.series()).extracting(Series::name).containsExactly("offered", "achieved");
        // the spike's 40 req/s for 1 s falls at least half into one 1 s tick, with the baseline's 10 req/s
        assertThat(java.util.Arrays.stream(rates.series().get(0).y()).max().orElse(0)).isBetween(20.0, 50.0);
        assertThat(report.attachments()).extracting(a -> a.name()).contains("load phases.json",
                "load phases.csv", "load timeline.csv", "baseline latency (ms).hgrm", "spike latency (ms).hgrm",
                "recovery latency (ms).hgrm");
    }

    @Test
    @DisplayName("the test's timeout stops a 30 s soak at once, reports what it measured, and fails with the timeout")
    void timeoutStopsTheRunAndReports() throws IOException {
        long start = System.nanoTime();
        run("interruptedSoak").assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(TimeoutException.class))));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(12));
        assertThat(LAST_RUN.get()).as("the method, which would judge a run cut short").isNull();
        JsonNode json;
        try (var files = Files.list(results)) {
            Path file = files.filter(f -> f.getFileName().toString().contains("interruptedSoak")).findFirst().orElseThrow();
            json = new ObjectMapper().readTree(file.toFile());
        }
        // 20 req/s until the 2 s timeout: some 40 requests, not the 600 of the whole soak
        assertThat(json.path("metrics").path("counters").path("soak.requests").asLong()).isBetween(10L, 120L);
        assertThat(json.path("tables").findValuesAsText("title")).contains("load phases");
    }

    private static Chart chart(MetricsSnapshot report, String title) {
        return report.charts().stream().filter(c -> c.title().equals(title)).findFirst()
                .orElseThrow(() -> new AssertionError("no chart \"" + title + "\" among "
                        + report.charts().stream().map(Chart::title).toList()));
    }

    @Test
    @DisplayName("spike: three phases at the given rates, with per-phase stats and thresholds checked")
    void spikePhases() {
        run("spike").assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
        LoadRun run = LAST_RUN.get();
        assertThat(run.phases()).extracting(PhaseStats::name).containsExactly("baseline", "spike", "recovery");
        assertThat(run.phase("baseline").requests()).isEqualTo(10);
        assertThat(run.phase("spike").requests()).isEqualTo(40);
        assertThat(run.phase("recovery").requests()).isEqualTo(10);
        assertThat(run.phase("spike")).hasNoFailures().latency().percentile(95).isLessThan(Duration.ofSeconds(1));
    }

    @Test
    @DisplayName("a breached threshold fails the test, listing the actual value")
    void thresholdBreached() {
        run("breachedThreshold").assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(AssertionFailedError.class), message(m -> m.contains("✗ ramp-1.success_rate >= 99%")))));
    }

    @Test
    @DisplayName("abortOnFail stops a 30 s soak at its first window with a breached threshold")
    void abortOnFail() {
        long start = System.nanoTime();
        run("abortingSoak").assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(AssertionFailedError.class),
                message(m -> m.contains("@LoadProfile(abortOnFail) stopped the run: threshold breached")))));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
    }

    @Test
    @DisplayName("a target that carries 20 req/s, offered 100 req/s for 2 s: the run ends at the drain bound, counts the rest abandoned, and targetKeptUp fails with both rates")
    void slowTargetEndsAtTheDrainBound() {
        long start = System.nanoTime();
        Events events = run("slowTarget");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        LoadRun run = LAST_RUN.get();
        String note = run.generator().behindSchedule() ? "\nnote: " + run.generator().describe() : "";
        String expected = ShouldKeepUp.shouldKeepUp(run, TargetPace.DEFAULT_TOLERANCE, run.phases(), note)
                .create(new org.assertj.core.description.TextDescription(""),
                        new org.assertj.core.presentation.StandardRepresentation());
        events.assertThatEvents().haveExactly(1, event(finishedWithFailure(message(expected))));
        // 2 s planned + 1 s drain: the backlog alone would take 10 s unbounded. The phase lasts until the drain ends;
        // the whole test, with engine start, report and charts, gets a generous bound of its own.
        assertThat(run.phase("ramp-1").duration()).isBetween(Duration.ofMillis(2900), Duration.ofMillis(4500));
        assertThat(took).isLessThan(Duration.ofSeconds(9));
        assertThat(run.phase("ramp-1").pace().offeredRps()).isEqualTo(100);
        assertThat(run.phase("ramp-1").pace().achievedRps()).isBetween(10.0, 30.0);
        assertThat(run.abandoned()).isPositive();
    }

    @Test
    @DisplayName("closed model: the guide's light scenario sends 20 requests with 2 users")
    void closedModel() {
        run("closedLoad").assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
        assertThat(LAST_RUN.get().phase("light").requests()).isEqualTo(20);
        assertThat(LAST_RUN.get().phase("heavy").requests()).isEqualTo(100);
    }

    @Test
    @DisplayName("an unreachable URL gives counted connection failures and no hang")
    void unreachable() {
        long start = System.nanoTime();
        run("unreachable").assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
        PhaseStats phase = LAST_RUN.get().phase("ramp-1");
        assertThat(phase.ok()).isZero();
        assertThat(phase.failures()).containsKey(Outcome.CONNECT);
        assertThat(phase.failed()).isEqualTo(phase.requests()).isPositive();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
    }

    @Test
    @DisplayName("a service killed mid-run: failures are counted, and nothing is left running")
    void serviceKilledMidRun() {
        long before = processes();
        run("dyingService").assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
        PhaseStats phase = LAST_RUN.get().phase("ramp-1");
        assertThat(phase.ok()).isPositive();
        assertThat(phase.failed()).isPositive();
        assertThat(phase.ok() + phase.failed()).isEqualTo(phase.requests());
        assertThat(processes()).isEqualTo(before);
    }

    @Test
    @DisplayName("a soak from 2 agents against a service of Dyno's: windows from the agents' ticks, each with the service's memory and CPU as Dyno sampled them, and the drift of both")
    void soakFromAgentsAgainstAService() {
        run("agentsSoak").assertThatEvents().haveExactly(1, event(finishedSuccessfully()));

        LoadRun run = LAST_RUN.get();
        assertThat(run.phase("soak").requests()).isEqualTo(80);
        assertThat(run.soakWindows()).hasSize(4).allSatisfy(w -> {
            assertThat(w.requests()).as("window %d", w.index()).isPositive();
            assertThat(w.memoryBytes()).as("window %d", w.index()).isPositive();
        });
        assertThat(run.soakWindows().stream().mapToLong(SoakWindow::requests).sum()).isEqualTo(80);
        assertThat(run.drift()).hasValueSatisfying(d -> assertThat(d.memoryChange()).isNotNaN());
        assertThat(LAST_REPORT.get().gauge("soak.memory.drift")).isPresent();
    }

    @Test
    @DisplayName("rejects a rate of zero before anything is provisioned, naming attribute, value and what is allowed")
    void rejectsZeroRate() {
        run("zeroRate").assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@LoadProfile(spike.baselineRps) value \"0.0\" is not allowed: expected a rate above zero and"
                        + " at most 1000000 requests per second, such as 2 or 0.5"))));
        assertThat(PROVISIONED).isFalse();
    }

    @Test
    @DisplayName("rejects two profiles at once, naming both")
    void rejectsTwoProfiles() {
        run("twoProfiles").assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.startsWith("@LoadProfile needs exactly one profile, and it has spike and stress")))));
        assertThat(PROVISIONED).isFalse();
    }

    @Test
    @DisplayName("rejects a URL without a scheme, naming the attribute, the value and what is allowed")
    void rejectsUrlWithoutScheme() {
        run("noScheme").assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@LoadProfile(http.url) value \"staging.example.test/health\" is not allowed: expected a URL"
                        + " starting with http:// or https://, such as \"https://staging.example.test/health\" or"
                        + " \"http://127.0.0.1:8080/health\"; it has no scheme"))));
    }

    @Test
    @DisplayName("rejects a malformed duration, a drain of zero and an unknown service, before provisioning")
    void rejectsDurationAndService() {
        run("badDuration").assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.startsWith("@LoadProfile(spike.phase) value \"30 secs\" is not a duration")))));
        run("zeroDrain").assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@LoadProfile(drain) value \"0s\" must be above zero, such as \"500ms\" or \"2s\""))));
        run("unknownService").assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.startsWith("@LoadProfile(service) value \"no-such-service\" is not a known workload")))));
        assertThat(PROVISIONED).isFalse();
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Holds 25 req/s (a token bucket with a burst of 3); beyond that, calls fail. */
    static LoadTarget capacity25() {
        PROVISIONED.set(true);
        long start = System.nanoTime();
        double[] tokens = {3};
        long[] last = {start};
        return LoadTarget.call("a target that holds 25 req/s", 2, () -> {
            synchronized (tokens) {
                long now = System.nanoTime();
                tokens[0] = Math.min(3, tokens[0] + (now - last[0]) / 1e9 * 25);
                last[0] = now;
                if (tokens[0] < 1) {
                    throw new TimeoutException("over capacity");
                }
                tokens[0] -= 1;
            }
            return null;
        });
    }

    /** Keeps the fixtures from running on their own, where several are meant to fail. */
    static class OnlyInTestKit implements ExecutionCondition {
        static final String PARAMETER = "dyno.load.fixtures";

        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by the engine test kit")
                    : ConditionEvaluationResult.disabled("a fixture of LoadProfileExtensionTests");
        }
    }

    @ExtendWith(OnlyInTestKit.class)
    static class Cases {
        LoadTarget quick() {
            PROVISIONED.set(true);
            return LoadTarget.call("quick", 4, () -> null);
        }

        LoadTarget failing() {
            PROVISIONED.set(true);
            return LoadTarget.call("failing", 2, () -> {
                throw new IllegalStateException("down");
            });
        }

        LoadTarget slow() {
            PROVISIONED.set(true);
            return LoadTarget.call("one worker, 50 ms a call", 1, () -> {
                Thread.sleep(50);
                return null;
            });
        }

        LoadTarget capacity() {
            return capacity25();
        }

        @LoadProfile(target = "capacity", stress = @Stress(startRps = 10, stepRps = 10, maxRps = 60, step = "2s", narrowSteps = 1))
        void stress(LoadRun run, Recorder recorder) {
            LAST_RUN.set(run);
            LAST_REPORT.set(recorder.snapshot());
        }

        @LoadProfile(target = "quick", spike = @Spike(baselineRps = 10, spikeRps = 40, phase = "1s"),
                thresholds = {"spike.success_rate >= 99%", "spike.latency p95 < 1s", "generator.lag count >= 60"})
        void spike(LoadRun run, Recorder recorder) {
            LAST_RUN.set(run);
            LAST_REPORT.set(recorder.snapshot());
        }

        @LoadProfile(target = "quick", soak = @Soak(rps = 20, duration = "30s", window = "1s"))
        @Timeout(value = 2, unit = TimeUnit.SECONDS)
        void interruptedSoak(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(target = "failing", ramp = @Ramp(fromRps = 10, toRps = 10, duration = "500ms"),
                thresholds = "ramp-1.success_rate >= 99%")
        void breachedThreshold() {
        }

        @LoadProfile(target = "failing", soak = @Soak(rps = 20, duration = "30s", window = "1s"), abortOnFail = true,
                thresholds = "soak.failed < 5")
        void abortingSoak() {
        }

        @LoadProfile(target = "slow", drain = "1s", ramp = @Ramp(fromRps = 100, toRps = 100, duration = "2s"))
        void slowTarget(LoadRun run) {
            LAST_RUN.set(run);
            LoadAssertions.assertThat(run).targetKeptUp();
        }

        @LoadProfile(target = "quick", drain = "0s", spike = @Spike(baselineRps = 1, spikeRps = 15))
        void zeroDrain() {
        }

        @LoadProfile(target = "quick", load = {@Load(name = "light", requests = 20, concurrency = 2),
                @Load(name = "heavy", requests = 100, concurrency = 10)})
        void closedLoad(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(http = @Http(url = "http://127.0.0.1:1/", timeout = "2s"),
                ramp = @Ramp(fromRps = 20, toRps = 20, duration = "500ms"))
        void unreachable(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(service = "tiny-service", agents = 2, soak = @Soak(rps = 20, duration = "4s", window = "1s"))
        void agentsSoak(LoadRun run, Recorder recorder) {
            LAST_RUN.set(run);
            LAST_REPORT.set(recorder.snapshot());
        }

        @LoadProfile(service = "tiny-dying-service", http = @Http(timeout = "2s"),
                ramp = @Ramp(fromRps = 50, toRps = 50, duration = "4s"))
        void dyingService(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(target = "quick", spike = @Spike(baselineRps = 0, spikeRps = 15))
        void zeroRate() {
        }

        @LoadProfile(target = "quick", spike = @Spike(baselineRps = 1, spikeRps = 15),
                stress = @Stress(startRps = 1, stepRps = 1, maxRps = 2))
        void twoProfiles() {
        }

        @LoadProfile(http = @Http(url = "staging.example.test/health"), spike = @Spike(baselineRps = 1, spikeRps = 15))
        void noScheme() {
        }

        @LoadProfile(target = "quick", spike = @Spike(baselineRps = 1, spikeRps = 15, phase = "30 secs"))
        void badDuration() {
        }

        @LoadProfile(service = "no-such-service", spike = @Spike(baselineRps = 1, spikeRps = 15))
        void unknownService() {
        }
    }
}
