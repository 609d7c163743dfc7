package dev.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("METRICS_JSON parsing")
class MetricsJsonTests {

    @Test
    @DisplayName("reads the object after the marker, flattening nested objects and skipping nulls")
    void parsesGoodBlock() {
        MetricsJson metrics = MetricsJson.require("""
                starting
                === METRICS_JSON ===
                {"total_time": 1.9, "cpu": {"allocated": 0.5, "peak": null}, "ok": true, "name": "LoadTest"}
                bye
                """);
        assertThat(metrics.fields()).containsExactly(
                java.util.Map.entry("total_time", 1.9),
                java.util.Map.entry("cpu.allocated", 0.5),
                java.util.Map.entry("ok", true),
                java.util.Map.entry("name", "LoadTest"));
        assertThat(metrics.number("total_time")).contains(1.9);
        assertThat(metrics.number("name")).isEmpty();
    }

    @Test
    @DisplayName("uses the last block when a program printed several")
    void lastBlockWins() {
        MetricsJson metrics = MetricsJson.require("""
                === METRICS_JSON ===
                {"run": 1}
                === METRICS_JSON ===
                {"run": 2}
                """);
        assertThat(metrics.number("run")).contains(2.0);
    }

    @Test
    @DisplayName("finds nothing when the output has no marker, and require quotes the output's end")
    void missingBlock() {
        assertThat(MetricsJson.find("just logs\nmore logs")).isEmpty();
        assertThatThrownBy(() -> MetricsJson.require("line 1\nTraceback: boom"))
                .isInstanceOf(MalformedMetricsJsonException.class)
                .hasMessageContaining("no line '=== METRICS_JSON ==='")
                .hasMessageContaining("Traceback: boom");
    }

    @Test
    @DisplayName("says where malformed JSON goes wrong")
    void malformedBlock() {
        assertThatThrownBy(() -> MetricsJson.find("=== METRICS_JSON ===\n{\"total_time\": 1.9,, }"))
                .isInstanceOf(MalformedMetricsJsonException.class)
                .hasMessageContaining("malformed JSON")
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> MetricsJson.find("=== METRICS_JSON ===\n[1, 2]"))
                .isInstanceOf(MalformedMetricsJsonException.class)
                .hasMessageContaining("expected a JSON object");
        assertThatThrownBy(() -> MetricsJson.find("=== METRICS_JSON ===\n"))
                .isInstanceOf(MalformedMetricsJsonException.class);
    }

    @Test
    @DisplayName("reads units from field names: *_ms milliseconds, *_time seconds, else plain")
    void unitsFromNames() {
        assertThat(MetricsJson.unitOf("import_time")).isEqualTo(MetricsJson.Unit.SECONDS);
        assertThat(MetricsJson.unitOf("phases.load_time")).isEqualTo(MetricsJson.Unit.SECONDS);
        assertThat(MetricsJson.unitOf("startup_ms")).isEqualTo(MetricsJson.Unit.MILLISECONDS);
        assertThat(MetricsJson.unitOf("time_ms")).isEqualTo(MetricsJson.Unit.MILLISECONDS);
        assertThat(MetricsJson.unitOf("cpu_allocated")).isEqualTo(MetricsJson.Unit.NONE);
        assertThat(MetricsJson.unitOf("time_saved")).isEqualTo(MetricsJson.Unit.NONE);
    }
}
