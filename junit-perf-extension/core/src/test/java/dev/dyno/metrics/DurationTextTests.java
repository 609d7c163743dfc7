package dev.dyno.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Durations in annotations")
class DurationTextTests {

    @Test
    @DisplayName("parse every unit, with fractions")
    void parsesUnits() {
        assertThat(DurationText.parse("a", "500ns")).isEqualTo(Duration.ofNanos(500));
        assertThat(DurationText.parse("a", "250us")).isEqualTo(Duration.ofNanos(250_000));
        assertThat(DurationText.parse("a", "500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("a", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(DurationText.parse("a", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(DurationText.parse("a", "1h")).isEqualTo(Duration.ofHours(1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2 secs", "2", "-1s", "s", "1.s", ""})
    @DisplayName("reject malformed text, naming the attribute and the value")
    void rejectsMalformed(String text) {
        assertThatThrownBy(() -> DurationText.parse("@CpuBoost(duration)", text))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@CpuBoost(duration) value \"" + text + "\" is not a duration")
                .hasMessageContaining("such as \"500ms\"");
    }

    @Test
    @DisplayName("say that durations cannot be negative, and that some must be above zero")
    void negativeAndZero() {
        assertThatThrownBy(() -> DurationText.parse("@X(d)", "-5s")).hasMessageContaining("cannot be negative");
        assertThatThrownBy(() -> DurationText.parsePositive("@X(d)", "0s")).hasMessageContaining("must be above zero");
    }

    @Test
    @DisplayName("format with three significant digits in a fitting unit")
    void formats() {
        assertThat(DurationText.format(Duration.ofMillis(1234))).isEqualTo("1.23s");
        assertThat(DurationText.format(Duration.ofNanos(12_500_000))).isEqualTo("12.5ms");
        assertThat(DurationText.format(Duration.ofNanos(850_000))).isEqualTo("850µs");
        assertThat(DurationText.format(Duration.ofNanos(120))).isEqualTo("120ns");
        assertThat(DurationText.format(Duration.ofSeconds(90))).isEqualTo("1.50m");
    }
}
