package dev.dyno.longtail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("schedcp's test_cases_parallel.json")
class SchedcpCasesTests {

    static final Path REAL = LongTailSchedulerExtension.locate("cases",
            "workloads/longtail/schedcp-test-cases-parallel.json", false);
    static final Path SIZED = LongTailSchedulerExtension.locate("cases", "workloads/longtail/dyno-cases-2cpu.json", false);

    @TempDir
    Path dir;

    @Test
    @DisplayName("reads the real file as is: its eight cases in order and its 39 + 1 configuration")
    void readsRealFile() {
        SchedcpCases cases = SchedcpCases.read(REAL);

        assertThat(cases.ids()).containsExactly("compression", "video_transcode", "ctest_suite", "git_add_different",
                "file_checksum", "hotkey_aggregation", "ddos_log_analysis", "viral_product_analytics");
        assertThat(cases.shortTasks()).hasValue(39);
        assertThat(cases.longTasks()).hasValue(1);
    }

    @Test
    @DisplayName("turns a case into 39 short and 1 long task with the case's setup, commands and cleanup")
    void ctestSuiteAsTasks() {
        TaskSet ctest = SchedcpCases.read(REAL).taskSet("ctest_suite");

        assertThat(ctest.tasks()).hasSize(40);
        assertThat(ctest.tasks(TaskSpec.Kind.SHORT)).hasSize(39).allSatisfy(t -> {
            assertThat(t.command()).isEqualTo("./short");
            assertThat(t.setup()).containsExactly("cp $ORIGINAL_CWD/assets/short.c .", "gcc -O2 short.c -lm -o short");
            assertThat(t.cleanup()).containsExactly("rm -f assets/short assets/long");
        });
        assertThat(ctest.tasks(TaskSpec.Kind.LONG)).singleElement().satisfies(t -> {
            assertThat(t.id()).isEqualTo("long-1");
            assertThat(t.command()).isEqualTo("./long");
            assertThat(t.setup()).containsExactly("cp $ORIGINAL_CWD/assets/long.c .", "gcc -O2 long.c -lm -o long");
        });
        assertThat(ctest.originalCwd()).isEqualTo(REAL.getParent());
        assertThat(ctest.dependencies()).containsExactly("gcc");
        assertThat(ctest.expectedImprovement()).isEmpty();
        assertThat(ctest.unrunnableReason()).isEmpty();
    }

    @Test
    @DisplayName("sizes a case to other counts and names the programs as a process-name scheduler sees them")
    void sized() {
        TaskSet compression = SchedcpCases.read(SIZED).taskSet("compression", 8, 1);

        assertThat(compression.tasks()).extracting(TaskSpec::id).containsExactly("short-01", "short-02", "short-03",
                "short-04", "short-05", "short-06", "short-07", "short-08", "long-1");
        assertThat(compression.tasks(TaskSpec.Kind.LONG).get(0).program()).isEqualTo("large_compression.py");
        assertThat(compression.tasks(TaskSpec.Kind.SHORT).get(0).program()).isEqualTo("small_compression.py");
        assertThat(compression.expectedImprovement()).hasValue(0.185);
    }

    @Test
    @DisplayName("says why a case cannot run here: an asset Dyno does not provide")
    void unrunnableCases() {
        SchedcpCases cases = SchedcpCases.read(REAL);

        assertThat(cases.taskSet("hotkey_aggregation", 2, 1).unrunnableReason()).hasValueSatisfying(reason ->
                assertThat(reason).contains("$ORIGINAL_CWD/assets/spark_skew_prepare.py does not exist"));
        assertThat(cases.taskSet("video_transcode", 2, 1).unrunnableReason()).hasValueSatisfying(reason ->
                assertThat(reason).contains("assets/video_transcode.cpp does not exist"));
    }

    @Test
    @DisplayName("rejects a file that is not JSON, naming the line and column")
    void notJson() {
        Path file = LongTailSchedulerExtension.locate("cases", "workloads/longtail/testdata/not-json.json", false);

        assertThatThrownBy(() -> SchedcpCases.read(file)).isInstanceOf(InvalidTaskSetException.class)
                .hasMessageContaining("not-json.json is not valid JSON").hasMessageContaining("at line 2");
    }

    @Test
    @DisplayName("rejects a case whose commands are not an array, naming the case and the field")
    void malformedCase() {
        Path file = LongTailSchedulerExtension.locate("cases", "workloads/longtail/testdata/malformed-cases.json", false);

        assertThatThrownBy(() -> SchedcpCases.read(file)).isInstanceOf(InvalidTaskSetException.class)
                .hasMessageEndingWith("case \"broken\": \"small_commands\" is \"./short\"; expected an array of command strings");
    }

    @Test
    @DisplayName("rejects a file without test_cases, a case without id, an unknown case and a missing file")
    void otherBadInput() throws IOException {
        Path noCases = Files.writeString(dir.resolve("a.json"), "{\"cases\": []}");
        Path noId = Files.writeString(dir.resolve("b.json"), "{\"test_cases\": [{\"small_commands\": [\"x\"]}]}");
        Path noCommands = Files.writeString(dir.resolve("c.json"), "{\"test_cases\": [{\"id\": \"idle\"}]}");

        assertThatThrownBy(() -> SchedcpCases.read(noCases)).hasMessageContaining("expected an object with a \"test_cases\" array");
        assertThatThrownBy(() -> SchedcpCases.read(noId)).hasMessageContaining("test_cases[0] has no \"id\"");
        assertThatThrownBy(() -> SchedcpCases.read(noCommands))
                .hasMessageContaining("case \"idle\" has neither \"small_commands\" nor \"large_commands\"");
        assertThatThrownBy(() -> SchedcpCases.read(REAL).taskSet("nope", 1, 1))
                .hasMessageContaining("has no case \"nope\"; its cases are [compression, video_transcode");
        assertThatThrownBy(() -> SchedcpCases.read(dir.resolve("missing.json"))).hasMessageEndingWith("missing.json: no such file");
    }

    @Test
    @DisplayName("rejects an empty task set")
    void emptyTaskSet() {
        assertThatThrownBy(() -> SchedcpCases.read(REAL).taskSet("ctest_suite", 0, 0))
                .isInstanceOf(InvalidTaskSetException.class).hasMessageContaining("empty task set");
        assertThatThrownBy(() -> TaskSet.of("none", 0, "x", 0, "y")).hasMessageContaining("is empty");
    }

    @Test
    @DisplayName("finds the $ORIGINAL_CWD files a case's commands copy")
    void referencedAssets() {
        TaskSet hotkey = SchedcpCases.read(REAL).taskSet("hotkey_aggregation", 1, 1);

        assertThat(hotkey.referencedAssets()).isEqualTo(List.of("assets/spark_skew_prepare.py",
                "assets/spark_skew_test.py"));
    }
}
