package dev.dyno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.dyno.SkipSummary;
import dev.dyno.config.DynoAssumptions;
import dev.dyno.config.DynoConfiguration;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.core.LauncherConfig;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

@DisplayName("The skipped-tests summary")
class SkippedTestsListenerTests {

    @TempDir
    Path results;

    /** Runs the classes through a launcher with only the listener, and returns what it printed. */
    private String run(String skips, Class<?>... testCases) {
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request()
                .configurationParameter(DynoConfiguration.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(DynoConfiguration.HISTORY_DIR_PROPERTY, DynoConfiguration.HISTORY_OFF)
                .configurationParameter(DynoConfiguration.SKIPS_PROPERTY, skips);
        for (Class<?> testCase : testCases) {
            request.selectors(selectClass(testCase));
        }
        LauncherDiscoveryRequest discovery = request.build();
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            LauncherFactory.create(LauncherConfig.builder().enableTestExecutionListenerAutoRegistration(false)
                    .addTestExecutionListeners(new SkippedTestsListener()).build()).execute(discovery);
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        original.print(printed);
        return printed;
    }

    private JsonNode skippedJson() throws IOException {
        return new ObjectMapper().readTree(results.resolve(SkipSummary.FILE_NAME).toFile());
    }

    @Test
    @DisplayName("counts every aborted test, of any kind, and lists each by name with its reason; not passed or disabled ones")
    void countsAndLists() throws IOException {
        String printed = run("skip", MixedTestCase.class);

        assertThat(printed).contains("""

                === Dyno: 3 tests skipped, their claims not checked ===
                  SkippedTestsListenerTests.MixedTestCase.busy: machine busy: 40 % of the CPU went elsewhere
                  SkippedTestsListenerTests.MixedTestCase.images [2] registry: image example/app:1 is not here
                  SkippedTestsListenerTests.MixedTestCase.plain: needs a GPU
                (dyno.skips = fail fails a test Dyno cannot run here instead of skipping it.)
                Skipped tests: FILE
                """.replace("FILE", results.resolve("skipped.json").toString()));
        JsonNode json = skippedJson();
        assertThat(json.get("schema").asText()).isEqualTo("dyno-skipped/1");
        assertThat(json.get("count").asInt()).isEqualTo(3);
        assertThat(json.get("skipped")).extracting(t -> t.get("reason").asText()).containsExactly(
                "machine busy: 40 % of the CPU went elsewhere", "image example/app:1 is not here", "needs a GPU");
        assertThat(json.get("skipped").get(0).get("testId").asText()).contains("MixedTestCase", "busy");
        assertThat(json.get("skipped").get(0).get("displayName").asText()).isEqualTo("busy()");
    }

    @Test
    @DisplayName("lists a class whose every test was aborted before it started as one entry")
    void abortedClass() throws IOException {
        String printed = run("skip", AbortedClassTestCase.class);

        assertThat(printed).contains("=== Dyno: 1 test skipped, their claims not checked ===\n"
                + "  SkippedTestsListenerTests.AbortedClassTestCase (every test in it): no database here\n");
        assertThat(skippedJson().get("count").asInt()).isEqualTo(1);
    }

    @Test
    @DisplayName("says no test was skipped, and writes a count of 0, for a run of perf tests that all ran")
    void noneSkipped() throws IOException {
        String printed = run("skip", PassingTestCase.class);

        assertThat(printed).contains("=== Dyno: no test skipped ===").doesNotContain("Skipped tests:");
        assertThat(skippedJson().get("count").asInt()).isZero();
        assertThat(skippedJson().get("skipped")).isEmpty();
    }

    @Test
    @DisplayName("stays quiet, and writes nothing, for a run without perf tests and without skips")
    void quietWithoutPerfTests() {
        String printed = run("skip", PlainTestCase.class);

        assertThat(printed).doesNotContain("Dyno");
        assertThat(results.resolve(SkipSummary.FILE_NAME)).doesNotExist();
    }

    @Test
    @DisplayName("with dyno.skips = fail counts no Dyno skip, because each one failed")
    void failedAreNotSkipped() throws IOException {
        run("fail", MixedTestCase.class);

        assertThat(skippedJson().get("skipped")).extracting(t -> t.get("name").asText())
                .containsExactly("SkippedTestsListenerTests.MixedTestCase.images [2] registry",
                        "SkippedTestsListenerTests.MixedTestCase.plain")
                .as("JUnit's own Assumptions are not Dyno's: they stay skipped, and listed");
    }

    @Test
    @DisplayName("is registered for the launcher through META-INF/services")
    void registered() {
        assertThat(ServiceLoader.load(TestExecutionListener.class).stream().map(ServiceLoader.Provider::type).toList())
                .contains(SkippedTestsListener.class);
    }

    @Test
    @DisplayName("indents a reason of several lines under its test")
    void multiLineReason() {
        SkipSummary summary = new SkipSummary(List.of(new SkipSummary.Skipped("[id]", "A.b", "b()", "first\nsecond")));

        assertThat(summary.text()).contains("  A.b: first\n      second\n");
    }

    static class MixedTestCase {
        @PerfTest
        void busy() {
            DynoAssumptions.assumeThat(false, () -> "machine busy: 40 % of the CPU went elsewhere");
        }

        @Test
        void plain() {
            Assumptions.abort("needs a GPU");
        }

        @ParameterizedTest(name = "[{index}] {0}")
        @ValueSource(strings = {"local", "registry"})
        void images(String kind) {
            Assumptions.assumeTrue(kind.equals("local"), "image example/app:1 is not here");
        }

        @PerfTest
        void passes() {
        }

        @Test
        @Disabled("claims nothing")
        void disabled() {
        }
    }

    static class AbortedClassTestCase {
        @org.junit.jupiter.api.BeforeAll
        static void database() {
            Assumptions.abort("no database here");
        }

        @Test
        void one() {
        }

        @Test
        void two() {
        }
    }

    static class PassingTestCase {
        @PerfTest
        void passes() {
        }
    }

    static class PlainTestCase {
        @Test
        void passes() {
        }
    }
}
