package dev.dyno.cpuboost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.config.RunMode;
import java.util.Arrays;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("@CpuBoost checks its attributes before anything starts")
class CpuBoostValidationTests {

    /** Read by reflection only; a build's test filter ({@code -Dtest='CpuBoost*'}) must not run them. */
    @SuppressWarnings("unused")
    @ExtendWith(FixtureCondition.class)
    static class Annotated {
        @CpuBoost(command = "true", baseCpus = 0) void zeroBase() { }
        @CpuBoost(command = "true", baseCpus = 3) void aboveMachine() { }
        @CpuBoost(command = "true", repetitions = 1) void oneRepetition() { }
        @CpuBoost(command = "true", repetitions = 4, maxRepetitions = 3) void maxBelowRepetitions() { }
        @CpuBoost(command = "true", maxRepetitions = 6, precision = 0) void noPrecision() { }
        @CpuBoost(command = "true", repetitions = 3, maxRepetitions = 8, precision = 0.05) void adaptive() { }
        @CpuBoost(command = "true", cooldown = "-1s") void negativeCooldown() { }
        @CpuBoost(command = "true", timeout = "soon") void badTimeout() { }
        @CpuBoost(command = "true", concurrent = 0) void noneAtOnce() { }
        @CpuBoost(command = "true", runtime = "kubernetes") void unknownRuntime() { }
        @CpuBoost(command = "true", restoreTolerance = -0.1) void negativeTolerance() { }
        @CpuBoost(command = "true", readyWhen = "log:(") void badRegex() { }
        @CpuBoost(command = "true", readyWhen = "when it feels like it") void badReadiness() { }
        @CpuBoost(command = "true", untilReady = true) void untilReadyWithoutReadiness() { }
        @CpuBoost(workloads = "no-such-workload") void unknownWorkload() { }
        @CpuBoost(workloads = "x", command = "true") void both() { }
        @CpuBoost void neither() { }
        @CpuBoost(command = "true", configurations = {"baseline", "0.5x/30s"}) void factorBelowOne() { }
        @CpuBoost(command = "true", baseCpus = 0.5, configurations = "guide", fullConfigurations = {"baseline", "4x/1m"},
                untilReady = true, readyWhen = "log:Started") void good() { }
    }

    private static CpuBoost on(String method) {
        return Arrays.stream(Annotated.class.getDeclaredMethods()).filter(m -> m.getName().equals(method)).findFirst()
                .orElseThrow().getAnnotation(CpuBoost.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "zeroBase                   | @CpuBoost(baseCpus) value 0.0 is not allowed: expected a number of CPUs from 0.01 to this machine's 2",
        "aboveMachine               | @CpuBoost(baseCpus) value 3.0 is not allowed",
        "oneRepetition              | @CpuBoost(repetitions) value 1 is not allowed: expected 2 or more",
        "maxBelowRepetitions        | @CpuBoost(maxRepetitions) value 3 is not allowed: expected 0 (exactly repetitions) or from repetitions (4) to 1000",
        "noPrecision                | @CpuBoost(precision) value 0.0 is not allowed: expected a fraction above 0, at most 1",
        "negativeCooldown           | @CpuBoost(cooldown) value \"-1s\" is not a duration (durations cannot be negative)",
        "badTimeout                 | @CpuBoost(timeout)",
        "noneAtOnce                 | @CpuBoost(concurrent) value 0 is not allowed: expected 1 to 64",
        "unknownRuntime             | @CpuBoost(runtime) value \"kubernetes\" is not allowed: expected \"auto\", \"docker\" or \"process\"",
        "negativeTolerance          | @CpuBoost(restoreTolerance) value -0.1 is not allowed",
        "badRegex                   | @CpuBoost(readyWhen) value \"log:(\" is not allowed: expected \"log:\" and a Java regular expression",
        "badReadiness               | @CpuBoost(readyWhen) value \"when it feels like it\" is not allowed",
        "untilReadyWithoutReadiness | @CpuBoost(untilReady) value true is not allowed: expected a readiness condition",
        "unknownWorkload            | @CpuBoost(workloads) value \"no-such-workload\" is not a known workload",
        "both                       | @CpuBoost(workloads, image, command): give either workloads",
        "neither                    | @CpuBoost(workloads, image, command): give either workloads",
        "factorBelowOne             | @CpuBoost(configurations) value \"0.5x/30s\" is not allowed: expected a boost factor above 1",
    })
    void rejects(String method, String message) {
        assertThatThrownBy(() -> CpuBoostExtension.validate(on(method), 2, RunMode.CI))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith(message.strip());
    }

    @Test
    @DisplayName("a good annotation becomes an experiment; full mode takes fullConfigurations; boosts cap at the machine")
    void accepts() {
        CpuBoostExtension.Experiment ci = CpuBoostExtension.validate(on("good"), 2, RunMode.CI);
        assertThat(ci.configurations()).extracting(BoostConfiguration::id)
                .containsExactly("baseline", "boost-1.5x", "boost-2x", "boost-3x", "boost-5x");
        assertThat(ci.rounds()).isEqualTo(3);
        assertThat(ci.boostedCpus(ci.configurations().get(4))).isEqualTo(2.0); // 0.5 × 5 capped at 2 CPUs
        assertThat(ci.boostedCpus(ci.configurations().get(2))).isEqualTo(1.0);
        CpuBoostExtension.Experiment full = CpuBoostExtension.validate(on("good"), 2, RunMode.FULL);
        assertThat(full.configurations()).extracting(BoostConfiguration::id).containsExactly("baseline", "boost-4x");
        assertThat(full.configurations().get(1).untilReady()).isTrue();
        assertThat(full.rounds()).isEqualTo(5);
        assertThat(ci.maxRounds()).as("without maxRepetitions, exactly repetitions").isEqualTo(3);
    }

    @Test
    @DisplayName("maxRepetitions caps the rounds in either mode; fullRepetitions above it are run all the same")
    void adaptiveRounds() {
        CpuBoostExtension.Experiment ci = CpuBoostExtension.validate(on("adaptive"), 2, RunMode.CI);
        assertThat(ci.rounds()).isEqualTo(3);
        assertThat(ci.maxRounds()).isEqualTo(8);
        assertThat(ci.precision()).isEqualTo(0.05);
        CpuBoostExtension.Experiment full = CpuBoostExtension.validate(on("adaptive"), 2, RunMode.FULL);
        assertThat(full.rounds()).isEqualTo(5);
        assertThat(full.maxRounds()).isEqualTo(8);
    }
}
