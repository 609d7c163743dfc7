package dev.dyno.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
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
import dev.dyno.metrics.Recorder;
import java.io.IOException;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;

@DisplayName("The capability lifecycle (validate, run, report, tear down)")
class CapabilityExtensionTests {

    /** What the fixture capability did, in order. */
    static final List<String> EVENTS = new CopyOnWriteArrayList<>();

    @TempDir
    Path results;

    @BeforeEach
    void clear() {
        EVENTS.clear();
    }

    private EngineExecutionResults run(Class<?> testCase) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testCase))
                .configurationParameter(DynoConfiguration.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, DynoConfiguration.HISTORY_OFF)
                .execute();
    }

    @Test
    @DisplayName("validates, runs, reports and hands the result to the method, then closes what it provisioned")
    void fullLifecycle() throws IOException {
        run(Passing.class).testEvents().assertThatEvents().haveExactly(1, event(test("counts"), finishedSuccessfully()));

        assertThat(EVENTS).containsExactly("validate 3", "provision", "run", "report 3", "method 3", "close");
        JsonNode json = new ObjectMapper().readTree(onlyResultsFile());
        assertThat(json.path("metrics").path("counters").path("ticks").asLong()).isEqualTo(3);
    }

    @Test
    @DisplayName("rejects bad input naming the attribute before anything is provisioned")
    void badInputBeforeProvisioning() {
        run(BadInput.class).testEvents().assertThatEvents().haveExactly(1, event(test("negative"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message("@Ticks(count) is -1; it must be at least 1"))));
        assertThat(EVENTS).containsExactly("validate -1");
    }

    @Test
    @DisplayName("runs the experiment under @Timeout: stops it, reports what was measured, and fails with the timeout")
    void timeoutStopsAndReports() throws IOException {
        run(TimingOut.class).testEvents().assertThatEvents().haveExactly(1, event(test("endless"),
                finishedWithFailure(instanceOf(TimeoutException.class))));

        assertThat(EVENTS).startsWith("validate 1000000", "provision", "run").contains("interrupted")
                .doesNotContain("method 1000000").endsWith("close");
        assertThat(EVENTS).anySatisfy(e -> assertThat(e).startsWith("report "));
        JsonNode json = new ObjectMapper().readTree(onlyResultsFile());
        assertThat(json.path("status").asText()).isEqualTo("broken");
        assertThat(json.path("metrics").path("counters").path("ticks").asLong()).isPositive().isLessThan(1_000_000);
    }

    private String onlyResultsFile() throws IOException {
        try (Stream<Path> files = Files.list(results)) {
            return Files.readString(files.filter(p -> p.toString().endsWith(".json")).findFirst().orElseThrow());
        }
    }

    // --- the fixture capability: ticks `count` times, 20 ms apart ------------------------------------------

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @PerfTest
    @ExtendWith(TicksExtension.class)
    @interface Ticks {
        int count();
    }

    record TickRun(int ticks) {
    }

    static class TicksExtension extends CapabilityExtension<Ticks, Integer, TickRun> {
        TicksExtension() {
            super(Ticks.class, TickRun.class);
        }

        @Override
        protected Integer validate(Ticks annotation, Capability capability) {
            EVENTS.add("validate " + annotation.count());
            if (annotation.count() < 1) {
                throw new ExtensionConfigurationException("@Ticks(count) is " + annotation.count()
                        + "; it must be at least 1");
            }
            return annotation.count();
        }

        @Override
        protected TickRun run(Integer count, Capability capability) {
            EVENTS.add("provision");
            capability.closeWithTest(() -> EVENTS.add("close"));
            EVENTS.add("run");
            int done = 0;
            try {
                for (; done < count; done++) {
                    capability.recorder().increment("ticks");
                    TimeUnit.MILLISECONDS.sleep(count > 10 ? 20 : 1);
                }
            } catch (InterruptedException e) {
                EVENTS.add("interrupted");
                Thread.currentThread().interrupt();
            }
            return new TickRun(done);
        }

        @Override
        protected void report(TickRun run, Capability capability) {
            EVENTS.add("report " + run.ticks());
        }
    }

    static class Passing {
        @Ticks(count = 3)
        void counts(TickRun run, Recorder recorder) {
            EVENTS.add("method " + run.ticks());
        }
    }

    static class BadInput {
        @Ticks(count = -1)
        void negative(TickRun run) {
            EVENTS.add("method " + run.ticks());
        }
    }

    static class TimingOut {
        @Ticks(count = 1_000_000)
        @Timeout(value = 300, unit = TimeUnit.MILLISECONDS)
        void endless(TickRun run) {
            EVENTS.add("method " + run.ticks());
        }
    }
}
