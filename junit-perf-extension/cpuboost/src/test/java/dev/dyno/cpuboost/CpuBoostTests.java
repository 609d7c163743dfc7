package dev.dyno.cpuboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.SkipForbiddenException;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.runtime.JvmRecording;
import dev.dyno.runtime.Runtimes;
import dev.dyno.view.Attachment;
import dev.dyno.view.Chart;
import dev.dyno.view.Marker;
import dev.dyno.view.Series;
import dev.dyno.view.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

@DisplayName("@CpuBoost")
class CpuBoostTests {

    /** About 0.1 CPU-seconds of Python, reporting its own phase and total in the guide's format. */
    static final String STARTUP = "import time,json,os\n"
            + "s=time.time()\nx=0\nfor i in range(400000): x+=i*i\nt=time.time()-s\n"
            + "print('=== METRICS_JSON ===')\n"
            + "print(json.dumps({'compute_time':t,'total_time':t,'cpu_allocated':len(os.sched_getaffinity(0))}))\n";

    /**
     * The guide's restoration workload in small: fixed work every 0.25 s for 3 s, reporting each
     * iteration's start and duration.
     */
    static final String CONTINUOUS = "import time,json\n"
            + "its=[]\nend=time.time()+3.0\n"
            + "while time.time()<end:\n"
            + "  s=time.time()\n  x=0\n  for i in range(1000000): x+=i*i\n  d=time.time()-s\n  its.append([s,d])\n"
            + "  time.sleep(max(0,0.25-d))\n"
            + "print('=== METRICS_JSON ===')\n"
            + "print(json.dumps({'iterations':its,'total_time':3.0}))\n";

    /** Busy for 0.3 s, says READY, then busy for 2 s more. */
    /** A JVM with some start-up work: the source launcher compiles the program (javac, in the same JVM), then runs it. */
    static final String JAVA_SOURCE = "echo 'class P { public static void main(String[] a) { System.out.println("
            + "java.util.stream.IntStream.range(0, 100000).mapToObj(Integer::toString).sorted().count()); } }' > P.java "
            + "&& exec java P.java";

    static final String READY_THEN_BUSY = "import time\n"
            + "e=time.time()+0.3\nwhile time.time()<e: pass\nprint('READY', flush=True)\n"
            + "e=time.time()+2.0\nwhile time.time()<e: pass\n";

    /** The counter of {@code noisyStarts}' starts. */
    static final String ALTERNATING = "/tmp/dyno-cpuboost-tests-alternating";

    @TempDir
    Path results;

    static final AtomicReference<CpuBoostRun> SEEN = new AtomicReference<>();
    /** What the test's recorder held when the method ran: the report of the run. */
    static final AtomicReference<MetricsSnapshot> REPORTED = new AtomicReference<>();

    private EngineExecutionResults run(Class<?> testCase, String method, String... configuration) {
        java.lang.reflect.Method target = Arrays.stream(testCase.getDeclaredMethods())
                .filter(m -> m.getName().equals(method)).findFirst().orElseThrow();
        SEEN.set(null);
        REPORTED.set(null);
        var request = EngineTestKit.engine("junit-jupiter").selectors(selectMethod(testCase, target))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(FixtureCondition.PARAMETER, "true");
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            request.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return request.execute();
    }

    @Test
    @DisplayName("skips a workload its runtime cannot run, with the reason; fails it instead with dyno.skips = fail")
    void unsupportedWorkload() {
        String reason = "cannot run on the process runtime here: app: WorkloadSpec.command = []: missing";
        run(ProcessCases.class, "imageOnly").testEvents().assertThatEvents().haveExactly(1, event(test("imageOnly"),
                abortedWithReason(instanceOf(TestAbortedException.class), message(m -> m.contains(reason)))));
        run(ProcessCases.class, "imageOnly", DynoConfiguration.SKIPS_PROPERTY, "fail").testEvents().assertThatEvents()
                .haveExactly(1, event(test("imageOnly"), finishedWithFailure(instanceOf(SkipForbiddenException.class),
                        message(m -> m.contains(reason) && m.endsWith("(failed instead of skipped: dyno.skips = fail)")))));
        assertThat(SEEN).hasValue(null);
    }

    private static long children() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    }

    @ExtendWith(FixtureCondition.class)
    static class ProcessCases {

        @CpuBoost(image = "example/app:1", runtime = "process", baseCpus = 0.2, configurations = {"baseline", "2x/30s"},
                repetitions = 2)
        void imageOnly(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(command = {"python3", "-c", STARTUP}, runtime = "process", baseCpus = 0.2,
                configurations = {"baseline", "2x/30s"}, repetitions = 2)
        void compares(CpuBoostRun run, Recorder recorder) {
            SEEN.set(run);
            REPORTED.set(recorder.snapshot());
        }

        @CpuBoost(command = {"python3", "-c", CONTINUOUS}, runtime = "process", baseCpus = 0.25,
                configurations = {"baseline", "2x/1200ms"}, repetitions = 2, restoreTolerance = 0.3)
        void restoresAtTheDeadline(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(command = {"sleep", "0.2"}, runtime = "process", baseCpus = 0.2,
                configurations = {"baseline", "2x/30s"}, repetitions = 50)
        @Timeout(value = 5, unit = TimeUnit.SECONDS)
        void outlastsItsTimeout(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(command = {"python3", "-c", READY_THEN_BUSY}, runtime = "process", baseCpus = 0.3,
                configurations = {"baseline", "3x/30s"}, untilReady = true, readyWhen = "log:^READY$",
                repetitions = 2, restoreTolerance = 0.3)
        void restoresAtReadiness(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(command = {"python3", "-c", STARTUP}, runtime = "process", baseCpus = 0.2,
                configurations = {"baseline", "2x/30s"}, repetitions = 2, concurrent = 3)
        void startsTogether(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(command = {"python3", "-c", "import sys; print('loading…'); sys.stderr.write('boom: no model\\n');"
                + " sys.exit(3)"}, runtime = "process", baseCpus = 0.5, repetitions = 2)
        void crashes(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(command = {"sleep", "30"}, runtime = "process", baseCpus = 0.5, repetitions = 2, timeout = "1s")
        void hangs(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(command = {"python3", "-c", "import time\nt=time.time()+0.3\nwhile time.time()<t: pass\n"
                + "print('listening', flush=True)\ntime.sleep(600)"}, runtime = "process", baseCpus = 0.3,
                configurations = {"baseline", "2x/30s"}, untilReady = true, readyWhen = "log:listening",
                runAfterReady = "1500ms", repetitions = 2)
        void serves(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(command = {"true"}, runtime = "process", baseCpus = 1000)
        void asksForTooMuch(CpuBoostRun run) {
            SEEN.set(run);
        }

        @CpuBoost(image = "dyno/jre17-python:local", command = {"python3", "-c", CONTINUOUS}, runtime = "docker",
                baseCpus = 0.25, configurations = {"baseline", "2x/1200ms"}, repetitions = 2, restoreTolerance = 0.3)
        void inContainers(CpuBoostRun run) {
            SEEN.set(run);
        }

        // The n-th start sleeps 0.05 s when n is even, else 0.6 s; with the order rotating each round, both
        // configurations get one of each per two rounds: means alike, an interval as wide as it gets.
        @CpuBoost(command = {"sh", "-c", "f=" + ALTERNATING + "; n=$(cat $f 2>/dev/null || echo 0); echo $((n+1)) > $f; "
                + "if [ $((n % 2)) -eq 0 ]; then sleep 0.05; else sleep 0.6; fi"}, runtime = "process", baseCpus = 0.2,
                configurations = {"baseline", "2x/30s"}, repetitions = 2, maxRepetitions = 4, precision = 1.0)
        void noisyStarts(CpuBoostRun run, Recorder recorder) {
            SEEN.set(run);
            REPORTED.set(recorder.snapshot());
        }

        // A spike of 100 ms on one of these starts still leaves the interval well inside ±100 %.
        @CpuBoost(command = {"sleep", "0.3"}, runtime = "process", baseCpus = 0.2, configurations = {"baseline", "2x/30s"},
                repetitions = 2, maxRepetitions = 4, precision = 1.0)
        void steadyStarts(CpuBoostRun run, Recorder recorder) {
            SEEN.set(run);
            REPORTED.set(recorder.snapshot());
        }

        // a whole core at base: this checks what is recorded, not a boost's effect, and a JVM compiling its source
        // at half a core took 4 s a start
        @CpuBoost(command = {"sh", "-c", JAVA_SOURCE}, runtime = "process", baseCpus = 1,
                configurations = {"baseline", "2x/30s"}, repetitions = 2, recordJvm = true)
        void recordsTheJvm(CpuBoostRun run, Recorder recorder) {
            SEEN.set(run);
            REPORTED.set(recorder.snapshot());
        }

        @CpuBoost(command = {"python3", "-c", STARTUP}, runtime = "process", baseCpus = 0.2,
                configurations = {"baseline", "2x/30s"}, repetitions = 2, recordJvm = true)
        void recordsNoJvm(CpuBoostRun run, Recorder recorder) {
            SEEN.set(run);
            REPORTED.set(recorder.snapshot());
        }
    }

    @Test
    @DisplayName("runs baseline and boost interleaved, reads each start's METRICS_JSON and compares with an interval")
    void compares() throws IOException {
        long before = children();
        run(ProcessCases.class, "compares").testEvents().assertThatEvents()
                .haveExactly(1, event(test("compares"), finishedSuccessfully()));

        CpuBoostRun run = SEEN.get();
        assertThat(run.runtime()).isEqualTo("process");
        assertThat(run.trials()).extracting(t -> t.configuration().id())
                .containsExactly("baseline", "boost-2x", "boost-2x", "baseline");
        assertThat(run.trials()).allSatisfy(t -> {
            assertThat(t.timings()).containsKeys("total_time", "compute_time");
            assertThat(t.cpuAllocated()).isPresent();
            assertThat(t.samples()).isNotEmpty();
        });
        assertThat(run.trials("python3", "boost-2x")).allSatisfy(t -> {
            assertThat(t.boostedCpus()).isEqualTo(0.4);
            assertThat(t.restoration().trigger()).isEqualTo(Restoration.Trigger.ENDED_WHILE_BOOSTED);
        });
        assertThat(run.trials("python3", "baseline")).allSatisfy(t ->
                assertThat(t.restoration().trigger()).isEqualTo(Restoration.Trigger.NOT_BOOSTED));
        assertThat(run.metrics("python3")).containsExactly("total", "wall", "compute_time");

        BoostImprovement improvement = run.improvement("python3", "boost-2x");
        double base = run.trials("python3", "baseline").stream().mapToDouble(t -> t.total().toNanos()).average()
                .orElseThrow();
        double boosted = run.trials("python3", "boost-2x").stream().mapToDouble(t -> t.total().toNanos()).average()
                .orElseThrow();
        assertThat(improvement.improvement().point()).isCloseTo(1 - boosted / base, within(1e-9));
        assertThat(improvement.improvement().lower()).isLessThanOrEqualTo(improvement.improvement().point());
        assertThat(run.byConfiguration()).singleElement().satisfies(row ->
                assertThat(row.mean()).isCloseTo(improvement.improvement().point(), within(1e-9)));

        Path dir = results.resolve("cpuboost");
        assertThat(dir.resolve("ProcessCases.compares-raw_results.csv")).content()
                .startsWith("test_case,config,run,instance,runtime").contains("python3,boost-2x,1,1,process");
        assertThat(dir.resolve("ProcessCases.compares-improvements.csv")).content()
                .contains("python3,boost-2x,compute_time,");
        MetricsSnapshot reported = REPORTED.get();
        assertThat(reported.attachments()).filteredOn(a -> a.name().equals("raw_results.csv")).singleElement()
                .satisfies(a -> {
                    assertThat(a.mediaType()).isEqualTo("text/csv");
                    assertThat(new String(a.content(), StandardCharsets.UTF_8))
                            .isEqualTo(Files.readString(dir.resolve("ProcessCases.compares-raw_results.csv")));
                });
        assertThat(reported.attachments()).extracting(Attachment::name).contains("improvements.csv");

        // each start is a step spanning the start as measured, not a 0 s mark at the end
        assertThat(reported.steps()).filteredOn(s -> s.name().startsWith("start ")).extracting(Step::name)
                .containsExactly("start 1/4: python3 baseline, round 1", "start 2/4: python3 boost-2x, round 1",
                        "start 3/4: python3 boost-2x, round 2", "start 4/4: python3 baseline, round 2");
        List<Step> starts = reported.steps().stream().filter(s -> s.name().startsWith("start ")).toList();
        for (int i = 0; i < starts.size(); i++) {
            BoostedStartResult trial = run.trials().get(i);
            assertThat(starts.get(i).start()).isEqualTo(trial.startedAt());
            assertThat(starts.get(i).duration()).isEqualTo(trial.wallTime()).isPositive();
            assertThat(starts.get(i).parameters()).containsEntry("start-up", DurationText.format(trial.total()));
        }
        assertThat(starts.get(1).start()).isAfterOrEqualTo(starts.get(0).end());

        // the charts are data, each configuration in its own colour group in every chart
        assertThat(reported.charts()).extracting(Chart::title).contains(
                "CPU boost improvement by test case (boost-2x, 95 % CI)", "Start-up time: baseline vs boost-2x",
                "Average improvement by boost configuration", "Distribution of improvements",
                "CPU used by python3 (first start of each configuration)");
        assertThat(reported.charts()).flatExtracting(Chart::series)
                .filteredOn(s -> s.name().startsWith("baseline") || s.name().startsWith("boost-2x"))
                .isNotEmpty().allSatisfy(s -> assertThat(s.group()).isEqualTo(s.name().startsWith("baseline")
                        ? "baseline" : "boost-2x"));
        Chart distribution = CpuBoostCharts.distribution(run);
        assertThat(distribution.series()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("boost-2x");
            assertThat(s.categories()).hasSize(CpuBoostCharts.BINS);
            assertThat(Arrays.stream(s.y()).sum()).isEqualTo(2); // the two boosted starts
        });
        Chart timeline = CpuBoostCharts.cpuTimeline(run, "python3");
        assertThat(timeline.series()).extracting(Series::name)
                .containsExactly("baseline used", "baseline limit", "boost-2x used", "boost-2x limit");
        assertThat(timeline.series()).filteredOn(s -> s.name().endsWith("limit")).allSatisfy(limit -> {
            assertThat(limit.style()).isEqualTo(Series.Style.STEP);
            assertThat(limit.x()[0]).isZero(); // from the start request, before the first reading
            assertThat(limit.y()).containsOnly(limit.name().startsWith("baseline") ? 0.2 : 0.4);
        });
        assertThat(timeline.markers()).isEmpty(); // it ended while boosted: nothing was restored
        assertThat(children()).isEqualTo(before);
    }

    @Test
    @DisplayName("sets the base allocation back at the deadline, proves it by CPU use, and measures the slowdown after")
    void restoresAtTheDeadline() {
        double busy = MachineLoad.busyCores(Duration.ofMillis(300));
        Assumptions.assumeTrue(busy < 1.2, () -> "machine busy (" + busy + " cores): a CPU measurement would not mean much");
        run(ProcessCases.class, "restoresAtTheDeadline").testEvents().assertThatEvents()
                .haveExactly(1, event(test("restoresAtTheDeadline"), finishedSuccessfully()));

        CpuBoostRun run = SEEN.get();
        assertThat(run.trials("python3", "boost-2x")).allSatisfy(t -> {
            Restoration r = t.restoration();
            assertThat(r.trigger()).isEqualTo(Restoration.Trigger.DEADLINE);
            assertThat(r.after().orElseThrow()).isBetween(Duration.ofMillis(1200), Duration.ofMillis(2500));
            assertThat(r.lateness().orElseThrow()).isLessThan(Duration.ofMillis(1000));
            assertThat(r.proven()).contains(true);
            assertThat(r.cpuAfter().getAsDouble()).isLessThan(0.25 * 1.3);
            assertThat(t.slowdownAfterRestore()).isPresent();
        });
        // the same fixed work took longer once the boost was gone: the guide's check, in its direction
        assertThat(run.maxSlowdownAfterRestore().getAsDouble()).isGreaterThan(1.2);
        CpuBoostAssertions.assertThat(run).everyBoostRestored().slowdownAfterRestoreIsAtMost(2.5 * 1.6);
        // the typical start's: the median of the two boosted starts' slowdowns
        double[] each = run.trials("python3", "boost-2x").stream()
                .mapToDouble(t -> t.slowdownAfterRestore().getAsDouble()).sorted().toArray();
        assertThat(run.medianSlowdownAfterRestore().getAsDouble()).isCloseTo((each[0] + each[1]) / 2,
                org.assertj.core.api.Assertions.within(1e-9));
        CpuBoostAssertions.assertThat(run).typicalSlowdownAfterRestoreIsAtMost(2.5 * 1.6);
        assertThatThrownBy(() -> CpuBoostAssertions.assertThat(run).typicalSlowdownAfterRestoreIsAtMost(1.0))
                .hasMessageContaining("at most 1.00×").hasMessageContaining("every start: ");

        BoostedStartResult first = run.trials("python3", "boost-2x").get(0);
        double restored = first.restoration().after().orElseThrow().toNanos() / 1e9;
        Chart timeline = CpuBoostCharts.cpuTimeline(run, "python3");
        assertThat(timeline.markers()).containsExactly(Marker.vertical(restored, "boost-2x restored"));
        assertThat(timeline.series()).filteredOn(s -> s.name().equals("boost-2x limit")).singleElement()
                .satisfies(limit -> {
                    assertThat(limit.x()).startsWith(0, restored);
                    assertThat(limit.x()[2]).isGreaterThan(restored);
                    assertThat(limit.y()).containsExactly(0.5, 0.25, 0.25);
                });
    }

    @Test
    @DisplayName("at the test's @Timeout, stops the starts under way, reports those measured, and leaves nothing running")
    void outlastsItsTimeout() throws Exception {
        long before = children();
        run(ProcessCases.class, "outlastsItsTimeout").testEvents().assertThatEvents()
                .haveExactly(1, event(test("outlastsItsTimeout"), finishedWithFailure(instanceOf(TimeoutException.class))));

        assertThat(SEEN.get()).isNull();
        List<String> rows = Files.readAllLines(results.resolve("cpuboost")
                .resolve("ProcessCases.outlastsItsTimeout-raw_results.csv"));
        assertThat(rows.size() - 1).as("starts reported").isBetween(1, 99);
        for (int i = 0; i < 50 && children() > before; i++) {
            Thread.sleep(100); // a killed process may take a moment to be reaped
        }
        assertThat(children()).isEqualTo(before);
    }

    @Test
    @DisplayName("maxRepetitions: adds rounds while an improvement's interval is wider than precision, up to the most")
    void addsRoundsWhileTheIntervalIsWide() throws IOException {
        Files.deleteIfExists(Path.of(ALTERNATING));
        try {
            run(ProcessCases.class, "noisyStarts").testEvents().assertThatEvents()
                    .haveExactly(1, event(test("noisyStarts"), finishedSuccessfully()));
        } finally {
            Files.deleteIfExists(Path.of(ALTERNATING));
        }
        CpuBoostRun run = SEEN.get();
        assertThat(run.trials()).hasSize(4 * 2);
        assertThat(run.trials("sh", "baseline")).extracting(BoostedStartResult::round).containsExactly(0, 1, 2, 3);
        assertThat(run.improvement("sh", "boost-2x").improvement().halfWidth()).isGreaterThan(1.0);
        assertThat(REPORTED.get().attributes())
                .containsEntry("cpuboost.rounds", "4 (2 asked, up to 4 while an improvement's interval was wider than ±100.0 %)");
    }

    @Test
    @DisplayName("maxRepetitions: stops at repetitions when every interval is already as narrow as precision asks")
    void stopsOnceThePrecisionIsReached() {
        run(ProcessCases.class, "steadyStarts").testEvents().assertThatEvents()
                .haveExactly(1, event(test("steadyStarts"), finishedSuccessfully()));
        CpuBoostRun run = SEEN.get();
        assertThat(run.trials()).hasSize(2 * 2);
        assertThat(run.improvement("sleep", "boost-2x").improvement().halfWidth()).isLessThanOrEqualTo(1.0);
        assertThat(REPORTED.get().attributes()).containsEntry("cpuboost.rounds",
                "2 (2 asked, up to 4 while an improvement's interval was wider than ±100.0 %)");
    }

    @Test
    @DisplayName("with untilReady, restores when the readiness line appears, long before the deadline")
    void restoresAtReadiness() {
        run(ProcessCases.class, "restoresAtReadiness").testEvents().assertThatEvents()
                .haveExactly(1, event(test("restoresAtReadiness"), finishedSuccessfully()));

        CpuBoostRun run = SEEN.get();
        assertThat(run.trials("python3", "boost-3x")).allSatisfy(t -> {
            assertThat(t.restoration().trigger()).isEqualTo(Restoration.Trigger.READINESS);
            assertThat(t.restoration().after().orElseThrow()).isLessThan(Duration.ofSeconds(10));
            assertThat(t.restoration().lateness()).isEmpty();
            assertThat(t.readyAfter().orElseThrow()).isLessThanOrEqualTo(t.restoration().after().orElseThrow());
        });
        assertThat(run.trials("python3", "baseline")).allSatisfy(t -> assertThat(t.readyAfter()).isPresent());
    }

    @Test
    @DisplayName("concurrent = 3 starts three workloads at once per start and reports their spread")
    void startsTogether() {
        long before = children();
        run(ProcessCases.class, "startsTogether").testEvents().assertThatEvents()
                .haveExactly(1, event(test("startsTogether"), finishedSuccessfully()));

        CpuBoostRun run = SEEN.get();
        assertThat(run.trials()).hasSize(12);
        assertThat(run.trials("python3", "boost-2x")).extracting(BoostedStartResult::instance)
                .containsExactlyInAnyOrder(0, 1, 2, 0, 1, 2);
        assertThat(run.slowestToFastest("python3", "boost-2x")).isGreaterThanOrEqualTo(1.0);
        assertThat(run.hostSamples()).isNotEmpty();
        assertThat(children()).isEqualTo(before);
    }

    @Test
    @DisplayName("a server is stopped runAfterReady after readiness; its start-up is the time to readiness")
    void serves() {
        long before = children();
        run(ProcessCases.class, "serves").testEvents().assertThatEvents()
                .haveExactly(1, event(test("serves"), finishedSuccessfully()));

        CpuBoostRun run = SEEN.get();
        assertThat(run.trials()).hasSize(4).allSatisfy(t -> {
            assertThat(t.wallTime()).isEqualTo(t.readyAfter().orElseThrow());
            assertThat(t.total()).isEqualTo(t.wallTime());
        });
        assertThat(run.trials("python3", "boost-2x")).allSatisfy(t ->
                assertThat(t.restoration().trigger()).isEqualTo(Restoration.Trigger.READINESS));
        assertThat(children()).isEqualTo(before);
    }

    @Test
    @DisplayName("a crashing workload fails the test with its exit code and its last lines, and leaves nothing running")
    void crashes() {
        long before = children();
        run(ProcessCases.class, "crashes").testEvents().assertThatEvents()
                .haveExactly(1, event(test("crashes"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("exited with code 3") && m.contains("boom: no model")))));
        assertThat(SEEN.get()).isNull();
        assertThat(children()).isEqualTo(before);
    }

    @Test
    @DisplayName("a start past its timeout is killed and fails the test")
    void hangs() {
        long before = children();
        run(ProcessCases.class, "hangs").testEvents().assertThatEvents()
                .haveExactly(1, event(test("hangs"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("still running after @CpuBoost(timeout) = ")))));
        assertThat(children()).isEqualTo(before);
    }

    @Test
    @DisplayName("bad input fails before anything starts, naming the attribute, the value and what is allowed")
    void badInput() {
        long before = children();
        run(ProcessCases.class, "asksForTooMuch").testEvents().assertThatEvents()
                .haveExactly(1, event(test("asksForTooMuch"), finishedWithFailure(
                        instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@CpuBoost(baseCpus) value 1000.0 is not allowed: expected a number "
                                + "of CPUs from 0.01 to this machine's " + Runtime.getRuntime().availableProcessors())))));
        assertThat(children()).isEqualTo(before);
    }

    @Test
    @DisplayName("on Docker: changes the container's quota live, proves the restore, and removes every container")
    void inContainers() throws Exception {
        Runtimes.assumeDocker();
        run(ProcessCases.class, "inContainers").testEvents().assertThatEvents()
                .haveExactly(1, event(test("inContainers"), finishedSuccessfully()));

        CpuBoostRun run = SEEN.get();
        assertThat(run.runtime()).isEqualTo("docker");
        assertThat(run.trials()).allSatisfy(t -> assertThat(t.runtime()).isEqualTo("docker"));
        assertThat(run.trials("python3", "boost-2x")).allSatisfy(t -> {
            assertThat(t.restoration().trigger()).isEqualTo(Restoration.Trigger.DEADLINE);
            assertThat(t.restoration().proven()).contains(true);
            // readings every 100 ms: the container's cgroup is read directly, not through the ~1 s stats call
            assertThat(t.samples().size()).isGreaterThan(15);
        });
        // other builds may share the engine: look for this experiment's containers, by id
        java.util.Set<String> left = DockerCensus.dynoContainers();
        assertThat(run.trials()).extracting(BoostedStartResult::workloadId)
                .allSatisfy(id -> assertThat(id).hasSize(64).isNotIn(left));
    }

    @Test
    @DisplayName("recordJvm: every start's JVM is recorded; its JIT, classes and GC are in a table, metrics and files")
    void recordsTheJvm() throws IOException {
        long before = children();
        run(ProcessCases.class, "recordsTheJvm").testEvents().assertThatEvents()
                .haveExactly(1, event(test("recordsTheJvm"), finishedSuccessfully()));

        CpuBoostRun run = SEEN.get();
        assertThat(run.trials()).hasSize(4).allSatisfy(t -> {
            assertThat(t.jvmRecording()).isPresent();
            assertThat(t.jvm()).as(t.jvmRecording().get().explanation()).isPresent();
            assertThat(t.jvm().get().compilations()).isPositive();
            assertThat(t.jvm().get().compilationTime()).isPositive();
            assertThat(t.jvm().get().classesLoaded().orElseThrow()).isGreaterThan(400);
            // the recording's own start-up message stays off the output the workload reports on
            assertThat(t.stdout()).hasContent("100000");
        });
        for (String configuration : List.of("baseline", "boost-2x")) {
            assertThat(run.jvm("sh", configuration)).hasSize(2)
                    .containsExactlyElementsOf(run.trials("sh", configuration).stream()
                            .map(t -> t.jvm().orElseThrow()).toList());
        }

        MetricsSnapshot reported = REPORTED.get();
        assertThat(reported.tables()).filteredOn(t -> t.title().equals(CpuBoostJvmReport.TABLE)).singleElement()
                .satisfies(table -> {
                    assertThat(table.columns()).startsWith("workload", "config", "recorded starts",
                            "JIT compilation time", "compilations");
                    assertThat(table.rows()).extracting(row -> row.subList(0, 3)).containsExactly(
                            List.of("sh", "baseline", "2 of 2"), List.of("sh", "boost-2x", "2 of 2"));
                    double compilations = run.jvm("sh", "baseline").stream()
                            .mapToInt(JvmRecording.Summary::compilations).average().orElseThrow();
                    assertThat(table.rows().get(0).get(4)).isEqualTo(String.format(java.util.Locale.ROOT, "%.0f",
                            compilations));
                    assertThat(table.rows()).allSatisfy(row -> assertThat(row.get(row.size() - 1)).isEmpty());
                });
        for (String configuration : List.of("baseline", "boost-2x")) {
            String prefix = "cpuboost.sh." + configuration + ".jvm.";
            assertThat(reported.timer(prefix + "jit_time")).hasValueSatisfying(timer -> {
                assertThat(timer.count()).isEqualTo(2);
                assertThat(timer.max()).isPositive();
            });
            assertThat(reported.timer(prefix + "class_loading_time")).hasValueSatisfying(t -> assertThat(t.count()).isEqualTo(2));
            assertThat(reported.gauge(prefix + "compilations")).hasValueSatisfying(g -> assertThat(g.value()).isPositive());
            assertThat(reported.gauge(prefix + "classes_loaded")).hasValueSatisfying(g ->
                    assertThat(g.value()).isGreaterThan(400));
        }
        Path dir = results.resolve("cpuboost");
        for (BoostedStartResult t : run.trials()) {
            String name = "sh-" + t.configuration().id() + "-round" + (t.round() + 1);
            Path kept = dir.resolve("ProcessCases.recordsTheJvm-" + name + ".jfr");
            assertThat(kept).hasSameBinaryContentAs(t.jvmRecording().get().file().orElseThrow());
            assertThat(reported.attachments()).filteredOn(a -> a.name().equals("JVM recording " + name
                    + " (JDK Mission Control)")).singleElement().satisfies(a -> {
                        assertThat(a.group()).isEqualTo(Attachment.DATA);
                        assertThat(a.content()).isEqualTo(Files.readAllBytes(kept));
                    });
        }
        assertThat(dir.resolve("ProcessCases.recordsTheJvm-raw_results.csv")).content()
                .contains(",jvm_jit_seconds,jvm_compilations,jvm_classes_loaded,");
        assertThat(children()).isEqualTo(before);
    }

    @Test
    @DisplayName("recordJvm on a workload that is no JVM: the report says why there is no recording, jvm() fails clearly")
    void recordsNoJvm() {
        run(ProcessCases.class, "recordsNoJvm").testEvents().assertThatEvents()
                .haveExactly(1, event(test("recordsNoJvm"), finishedSuccessfully()));

        CpuBoostRun run = SEEN.get();
        assertThat(run.trials()).hasSize(4).allSatisfy(t -> {
            assertThat(t.jvm()).isEmpty();
            assertThat(t.jvmRecording().orElseThrow().explanation()).startsWith("no JVM started");
        });
        assertThatThrownBy(() -> run.jvm("python3", "boost-2x")).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("@CpuBoost(recordJvm = true), but no start of python3 in boost-2x has a JVM "
                        + "recording: no JVM started");
        assertThat(REPORTED.get().tables()).filteredOn(t -> t.title().equals(CpuBoostJvmReport.TABLE)).singleElement()
                .satisfies(table -> assertThat(table.rows()).allSatisfy(row -> {
                    assertThat(row.get(2)).isEqualTo("0 of 2");
                    assertThat(row.get(row.size() - 1)).startsWith("no JVM started");
                }));
        assertThat(REPORTED.get().attachments()).noneMatch(a -> a.fileExtension().equals(".jfr"));
    }

    @Test
    @DisplayName("without recordJvm, jvm() says which attribute to set")
    void jvmNeedsRecordJvm() {
        run(ProcessCases.class, "compares");
        assertThatThrownBy(() -> SEEN.get().jvm("python3", "baseline")).isInstanceOf(IllegalStateException.class)
                .hasMessage("no start recorded its JVM: give @CpuBoost(recordJvm = true)");
        assertThat(SEEN.get().trials()).allSatisfy(t -> assertThat(t.jvmRecording()).isEmpty());
        assertThat(REPORTED.get().tables()).noneMatch(t -> t.title().equals(CpuBoostJvmReport.TABLE));
    }
}
