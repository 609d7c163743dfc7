package dev.dyno.examples.diskwrite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.abortedWithReason;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.spi.PerfContext;
import dev.dyno.view.Attachment;
import dev.dyno.view.Chart;
import dev.dyno.view.Step;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

/**
 * {@link DiskWrite} tested as every capability can be: small test classes that use it run on a JUnit engine of their
 * own ({@code EngineTestKit}), and the events, the recording and the files they leave are checked.
 */
@DisplayName("@DiskWrite, the capability (validation, report, timeout, clean-up)")
class DiskWriteCapabilityTests {

    /** Where the fixtures write, relative to the module (surefire's working directory). */
    static final String SCRATCH = "target/disk-write-tests";

    /** Set on the engines these tests start, so that the fixtures run there and nowhere else. */
    static final String FIXTURES_PROPERTY = "diskwrite.fixtures";

    /** What each fixture method's test recorded, by method name, taken after it ran however it ended. */
    static final Map<String, MetricsSnapshot> RECORDED = new ConcurrentHashMap<>();
    /** Scratch directories each fixture method saw while it ran. */
    static final Map<String, Long> SCRATCH_DIRECTORIES_DURING = new ConcurrentHashMap<>();

    @TempDir
    Path results;

    @BeforeEach
    void emptyScratch() throws IOException {
        RECORDED.clear();
        SCRATCH_DIRECTORIES_DURING.clear();
        Files.createDirectories(Path.of(SCRATCH));
        new ScratchDirectory(Path.of(SCRATCH)).close();
        Files.createDirectories(Path.of(SCRATCH));
    }

    // tag::engine-test-kit[]
    private EngineExecutionResults run(Class<?> testClass) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testClass))
                .configurationParameter(DynoConfiguration.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, DynoConfiguration.HISTORY_OFF)
                .configurationParameter(DynoConfiguration.SKIPS_PROPERTY, "skip")
                .configurationParameter(FIXTURES_PROPERTY, "true")
                .execute();
    }

    @Test
    @DisplayName("stops at the test's @Timeout, reports what it measured, and deletes its files")
    void stopsAtTheTimeout() throws IOException {
        run(TimingOut.class).testEvents().assertThatEvents().haveExactly(1,
                event(test("endless"), finishedWithFailure(instanceOf(TimeoutException.class))));

        MetricsSnapshot recorded = RECORDED.get("endless");
        assertThat(recorded.counter("disk.writes")).isPositive().isLessThan(DiskWrite.MAX_WRITES);
        assertThat(recorded.steps()).extracting(Step::name).containsExactly("@DiskWrite run", "write 4KiB blocks");
        assertThat(recorded.steps().get(1).passed()).as("the block size was not finished").isFalse();
        assertThat(SCRATCH_DIRECTORIES_DURING).doesNotContainKey("endless");   // the method never ran
        assertThat(scratchDirectories()).isZero();
        assertThat(onlyResultsFile().path("status").asText()).isEqualTo("broken");
    }
    // end::engine-test-kit[]

    @Test
    @DisplayName("writes every block size, records metrics, charts, a CSV and a step each, and hands the run over")
    void reports() throws IOException {
        run(Passing.class).testEvents().assertThatEvents().haveExactly(1,
                event(test("twoSizes"), finishedSuccessfully()));

        MetricsSnapshot recorded = RECORDED.get("twoSizes");
        assertThat(recorded.timer("disk.write.4KiB").orElseThrow().count()).isEqualTo(8);
        assertThat(recorded.timer("disk.write.64KiB").orElseThrow().count()).isEqualTo(8);
        assertThat(recorded.counter("disk.writes")).isEqualTo(16);
        assertThat(recorded.counter("disk.bytes")).isEqualTo(8 * 4 * 1024 + 8 * 64 * 1024);
        assertThat(recorded.gauge("disk.throughput.64KiB").orElseThrow().value()).isPositive();
        assertThat(recorded.attributes()).containsKey("disk.filesystem");
        assertThat(recorded.steps()).extracting(Step::name)
                .containsExactly("@DiskWrite run", "write 4KiB blocks", "write 64KiB blocks");
        assertThat(recorded.steps()).allMatch(Step::passed);
        assertThat(recorded.charts()).extracting(Chart::kind).containsExactly(Chart.Kind.BARS, Chart.Kind.XY);
        assertThat(recorded.charts().get(0).series().get(0).categories()).containsExactly("4KiB", "64KiB");
        assertThat(recorded.charts().get(1).series()).extracting(s -> s.name()).containsExactly("4KiB", "64KiB");
        Attachment csv = recorded.attachments().get(0);
        assertThat(new String(csv.content(), StandardCharsets.UTF_8).lines())
                .hasSize(3).first().isEqualTo("block_kib,writes,seconds,mib_per_s,p50_us,p99_us,max_us");
        JsonNode thresholds = onlyResultsFile().path("thresholds");
        assertThat(thresholds).hasSize(1);
        assertThat(thresholds.get(0).path("expression").asText()).isEqualTo("disk.writes == 16");
        assertThat(thresholds.get(0).path("passed").asBoolean()).isTrue();
    }

    @Test
    @DisplayName("creates its directory for the test only: none before, one while the method runs, none after")
    void cleansUp() {
        assertThat(scratchDirectories()).isZero();

        run(Passing.class).testEvents().assertThatEvents().haveExactly(1,
                event(test("twoSizes"), finishedSuccessfully()));

        assertThat(SCRATCH_DIRECTORIES_DURING).containsEntry("twoSizes", 1L);
        assertThat(scratchDirectories()).isZero();
    }

    @Test
    @DisplayName("skips, with the reason, where the directory has too little free space for the file")
    void skipsWithoutSpace() {
        run(TooLarge.class).testEvents().assertThatEvents().haveExactly(1, event(test("petabytes"),
                abortedWithReason(message(m -> m.startsWith("@DiskWrite needs " + DiskWrite.MAX_FILE_MB
                        + " MiB free in ") && m.contains(" for its file; there are ")))));
        assertThat(scratchDirectories()).isZero();
    }

    static Stream<Arguments> badInput() {
        return Stream.of(
                Arguments.of(NoBlockSize.class,
                        "@DiskWrite(blockSizesKb) is {}; it must be at least one block size, such as {4, 64, 1024}"),
                Arguments.of(ZeroBlockSize.class,
                        "@DiskWrite(blockSizesKb) is [4, 0]; it must be each block size from 1 to 65536 KiB, but 0 is not"),
                Arguments.of(TwiceTheSameBlockSize.class,
                        "@DiskWrite(blockSizesKb) is [64, 64]; it must be each block size once"),
                Arguments.of(NoWrites.class, "@DiskWrite(writes) is 0; it must be from 1 to 100000000"),
                Arguments.of(FileSmallerThanABlock.class, "@DiskWrite(fileSizeMb) is 1; it must be from 4 "
                        + "(the largest block, 4096 KiB, must fit) to 16777216"),
                Arguments.of(NoSuchDirectory.class, "@DiskWrite(directory) is \"target/no-such-directory\"; it must "
                        + "be an existing directory; " + Path.of("target/no-such-directory").toAbsolutePath()
                        + " is not one"),
                Arguments.of(MalformedThreshold.class, "@DiskWrite(thresholds) value \"disk.write.4KiB p99 < soon\""));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badInput")
    @DisplayName("rejects bad input, naming the attribute, the value and what is allowed, before writing anything")
    void rejectsBadInput(Class<?> fixture, String expected) {
        run(fixture).testEvents().assertThatEvents().haveExactly(1, event(test("bad"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith(expected)))));
        assertThat(scratchDirectories()).isZero();
    }

    private static long scratchDirectories() {
        try (Stream<Path> entries = Files.list(Path.of(SCRATCH))) {
            return entries.filter(p -> p.getFileName().toString().startsWith(ScratchDirectory.PREFIX)).count();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private JsonNode onlyResultsFile() throws IOException {
        try (Stream<Path> files = Files.list(results)) {
            List<Path> json = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(json).hasSize(1);
            return new ObjectMapper().readTree(json.get(0).toFile());
        }
    }

    /** A class of test cases that these tests run on an engine of their own. */
    @Target(ElementType.TYPE)
    @Retention(RetentionPolicy.RUNTIME)
    @ExtendWith({OnlyOnTheirEngine.class, KeepsTheRecording.class})
    @interface Fixture {
    }

    /** Keeps what a fixture's test recorded, after the method, however it ended. */
    static class KeepsTheRecording implements AfterTestExecutionCallback {
        @Override
        public void afterTestExecution(ExtensionContext context) {
            RECORDED.put(context.getRequiredTestMethod().getName(), PerfContext.recorder(context).snapshot());
        }
    }

    /** Surefire given {@code -Dtest=DiskWrite*} would run the fixtures too, where they mean nothing. */
    static class OnlyOnTheirEngine implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(FIXTURES_PROPERTY).isPresent()
                    ? ConditionEvaluationResult.enabled("run by DiskWriteCapabilityTests")
                    : ConditionEvaluationResult.disabled("a fixture of DiskWriteCapabilityTests, which runs it");
        }
    }

    // --- the fixtures: run by the tests above on an engine of their own, never by surefire directly ------------

    @Fixture
    static class Passing {
        @DiskWrite(blockSizesKb = {4, 64}, writes = 8, fileSizeMb = 1, directory = SCRATCH,
                thresholds = "disk.writes == 16")
        void twoSizes(DiskWriteRun run) {
            SCRATCH_DIRECTORIES_DURING.put("twoSizes", scratchDirectories());
            assertThat(run.complete()).isTrue();
        }
    }

    // tag::timeout-fixture[]
    @Fixture
    static class TimingOut {
        @DiskWrite(blockSizesKb = {4, 64}, writes = DiskWrite.MAX_WRITES, fileSizeMb = 1, directory = SCRATCH)
        @Timeout(value = 500, unit = TimeUnit.MILLISECONDS)
        void endless(DiskWriteRun run) {
            SCRATCH_DIRECTORIES_DURING.put("endless", scratchDirectories());
        }
    }
    // end::timeout-fixture[]

    @Fixture
    static class TooLarge {
        @DiskWrite(blockSizesKb = 4, fileSizeMb = DiskWrite.MAX_FILE_MB, directory = SCRATCH)
        void petabytes(DiskWriteRun run) {
        }
    }

    @Fixture
    static class NoBlockSize {
        @DiskWrite(blockSizesKb = {}, directory = SCRATCH)
        void bad(DiskWriteRun run) {
        }
    }

    @Fixture
    static class ZeroBlockSize {
        @DiskWrite(blockSizesKb = {4, 0}, directory = SCRATCH)
        void bad(DiskWriteRun run) {
        }
    }

    @Fixture
    static class TwiceTheSameBlockSize {
        @DiskWrite(blockSizesKb = {64, 64}, directory = SCRATCH)
        void bad(DiskWriteRun run) {
        }
    }

    @Fixture
    static class NoWrites {
        @DiskWrite(writes = 0, directory = SCRATCH)
        void bad(DiskWriteRun run) {
        }
    }

    @Fixture
    static class FileSmallerThanABlock {
        @DiskWrite(blockSizesKb = 4096, fileSizeMb = 1, directory = SCRATCH)
        void bad(DiskWriteRun run) {
        }
    }

    @Fixture
    static class NoSuchDirectory {
        @DiskWrite(directory = "target/no-such-directory")
        void bad(DiskWriteRun run) {
        }
    }

    @Fixture
    static class MalformedThreshold {
        @DiskWrite(directory = SCRATCH, thresholds = "disk.write.4KiB p99 < soon")
        void bad(DiskWriteRun run) {
        }
    }
}
