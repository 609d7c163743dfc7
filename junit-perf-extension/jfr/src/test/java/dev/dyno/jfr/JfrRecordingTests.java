package dev.dyno.jfr;

import static dev.dyno.assertions.PerfAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Recorder;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedEvent;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

@DisplayName("@JfrRecording")
class JfrRecordingTests {

    private static final long MB = 1024 * 1024;

    /**
     * The nested {@code …TestCase} fixtures run only through the engine test kit, which passes this
     * parameter; a build's filter ({@code -Dtest='Jfr*'}) that picks them up finds them disabled, not
     * failed (several fail on purpose).
     */
    private static final String FIXTURES_PARAMETER = "dyno.jfr.fixtures";
    static final String FIXTURES_RUN = "dev.dyno.jfr.JfrRecordingTests#startedByTheTestKit";

    static boolean startedByTheTestKit(ExtensionContext context) {
        return context.getConfigurationParameter(FIXTURES_PARAMETER).isPresent();
    }

    @TempDir
    Path results;

    private EngineExecutionResults run(Class<?> testCase, String... configuration) {
        return run(results, testCase, configuration);
    }

    /** Runs a fixture class with its results under {@code results}, and configuration parameters as name, value pairs. */
    static EngineExecutionResults run(Path results, Class<?> testCase, String... configuration) {
        var request = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(testCase))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, "off")
                .configurationParameter(FIXTURES_PARAMETER, "true");
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            request.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return request.execute();
    }

    private JsonNode result() throws IOException {
        return result(results);
    }

    /** The results file of the one test run under {@code results}. */
    static JsonNode result(Path results) throws IOException {
        try (Stream<Path> files = Files.list(results)) {
            Path file = files.filter(f -> f.toString().endsWith(".json")).findFirst().orElseThrow();
            return new ObjectMapper().readTree(file.toFile());
        }
    }

    private List<Path> kept(String suffix) throws IOException {
        Path jfr = results.resolve("jfr");
        if (!Files.isDirectory(jfr)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(jfr)) {
            return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
    }

    // ---- fixtures ----

    @EnabledIf(FIXTURES_RUN)
    static class AllocatingTestCase {
        static volatile Object sink;

        @PerfTest(thresholds = {"jfr.allocation.bytes.test_thread >= 64MB", "jfr.allocation.bytes >= 64MB"})
        @JfrRecording
        void allocates(Recorder recorder) {
            for (int i = 0; i < 64; i++) {
                sink = new byte[1024 * 1024];
            }
        }
    }

    @EnabledIf(FIXTURES_RUN)
    static class AllocationBreachTestCase {
        @PerfTest(thresholds = "jfr.allocation.bytes.test_thread < 64MB")
        @JfrRecording(allocationProfile = true)
        void allocatesTooMuch(Recorder recorder) {
            for (int i = 0; i < 80; i++) {
                AllocatingTestCase.sink = new byte[1024 * 1024];
            }
            busyWork();
        }
    }

    @EnabledIf(FIXTURES_RUN)
    static class GcTestCase {
        @PerfTest(thresholds = {"jfr.gc.count >= 1", "jfr.gc.pause count >= 1"})
        @JfrRecording
        void collects(Recorder recorder, JfrEvents jfr) {
            System.gc();
            JfrAssertions.assertThat(jfr).events("jdk.GarbageCollection").hasCountAtLeast(1);
        }
    }

    /** The monitor the contention fixture fights over. */
    static final class Book {
    }

    @EnabledIf(FIXTURES_RUN)
    static class ContentionTestCase {
        @PerfTest(thresholds = "jfr.monitor.blocked count >= 1")
        @JfrRecording(events = "jdk.JavaMonitorEnter")
        void contends(Recorder recorder, JfrEvents jfr) throws InterruptedException {
            Book book = new Book();
            CountDownLatch held = new CountDownLatch(1);
            Thread holder = new Thread(() -> {
                synchronized (book) {
                    held.countDown();
                    sleep(100);
                }
            }, "book-holder");
            holder.start();
            held.await();
            synchronized (book) {
                recorder.increment("entered");
            }
            holder.join();
            JfrAssertions.assertThat(jfr).monitorEnters().on(Book.class).hasCountAtLeast(1);
        }
    }

    @EnabledIf(FIXTURES_RUN)
    static class FiguresTestCase {
        @PerfTest
        @JfrRecording
        void works(Recorder recorder) {
            busyWork();
            // a proxy class in a class loader of its own: a class loaded in this method, however often it runs
            Proxy.newProxyInstance(new URLClassLoader(new URL[0]), new Class<?>[] {Runnable.class},
                    (proxy, method, arguments) -> null);
        }
    }

    @EnabledIf(FIXTURES_RUN)
    static class UnknownEventTestCase {
        static final AtomicBoolean ran = new AtomicBoolean();

        @PerfTest
        @JfrRecording(events = "jdk.MonitorEnterr")
        void misspelt() {
            ran.set(true);
        }
    }

    @EnabledIf(FIXTURES_RUN)
    static class UnknownSettingsTestCase {
        static final AtomicBoolean ran = new AtomicBoolean();

        @PerfTest
        @JfrRecording(settings = "everything")
        void unknownSettings() {
            ran.set(true);
        }
    }

    @EnabledIf(FIXTURES_RUN)
    static class NotAPerfTestTestCase {
        static final AtomicBoolean ran = new AtomicBoolean();

        @Test
        @JfrRecording
        void plain() {
            ran.set(true);
        }
    }

    /**
     * Skips (a JUnit assumption, listed in the run's skip summary) where this JVM's JFR takes no execution samples of
     * a busy thread. Seen with OpenJDK 17.0.15 on a 6.18 kernel: 0 samples in 1 s of busy work, where JDK 25 on the
     * same machine takes 99. A flame graph from JFR cannot show busyWork there, whatever Dyno does.
     */
    static void assumeJfrSamplesThreads() throws IOException {
        Path file = Files.createTempFile("dyno-jfr-probe", ".jfr");
        try (jdk.jfr.Recording probe = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"))) {
            probe.start();
            busyWork();
            probe.stop();
            probe.dump(file);
            long samples = jdk.jfr.consumer.RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals("jdk.ExecutionSample")).count();
            org.junit.jupiter.api.Assumptions.assumeTrue(samples >= 5, () -> "JFR took " + samples
                    + " execution samples in 300 ms of busy work on Java " + System.getProperty("java.version") + ", "
                    + System.getProperty("os.name") + " " + System.getProperty("os.version")
                    + ": its sampler does not work on this JVM and kernel");
        } catch (java.text.ParseException e) {
            throw new IllegalStateException(e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static void busyWork() {
        long end = System.nanoTime() + 300_000_000L;
        double x = 0;
        while (System.nanoTime() < end) {
            x += Math.sqrt(x + 1);
        }
        AllocatingTestCase.sink = x;
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- tests ----

    @Test
    @DisplayName("records 64 MB allocated in the method as jfr.allocation.bytes and .test_thread, which thresholds in MB read")
    void allocation() throws IOException {
        run(AllocatingTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JsonNode result = result();
        assertThat(result.at("/metrics/counters/jfr.allocation.bytes.test_thread").asLong()).isGreaterThanOrEqualTo(64 * MB);
        assertThat(result.at("/metrics/counters/jfr.allocation.bytes").asLong())
                .isGreaterThanOrEqualTo(result.at("/metrics/counters/jfr.allocation.bytes.test_thread").asLong());
        assertThat(kept(".jfr")).hasSize(1);
        assertThat(result.at("/parameters/jfr.recording").asText()).isEqualTo(kept(".jfr").get(0).toString());
        assertThat(kept(".html")).as("flame graphs of a passing test, by default").isEmpty();
    }

    @Test
    @DisplayName("attaches CPU and allocation flame graphs when a threshold is breached, and says where they came from")
    void flameGraphsOnFailure() throws IOException {
        run(AllocationBreachTestCase.class).testEvents().assertThatEvents().haveExactly(1,
                event(test("allocatesTooMuch"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message(m -> m.contains("✗ jfr.allocation.bytes.test_thread < 64MB")))));
        assertThat(kept(".cpu.html")).singleElement().satisfies(html ->
                assertThat(Files.readString(html)).contains("<!DOCTYPE html>", "busyWork"));
        assertThat(kept(".alloc.html")).singleElement().satisfies(html ->
                assertThat(Files.readString(html)).contains("byte[]"));
        assertThat(result().at("/parameters/jfr.flamegraph.source").asText())
                .matches("async-profiler .*|JFR jdk.ExecutionSample.*");
    }

    @Test
    @DisplayName("attaches the recording as data, and the flame graphs as pages only when the test did not pass")
    void attachments() throws IOException {
        Recorder failed = reported("failed", JfrSession.FlameGraphMode.ON_FAILURE);
        assertThat(failed.snapshot().attachments()).satisfiesExactly(jfr -> {
            assertThat(jfr.name()).startsWith("JFR recording ").endsWith(".jfr (JDK Mission Control)");
            assertThat(jfr.mediaType()).isEqualTo("application/octet-stream");
            assertThat(jfr.fileExtension()).isEqualTo(".jfr");
            assertThat(jfr.group()).isEqualTo(dev.dyno.view.Attachment.DATA);
            assertThat(jfr.content()).isEqualTo(Files.readAllBytes(results.resolve("jfr/failed-ON_FAILURE.jfr")));
        }, cpu -> {
            assertThat(cpu.name()).isEqualTo("CPU flame graph of JfrRecordingTests.attachments");
            assertThat(cpu.mediaType()).isEqualTo("text/html");
            assertThat(cpu.group()).isEqualTo(dev.dyno.view.Attachment.PAGE);
            assertThat(new String(cpu.content(), java.nio.charset.StandardCharsets.UTF_8)).contains("<!DOCTYPE html>");
        }, alloc -> assertThat(alloc.name()).isEqualTo("Allocation flame graph of JfrRecordingTests.attachments"));

        assertThat(reported("passed", JfrSession.FlameGraphMode.ON_FAILURE).snapshot().attachments())
                .as("a passing test's attachments").extracting(dev.dyno.view.Attachment::fileExtension).containsExactly(".jfr");
        assertThat(reported("passed", JfrSession.FlameGraphMode.ALWAYS).snapshot().attachments())
                .as("with flame graphs always").extracting(dev.dyno.view.Attachment::group)
                .containsExactly(dev.dyno.view.Attachment.DATA, dev.dyno.view.Attachment.PAGE, dev.dyno.view.Attachment.PAGE);
    }

    @Test
    @DisplayName("says how many CPU samples a flame graph has, and that a handful shows nothing, with the reason")
    void samplesNoted() {
        assertThat(JfrSession.samplesNote(412, true)).isEqualTo("412 CPU samples");
        assertThat(JfrSession.samplesNote(3, true)).startsWith("3 CPU samples: too few to show where the time went")
                .contains("less than 10 of async-profiler's 10ms intervals");
        assertThat(JfrSession.samplesNote(0, false)).startsWith("0 CPU samples: too few")
                .contains("jdk.ExecutionSample takes almost none");
        // a method that burns CPU gets its samples counted in the report
        Recorder busy = reported("failed", JfrSession.FlameGraphMode.ON_FAILURE);
        assertThat(busy.snapshot().attributes()).containsKey(JfrSession.SAMPLES_ATTRIBUTE);
        assertThat(busy.snapshot().attributes().get(JfrSession.SAMPLES_ATTRIBUTE)).matches("\\d+ CPU samples.*");
    }

    /** A session recorded around some work, reported with {@code status}; its recorder. */
    private Recorder reported(String status, JfrSession.FlameGraphMode flameGraphs) {
        Recorder recorder = Recorder.create();
        try (JfrSession session = new JfrSession(JfrRecordingExtension.settings(AllocationBreachTestCase.class
                .getDeclaredMethods()[0].getAnnotation(JfrRecording.class)), true, new String[0], flameGraphs, results.resolve("jfr"),
                status + "-" + flameGraphs)) {
            session.start();
            busyWork();
            session.stop(recorder);
            session.report(new dev.dyno.report.TestOutcome("id", JfrRecordingTests.class.getName(), "attachments",
                    "attachments()", status, null, java.time.Instant.now(), Duration.ZERO, recorder.snapshot(), List.of()),
                    recorder);
        }
        return recorder;
    }

    @Test
    @DisplayName("makes flame graphs from JFR's execution samples when async-profiler is busy or cannot load")
    void flameGraphsFromJfr() throws IOException {
        assumeJfrSamplesThreads();
        String notStarted = AsyncProfilerSession.start(results.resolve("held-elsewhere.jfr"), false);
        try {
            run(FiguresTestCase.class, DynoConfiguration.JFR_FLAMEGRAPHS_PROPERTY, "always")
                    .testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        } finally {
            if (notStarted == null) {
                AsyncProfilerSession.stop();
            }
        }
        assertThat(result().at("/parameters/jfr.flamegraph.source").asText())
                .startsWith("JFR jdk.ExecutionSample (async-profiler: ");
        assertThat(kept(".cpu.html")).singleElement().satisfies(html ->
                assertThat(Files.readString(html)).contains("busyWork"));
    }

    @Test
    @DisplayName("makes no flame graph and leaves async-profiler alone with dyno.jfr.flamegraphs = never")
    void noFlameGraphs() throws IOException {
        run(AllocationBreachTestCase.class, DynoConfiguration.JFR_FLAMEGRAPHS_PROPERTY, "never")
                .testEvents().assertStatistics(s -> s.started(1).failed(1));
        assertThat(kept(".html")).isEmpty();
        assertThat(kept(".jfr")).hasSize(1);
        assertThat(result().at("/parameters/jfr.flamegraph.source").asText())
                .isEqualTo("none (dyno.jfr.flamegraphs = never)");
    }

    @Test
    @DisplayName("counts a System.gc() in the method as a garbage collection with a pause")
    void garbageCollection() throws IOException {
        run(GcTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        assertThat(result().at("/metrics/counters/jfr.gc.count").asLong()).isGreaterThanOrEqualTo(1);
    }

    @Test
    @DisplayName("shows contention on a synchronized monitor as events, the timer jfr.monitor.blocked and a table by class")
    void contention() throws IOException {
        run(ContentionTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JsonNode result = result();
        assertThat(result.at("/metrics/timers/jfr.monitor.blocked/count").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode table = Stream.of(result.get("tables")).flatMap(t -> Stream.iterate(0, i -> i < t.size(), i -> i + 1)
                .map(t::get)).filter(t -> t.get("title").asText().equals(JfrMetrics.MONITOR_TABLE)).findFirst().orElseThrow();
        assertThat(table.at("/rows/0/0").asText()).isEqualTo(Book.class.getName());
    }

    @Test
    @DisplayName("fails event assertions with the messages of their factories")
    void assertionMessages() throws IOException {
        run(ContentionTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JfrEvents events = JfrEvents.read(kept(".jfr").get(0));
        List<RecordedEvent> enters = events.events("jdk.JavaMonitorEnter").stream()
                .filter(e -> e.getClass("monitorClass").getName().equals(Book.class.getName()))
                .sorted((a, b) -> b.getDuration().compareTo(a.getDuration())).toList();
        String what = "monitor enters on " + Book.class.getName();

        assertThatThrownBy(() -> JfrAssertions.assertThat(events).monitorEnters().on(Book.class)
                .noneLongerThan(Duration.ofMillis(1)))
                .hasMessage(ShouldNotLastLongerThan.shouldNotLastLongerThan(what, Duration.ofMillis(1), enters.size(),
                        enters.stream().limit(5).map(JfrEventsAssert::describe).toList()).create());
        assertThatThrownBy(() -> JfrAssertions.assertThat(events).monitorEnters().on(Book.class).hasNone())
                .hasMessage(ShouldHaveEvents.shouldHaveNone(what, enters.size(), JfrEventsAssert.describe(enters.get(0)))
                        .create());
        assertThatThrownBy(() -> JfrAssertions.assertThat(events).monitorEnters().on(String.class).hasCountAtLeast(1))
                .hasMessage(ShouldHaveEvents.shouldHaveAtLeast("monitor enters on java.lang.String", 1, 0).create());
        assertThat(JfrEventsAssert.describe(enters.get(0))).contains("on thread \"main\"", "monitorClass "
                + Book.class.getName(), "at " + ContentionTestCase.class.getName() + ".contends:");
        JfrAssertions.assertThat(events).noMonitorEnterLongerThan(Duration.ofMinutes(1));
    }

    @Test
    @DisplayName("records JIT compilation, safepoints, classes loaded and CPU load of the method")
    void otherFigures() throws IOException {
        run(FiguresTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JsonNode result = result();
        assertThat(result.at("/metrics/counters/jfr.classes.loaded").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(result.at("/metrics/timers/jfr.jit.compilation/count").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(result.at("/metrics/timers/jfr.safepoint").isMissingNode()).isFalse();
        assertThat(result.at("/metrics/series/jfr.cpu.jvm").isMissingNode()).isFalse();
        assertThat(result.at("/metrics/series/jfr.cpu.machine").isMissingNode()).isFalse();
    }

    @Test
    @DisplayName("refuses an unknown event type before the method runs, naming it and the types that exist")
    void unknownEventType() {
        UnknownEventTestCase.ran.set(false);
        run(UnknownEventTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("misspelt"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(m -> m.startsWith(
                        "@JfrRecording(events) value \"jdk.MonitorEnterr\" is not a JFR event type of this JVM")
                        && m.contains("Known types: ") && m.contains("jdk.JavaMonitorEnter")))));
        assertThat(UnknownEventTestCase.ran).isFalse();
    }

    @Test
    @DisplayName("refuses a settings name the JDK does not have, before the method runs, naming those it has")
    void unknownSettings() {
        UnknownSettingsTestCase.ran.set(false);
        run(UnknownSettingsTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("unknownSettings"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class), message(
                        "@JfrRecording(settings) value \"everything\" is not a JFR configuration of this JDK:"
                                + " allowed are [default, profile]"))));
        assertThat(UnknownSettingsTestCase.ran).isFalse();
    }

    @Test
    @DisplayName("refuses @JfrRecording on a method that is not a @PerfTest")
    void notAPerfTest() {
        NotAPerfTestTestCase.ran.set(false);
        run(NotAPerfTestTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("plain"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message("@JfrRecording on plain, which is not a perf test: annotate it with @PerfTest (or @Perf on a template) too"))));
        assertThat(NotAPerfTestTestCase.ran).isFalse();
    }

    @Test
    @DisplayName("JfrEvents refuses an event type that does not exist, or that the recording does not record")
    void eventsOfAType() throws IOException {
        run(GcTestCase.class).testEvents().assertStatistics(s -> s.started(1).succeeded(1));
        JfrEvents events = JfrEvents.read(kept(".jfr").get(0));
        assertThatThrownBy(() -> events.events("jdk.GarbageCollectoin"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("\"jdk.GarbageCollectoin\" is not a JFR event type of this JVM")
                .hasMessageContaining("jdk.GarbageCollection");
        JfrEvents recording = new JfrSession(JfrRecordingExtension.settings(
                GcTestCase.class.getDeclaredMethods()[0].getAnnotation(JfrRecording.class)), false,
                new String[0], JfrSession.FlameGraphMode.NEVER, results, "unused").events();
        assertThatThrownBy(() -> recording.events("jdk.ClassLoad"))
                .hasMessage("\"jdk.ClassLoad\" is not recorded by this recording's settings: name it in"
                        + " @JfrRecording(events) to record it");
    }
}
