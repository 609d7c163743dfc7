package dev.dyno.workloads.cpuboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The Java load test")
class JavaLoadTestTests {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON object after the marker line, read by a real parser. */
    static JsonNode metricsOf(String output) throws Exception {
        int marker = output.lastIndexOf(JavaLoadTest.MARKER + "\n");
        assertThat(marker).as("marker line in:%n%s", output).isNotNegative();
        return JSON.readTree(output.substring(marker + JavaLoadTest.MARKER.length() + 1));
    }

    @Test
    @DisplayName("as its own process, reports every phase in seconds and its total from the process start")
    void runsAsAProcess() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Path classes = Path.of(JavaLoadTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        long before = System.nanoTime();
        double startedAfter = System.currentTimeMillis() / 1e3;
        Process process = new ProcessBuilder(java.toString(), "-cp", classes.toString(), JavaLoadTest.class.getName(),
                "--scale", "0.1").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        double wall = (System.nanoTime() - before) / 1e9;
        assertThat(process.exitValue()).as(output).isZero();

        assertThat(output).contains("=== Phase 1: Class Loading ===", "=== Phase 2: First Computation ===",
                "=== Phase 3: Second Computation ===", "Second computation: ");
        JsonNode metrics = metricsOf(output);
        assertThat(metrics.get("test_name").asText()).isEqualTo("java_load");
        assertThat(metrics.get("cpu_allocated").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
        assertThat(metrics.get("process_start_source").asText()).isEqualTo("proc");
        double phases = 0;
        for (String phase : new String[] {"class_loading_time", "first_computation_time", "second_computation_time"}) {
            double seconds = metrics.get(phase).asDouble();
            assertThat(seconds).as(phase).isPositive().isLessThan(wall);
            phases += seconds;
        }
        double boot = metrics.get("jvm_boot_time").asDouble();
        double total = metrics.get("total_time").asDouble();
        assertThat(boot).isPositive().isLessThan(total);
        assertThat(total).isGreaterThanOrEqualTo(boot + phases);
        // The process cannot be older than the time this test waited for it (10 ms ticks, some slack).
        assertThat(total).isLessThanOrEqualTo(wall + 0.03);
        assertThat(metrics.get("container_start_time").asDouble()).isCloseTo(startedAfter, within(0.05 + wall - total));
    }

    @Test
    @DisplayName("in process, scales its phases and prints one parseable JSON object after the marker")
    void runsInProcess() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        Instant now = Instant.now();
        JavaLoadTest.ProcessStart start = new JavaLoadTest.ProcessStart(now.minusMillis(250), "test");
        Map<String, Object> returned = JavaLoadTest.run(0.01, start, now, new PrintStream(buffer, true, StandardCharsets.UTF_8));

        String output = buffer.toString(StandardCharsets.UTF_8);
        assertThat(output).contains("(1000 strings, first String0)");
        JsonNode metrics = metricsOf(output);
        assertThat(metrics.get("jvm_boot_time").asDouble()).isCloseTo(0.25, within(1e-9));
        assertThat(metrics.get("total_time").asDouble()).isGreaterThan(0.25);
        assertThat(metrics.get("container_start_time").asDouble()).isCloseTo(now.toEpochMilli() / 1e3 - 0.25, within(1e-3));
        assertThat(metrics.get("process_start_source").asText()).isEqualTo("test");
        assertThat(returned.keySet()).containsExactly("test_name", "cpu_allocated", "container_start_time",
                "jvm_boot_time", "process_start_source", "class_loading_time", "first_computation_time",
                "second_computation_time", "total_time");
        metrics.fieldNames().forEachRemaining(name -> assertThat(returned).containsKey(name));
    }

    @Test
    @DisplayName("writes strings with quotes, backslashes and control characters as valid JSON")
    void escapesStrings() throws Exception {
        Map<String, Object> fields = new LinkedHashMap<>();
        String tricky = "a \"quoted\" \\path\\ with\ttab,\nnewline, \u0001 control, \u2028 separator and é";
        fields.put("text", tricky);
        fields.put("key \"with\" quotes", 1);
        fields.put("not_a_number_time", Double.NaN);
        fields.put("infinite_time", Double.POSITIVE_INFINITY);
        fields.put("small_time", 1.5e-7);
        fields.put("flag", true);

        JsonNode parsed = JSON.readTree(JavaLoadTest.toJson(fields));

        assertThat(parsed.get("text").asText()).isEqualTo(tricky);
        assertThat(parsed.get("key \"with\" quotes").asInt()).isEqualTo(1);
        assertThat(parsed.get("not_a_number_time").isNull()).isTrue();
        assertThat(parsed.get("infinite_time").isNull()).isTrue();
        assertThat(parsed.get("small_time").asDouble()).isEqualTo(1.5e-7);
        assertThat(parsed.get("flag").asBoolean()).isTrue();
        assertThat(JavaLoadTest.toJson(fields)).doesNotContain("\n");
    }

    @Test
    @DisplayName("takes --scale, and rejects anything else with the allowed range")
    void parsesArguments() {
        assertThat(JavaLoadTest.parseScale()).isEqualTo(1.0);
        assertThat(JavaLoadTest.parseScale("--scale", "0.5")).isEqualTo(0.5);
        assertThatThrownBy(() -> JavaLoadTest.parseScale("--scale", "0")).hasMessageContaining("above 0 and at most 200");
        assertThatThrownBy(() -> JavaLoadTest.parseScale("--scale", "fast")).hasMessageContaining("--scale fast");
        assertThatThrownBy(() -> JavaLoadTest.parseScale("--scale", "NaN")).hasMessageContaining("above 0");
        assertThatThrownBy(() -> JavaLoadTest.parseScale("--scale")).hasMessageContaining("needs a value");
        assertThatThrownBy(() -> JavaLoadTest.parseScale("--iterations", "5")).hasMessageContaining("unknown argument");
    }
}
