package dev.dyno.longtail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.config.SkipForbiddenException;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import dev.dyno.view.Attachment;
import dev.dyno.view.Chart;
import dev.dyno.view.Series;
import dev.dyno.view.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

@DisplayName("@LongTailScheduler")
class LongTailSchedulerTests {

    @TempDir
    Path results;

    private EngineExecutionResults run(Class<?> testCase, String method, String... configuration) {
        java.lang.reflect.Method target = java.util.Arrays.stream(testCase.getDeclaredMethods())
                .filter(m -> m.getName().equals(method)).findFirst().orElseThrow();
        var request = EngineTestKit.engine("junit-jupiter").selectors(selectMethod(testCase, target))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(FixtureCondition.PARAMETER, "true");
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            request.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return request.execute();
    }

    private static long children() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    }

    @Test
    @DisplayName("runs every policy in interleaved rounds and hands the test a LongTailRun with the guide's result")
    void runsAndResolves() throws IOException {
        long before = children();
        ExperimentTestCase.seen.set(null);
        ExperimentTestCase.reported.set(null);

        run(ExperimentTestCase.class, "compares").testEvents().assertThatEvents()
                .haveExactly(1, event(test("compares"), finishedSuccessfully()));

        LongTailRun run = ExperimentTestCase.seen.get();
        assertThat(run.policies()).containsExactly("default", "long-tail-aware", "reversed");
        assertThat(run.runs()).extracting(PolicyRun::policy).containsExactly("default", "long-tail-aware", "reversed",
                "long-tail-aware", "reversed", "default");
        assertThat(run.runs()).allSatisfy(r -> assertThat(r.tasks()).hasSize(3));
        assertThat(run.runs("reversed")).allSatisfy(r -> assertThat(r.tasks().get(0).id()).isEqualTo("long-1"));
        assertThat(run.guideResults()).hasSize(3).allSatisfy(result -> {
            assertThat(result).containsKeys("test_id", "status", "test_time", "expected_improvement", "process_analysis");
            assertThat(result.get("status")).isEqualTo("success");
        });
        assertThat(run.guideResultsJson()).contains("\"long_tail_detected\"", "\"skew_ratio\"");
        MetricsSnapshot report = ExperimentTestCase.reported.get();
        assertReportedAsData(run, report);
        try (Stream<Path> files = Files.walk(results.resolve("longtail"))) {
            assertThat(files.filter(Files::isRegularFile)).singleElement()
                    .satisfies(f -> assertThat(f.getFileName().toString()).isEqualTo("ExperimentTestCase.compares-tasks.json"));
        }
        assertThat(children()).isEqualTo(before);
    }

    /** The charts, steps and attachments of {@code run}, as data. */
    private static void assertReportedAsData(LongTailRun run, MetricsSnapshot report) {
        double bound = run.lowerBound().toNanos() / 1e9;
        assertThat(report.charts()).extracting(Chart::title).containsExactly(
                "tasks: makespan of every run, with the lower bound",
                "tasks: tasks running, median run of each policy",
                "tasks: when each task ended, median run of each policy",
                "tasks: improvement over default by round, with the confidence interval");
        assertThat(report.charts()).allSatisfy(chart -> {
            assertThat(chart.isEmpty()).isFalse();
            assertThat(chart.series()).extracting(Series::group).isSubsetOf(run.policies());
        });
        assertThat(report.charts().subList(0, 3)).allSatisfy(chart -> {
            assertThat(chart.series()).extracting(Series::group).containsAll(run.policies());
            assertThat(chart.markers()).singleElement().satisfies(m -> {
                assertThat(m.value()).isEqualTo(bound);
                assertThat(m.label()).startsWith("lower bound ");
            });
        });
        Chart makespans = report.charts().get(0);
        assertThat(makespans.markers().get(0).vertical()).as("makespans are on y").isFalse();
        assertThat(makespans.series()).filteredOn(s -> s.name().equals("default")).singleElement()
                .satisfies(s -> assertThat(s.y()).containsExactlyInAnyOrder(run.runs("default").stream()
                        .mapToDouble(r -> r.makespan().toNanos() / 1e9).toArray()));
        Chart running = report.charts().get(1);
        assertThat(running.markers().get(0).vertical()).as("time is on x").isTrue();
        assertThat(running.series()).hasSize(3).allSatisfy(s -> {
            assertThat(s.style()).isEqualTo(Series.Style.STEP);
            assertThat(s.y()).as("every task ends").endsWith(0);
            assertThat(java.util.Arrays.stream(s.y()).max().orElseThrow()).isBetween(1.0, 3.0);
        });
        assertThat(running.series().get(0).y()).as("default starts all three at once").contains(3);
        Chart ends = report.charts().get(2);
        assertThat(ends.series()).allSatisfy(s -> assertThat(s.categories()).containsExactly("short-01", "short-02",
                "long-1"));
        Chart improvements = report.charts().get(3);
        assertThat(improvements.series()).extracting(Series::group).containsOnly("long-tail-aware", "reversed");
        assertThat(improvements.markers()).singleElement().satisfies(m -> assertThat(m.value()).isZero());
        assertThat(improvements.y().min().orElseThrow()).as("no change stays in sight").isLessThanOrEqualTo(0);

        List<Step> rounds = report.steps().stream().filter(step -> step.name().startsWith("round ")).toList();
        assertThat(rounds).extracting(Step::name).containsExactly("round 1/2: default",
                "round 1/2: long-tail-aware", "round 1/2: reversed", "round 2/2: long-tail-aware",
                "round 2/2: reversed", "round 2/2: default");
        for (int i = 0; i < run.runs().size(); i++) {
            Step step = rounds.get(i);
            assertThat(step.passed()).isTrue();
            assertThat(step.duration()).as("a step spans its run").isGreaterThanOrEqualTo(run.runs().get(i).makespan());
            if (i > 0) {
                assertThat(step.start()).as("steps ran one after the other").isAfterOrEqualTo(
                        rounds.get(i - 1).end());
            }
        }
        assertThat(report.attachments()).extracting(Attachment::name)
                .containsExactly("result (guide format)", "tasks of every run");
        assertThat(new String(report.attachments().get(0).content(), java.nio.charset.StandardCharsets.UTF_8))
                .isEqualTo(run.guideResultsJson());
        assertThat(new String(report.attachments().get(1).content(), java.nio.charset.StandardCharsets.UTF_8).lines())
                .hasSize(1 + 6 * 3).first().asString().startsWith("policy,round,task,kind");
    }

    @Test
    @DisplayName("under @Timeout, stops the run in progress, reports the runs that ended and fails with the timeout")
    void timeoutStopsAndReports() throws IOException {
        long before = children();

        run(ExperimentTestCase.class, "endless").testEvents().assertThatEvents()
                .haveExactly(1, event(test("endless"), finishedWithFailure(instanceOf(TimeoutException.class))));

        assertThat(children()).as("the tasks of the run in progress were stopped").isEqualTo(before);
        JsonNode result;
        try (Stream<Path> files = Files.list(results)) {
            result = new ObjectMapper().readTree(files.filter(f -> f.getFileName().toString().contains(
                    "ExperimentTestCase.endless")).findFirst().orElseThrow().toFile());
        }
        assertThat(result.path("status").asText()).isEqualTo("broken");
        assertThat(result.path("metrics").path("timers").path("longtail.default.makespan").path("count").asLong())
                .as("the runs that ended, not all 1000 of default").isPositive().isLessThan(1000);
        assertThat(result.path("tables").findValuesAsText("title")).anySatisfy(title ->
                assertThat(title).startsWith("makespan by policy: tasks"));
        assertThat(results.resolve("longtail").resolve("ExperimentTestCase.endless-tasks.json")).isRegularFile();
    }

    @Test
    @DisplayName("setup, commands and cleanup of every run of every policy share one $DYNO_SHARED_DIR, made once per experiment and removed with it")
    void sharedDirectory() throws IOException {
        Path marks = Path.of(ExperimentTestCase.SHARED_MARKS);
        Files.deleteIfExists(marks);
        try {
            run(ExperimentTestCase.class, "shared").testEvents().assertThatEvents()
                    .haveExactly(1, event(test("shared"), finishedSuccessfully()));
            // 2 policies × 2 rounds × 2 tasks: each setup saw the same directory, the first one made the file
            List<String> seen = Files.readAllLines(marks);
            assertThat(seen).hasSize(8);
            assertThat(seen.stream().map(line -> line.split(" ")[0]).distinct()).hasSize(1);
            assertThat(seen).filteredOn(line -> line.endsWith(" made")).hasSize(1);
            assertThat(Path.of(seen.get(0).split(" ")[0])).as("removed with the experiment").doesNotExist();
        } finally {
            Files.deleteIfExists(marks);
        }
    }

    @Test
    @DisplayName("checks its thresholds on the recorded metrics")
    void thresholds() {
        run(ExperimentTestCase.class, "breaches").testEvents().assertThatEvents()
                .haveExactly(1, event(test("breaches"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("✗ longtail.default.makespan count == 5 (actual 2)")))));
    }

    @Test
    @DisplayName("fails the test naming a task that exits non-zero, leaving no process behind")
    void failingTask() {
        long before = children();

        run(ExperimentTestCase.class, "failingTask").testEvents().assertThatEvents()
                .haveExactly(1, event(test("failingTask"), finishedWithFailure(instanceOf(TaskFailedException.class),
                        message(m -> m.contains("task short-01 (`exit 4`, policy default) exited with 4")))));
        assertThat(children()).isEqualTo(before);
    }

    @Test
    @DisplayName("skips a test that asks for sched_ext on a kernel without it, saying so")
    void schedExtSkipped() {
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isDirectory(Path.of("/sys/kernel/sched_ext")),
                "this kernel has sched_ext");

        run(ExperimentTestCase.class, "schedExt").testEvents().assertThatEvents()
                .haveExactly(1, event(test("schedExt"), abortedWithReason(message(m ->
                        m.contains("policy sched-ext unavailable: this kernel has no sched_ext")))));
    }

    @Test
    @DisplayName("skips a schedcp case whose assets Dyno does not provide, saying which")
    void caseSkipped() {
        run(ExperimentTestCase.class, "hotkey").testEvents().assertThatEvents()
                .haveExactly(1, event(test("hotkey"), abortedWithReason(message(m ->
                        m.contains("task set \"hotkey_aggregation\" cannot run here")
                                && m.contains("assets/spark_skew_prepare.py does not exist")))));
    }

    @Test
    @DisplayName("fails a case it cannot run with the same reason when dyno.skips = fail, and reports a skip as skipped")
    void caseFailsWhenSkipsFail() throws IOException {
        run(ExperimentTestCase.class, "hotkey", DynoConfiguration.SKIPS_PROPERTY, "fail").testEvents().assertThatEvents()
                .haveExactly(1, event(test("hotkey"), finishedWithFailure(instanceOf(SkipForbiddenException.class),
                        message(m -> m.contains("task set \"hotkey_aggregation\" cannot run here")))));

        run(ExperimentTestCase.class, "hotkey");
        try (Stream<Path> files = Files.list(results)) {
            JsonNode result = new ObjectMapper().readTree(files.filter(f -> f.getFileName().toString().contains(
                    "ExperimentTestCase.hotkey")).findFirst().orElseThrow().toFile());
            assertThat(result.get("status").asText()).as("aborted in beforeEach").isEqualTo("skipped");
            assertThat(result.get("failure").asText()).contains("assets/spark_skew_prepare.py does not exist");
        }
    }

    @Test
    @DisplayName("rejects bad attributes before anything starts, naming the attribute, the value and what is allowed")
    void badAttributes() {
        record Case(String method, String message) {
        }
        List<Case> cases = List.of(
                new Case("emptySet", "@LongTailScheduler(shortTasks, longTasks) values 0 and 0 make an empty task set"),
                new Case("oneRepetition", "@LongTailScheduler(repetitions) value 1 is not allowed: expected 2 or more"),
                new Case("badTimeout", "@LongTailScheduler(timeout) value \"2 secs\" is not a duration"),
                new Case("noDefault", "@LongTailScheduler(policies) value [LONG_TAIL_AWARE] is not allowed: expected a "
                        + "list that includes DEFAULT"),
                new Case("caseWithoutId", "@LongTailScheduler(cases, testCase) values \"workloads/longtail/"
                        + "schedcp-test-cases-parallel.json\" and \"\": give both"),
                new Case("missingFile", "@LongTailScheduler(cases) value \"workloads/longtail/absent.json\" is not allowed: "
                        + "expected an existing file"),
                new Case("malformedCase", "testdata/malformed-cases.json: case \"broken\": \"small_commands\" is "
                        + "\"./short\"; expected an array of command strings"),
                new Case("noShortCommand", "@LongTailScheduler(shortCommand) value \"\" is not allowed: expected a shell "
                        + "command for the 39 short tasks"),
                new Case("badPattern", "@LongTailScheduler(longTaskPattern) value \"(long\" is not allowed"),
                new Case("badCustomPolicy", "@LongTailScheduler(customPolicies) value \"" + NoConstructor.class.getName()
                        + "\" is not allowed: expected a concrete SchedulingPolicy with a no-argument constructor"));
        long before = children();
        for (Case c : cases) {
            run(BadAttributesTestCase.class, c.method()).testEvents().assertThatEvents()
                    .haveExactly(1, event(test(c.method()), finishedWithFailure(
                            instanceOf(ExtensionConfigurationException.class), message(m -> m.contains(c.message())))));
        }
        assertThat(children()).isEqualTo(before);
    }

    /** Launches the tasks in reverse order: the SPI at work. */
    public static class ReversedPolicy implements SchedulingPolicy {
        @Override
        public String name() {
            return "reversed";
        }

        @Override
        public List<TaskLaunch> plan(TaskSet taskSet, PlanContext context) {
            List<TaskLaunch> plan = new java.util.ArrayList<>(taskSet.tasks().stream().map(TaskLaunch::of).toList());
            java.util.Collections.reverse(plan);
            return plan;
        }
    }

    static class NoConstructor implements SchedulingPolicy {
        NoConstructor(String ignored) {
        }

        @Override
        public String name() {
            return "none";
        }

        @Override
        public List<TaskLaunch> plan(TaskSet taskSet, PlanContext context) {
            return List.of();
        }
    }

    @ExtendWith(FixtureCondition.class)
    static class ExperimentTestCase {
        static final AtomicReference<LongTailRun> seen = new AtomicReference<>();
        /** Where the shared-directory case's setups say what they saw (a constant: annotations take nothing else). */
        static final String SHARED_MARKS = "/tmp/dyno-longtail-shared-marks.txt";
        static final AtomicReference<MetricsSnapshot> reported = new AtomicReference<>();

        @LongTailScheduler(shortTasks = 2, longTasks = 1, shortCommand = "true", longCommand = "sleep 0.3",
                longTaskPattern = "^sleep$", customPolicies = ReversedPolicy.class, repetitions = 2,
                thresholds = "longtail.default.makespan count == 2")
        void compares(LongTailRun run, Recorder recorder) {
            seen.set(run);
            reported.set(recorder.snapshot());
            assertThat(recorder.snapshot().timers()).containsKeys("longtail.default.makespan", "longtail.lower_bound");
        }

        @LongTailScheduler(shortTasks = 1, longTasks = 1, shortCommand = "true", longCommand = "sleep 0.2",
                repetitions = 1000)
        @Timeout(value = 3, unit = TimeUnit.SECONDS)
        void endless(LongTailRun run) {
            throw new AssertionFailedError("the method runs only after a whole experiment");
        }

        @LongTailScheduler(shortTasks = 1, longTasks = 1, shortCommand = "test -f \"$DYNO_SHARED_DIR/input\"",
                longCommand = "test -f \"$DYNO_SHARED_DIR/input\"", repetitions = 2,
                setup = "flock \"$DYNO_SHARED_DIR/lock\" bash -c 'if [ -f \"$DYNO_SHARED_DIR/input\" ]; then"
                        + " echo \"$DYNO_SHARED_DIR seen\"; else touch \"$DYNO_SHARED_DIR/input\";"
                        + " echo \"$DYNO_SHARED_DIR made\"; fi' >> " + ExperimentTestCase.SHARED_MARKS)
        void shared() {
        }

        @LongTailScheduler(shortTasks = 1, longTasks = 1, shortCommand = "true", longCommand = "true", repetitions = 2,
                thresholds = "longtail.default.makespan count == 5")
        void breaches() {
        }

        @LongTailScheduler(shortTasks = 1, longTasks = 1, shortCommand = "exit 4", longCommand = "sleep 30",
                repetitions = 2)
        void failingTask() {
        }

        @LongTailScheduler(shortTasks = 1, longTasks = 1, shortCommand = "true", longCommand = "true",
                policies = {BuiltInPolicy.DEFAULT, BuiltInPolicy.SCHED_EXT}, schedExtLoader = "./loader")
        void schedExt() {
        }

        @LongTailScheduler(cases = "workloads/longtail/schedcp-test-cases-parallel.json",
                testCase = "hotkey_aggregation", shortTasks = 2)
        void hotkey() {
        }
    }

    @ExtendWith(FixtureCondition.class)
    static class BadAttributesTestCase {
        @LongTailScheduler(shortTasks = 0, longTasks = 0)
        void emptySet() {
        }

        @LongTailScheduler(shortCommand = "true", longCommand = "true", repetitions = 1)
        void oneRepetition() {
        }

        @LongTailScheduler(shortCommand = "true", longCommand = "true", timeout = "2 secs")
        void badTimeout() {
        }

        @LongTailScheduler(shortCommand = "true", longCommand = "true", policies = BuiltInPolicy.LONG_TAIL_AWARE)
        void noDefault() {
        }

        @LongTailScheduler(cases = "workloads/longtail/schedcp-test-cases-parallel.json")
        void caseWithoutId() {
        }

        @LongTailScheduler(cases = "workloads/longtail/absent.json", testCase = "x")
        void missingFile() {
        }

        @LongTailScheduler(cases = "workloads/longtail/testdata/malformed-cases.json", testCase = "broken")
        void malformedCase() {
        }

        @LongTailScheduler(longCommand = "true")
        void noShortCommand() {
        }

        @LongTailScheduler(shortCommand = "true", longCommand = "true", longTaskPattern = "(long")
        void badPattern() {
        }

        @LongTailScheduler(shortCommand = "true", longCommand = "true", customPolicies = NoConstructor.class)
        void badCustomPolicy() {
        }
    }
}
