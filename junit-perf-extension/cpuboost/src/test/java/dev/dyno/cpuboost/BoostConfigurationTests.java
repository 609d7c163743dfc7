package dev.dyno.cpuboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

@DisplayName("BoostConfiguration")
class BoostConfigurationTests {

    @Test
    @DisplayName("\"guide\" is the guide's table, with the guide's config ids")
    void guideTable() {
        assertThat(BoostConfiguration.parseAll("configurations", new String[] {"guide"}, false))
                .extracting(BoostConfiguration::id, BoostConfiguration::factor, BoostConfiguration::duration)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("baseline", 1.0, Duration.ZERO),
                        org.assertj.core.groups.Tuple.tuple("boost-1.5x", 1.5, Duration.ofSeconds(30)),
                        org.assertj.core.groups.Tuple.tuple("boost-2x", 2.0, Duration.ofSeconds(60)),
                        org.assertj.core.groups.Tuple.tuple("boost-3x", 3.0, Duration.ofSeconds(60)),
                        org.assertj.core.groups.Tuple.tuple("boost-5x", 5.0, Duration.ofMinutes(2)));
    }

    @Test
    @DisplayName("names two boosts of one factor by their durations, and marks untilReady on boosts only")
    void sameFactor() {
        var configurations = BoostConfiguration.parseAll("configurations", new String[] {"baseline", "2x/30s", "2x/1m"}, true);
        assertThat(configurations).extracting(BoostConfiguration::id)
                .containsExactly("baseline", "boost-2x-30s", "boost-2x-1m");
        assertThat(configurations).extracting(BoostConfiguration::untilReady).containsExactly(false, true, true);
        assertThat(configurations.get(0).isBaseline()).isTrue();
        assertThat(configurations.get(1).label()).isEqualTo("2x/30s or ready");
    }

    @Test
    @DisplayName("rejects a list without baseline, a factor of 1 or less, a bad form and repeats, naming the value")
    void rejects() {
        assertThatThrownBy(() -> BoostConfiguration.parseAll("configurations", new String[] {"2x/60s"}, false))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@CpuBoost(configurations)").hasMessageContaining("includes \"baseline\"");
        assertThatThrownBy(() -> BoostConfiguration.parseAll("configurations", new String[] {"baseline", "0.5x/60s"}, false))
                .hasMessage("@CpuBoost(configurations) value \"0.5x/60s\" is not allowed: expected a boost factor "
                        + "above 1 (a factor below 1 would throttle the start; 1 is the baseline), such as \"2x/60s\"");
        assertThatThrownBy(() -> BoostConfiguration.parseAll("configurations", new String[] {"baseline", "double"}, false))
                .hasMessageContaining("value \"double\"").hasMessageContaining("\"<factor>x/<duration>\"");
        assertThatThrownBy(() -> BoostConfiguration.parseAll("configurations", new String[] {"baseline", "2x/0s"}, false))
                .hasMessageContaining("a positive boost duration");
        assertThatThrownBy(() -> BoostConfiguration.parseAll("configurations", new String[] {"baseline", "2x/60s", "2x/60s"}, false))
                .hasMessageContaining("each configuration at most once");
        assertThatThrownBy(() -> BoostConfiguration.parseAll("configurations", new String[] {"baseline"}, false))
                .hasMessageContaining("at least one boost");
    }
}
