package dev.dyno.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import dev.dyno.CoreUsingHeavyLibraries;
import dev.dyno.gpu.GpuUsingLoad;
import dev.dyno.jfr.JfrDrawingWithXChart;
import dev.dyno.metrics.MetricsReachingUpToSpi;
import dev.dyno.view.ViewReachingIntoMetrics;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Each rule of {@link DynoArchitecture} can fail: run on Dyno's classes plus one deliberately violating class from
 * this module's test sources, it reports that class. A rule that passed here too would check nothing.
 */
@DisplayName("Dyno's architecture rules report a violating class")
class ArchitectureRulesCanFailTests {

    @Test
    @DisplayName("the layer rule reports metrics reaching up to the SPI")
    void layersCatchAnUpwardDependency() {
        assertThat(violations(DynoArchitecture.coreLayers(), MetricsReachingUpToSpi.class))
                .contains(MetricsReachingUpToSpi.class.getName(), "dev.dyno.spi.PerfContext");
    }

    @Test
    @DisplayName("the cycle rule reports view and metrics depending on each other")
    void cyclesCatchTwoPackagesUsingEachOther() {
        assertThat(violations(DynoArchitecture.noPackageCycles(), ViewReachingIntoMetrics.class))
                .contains("Cycle detected", "dev.dyno.view", "dev.dyno.metrics",
                        ViewReachingIntoMetrics.class.getName());
    }

    @Test
    @DisplayName("the capability rule reports one capability using another")
    void capabilitiesCatchOneUsingAnother() {
        assertThat(violations(DynoArchitecture.capabilitiesIndependent(), GpuUsingLoad.class))
                .contains(GpuUsingLoad.class.getName(), "dev.dyno.load.LoadProfile");
    }

    @Test
    @DisplayName("the core rule reports each of Docker, HTTP (HttpCore, Netty), Allure and XChart")
    void coreCatchesEachHeavyLibrary() {
        assertThat(violations(DynoArchitecture.coreImportsNoHeavyLibraries(), CoreUsingHeavyLibraries.class))
                .contains(CoreUsingHeavyLibraries.class.getName(), "org.testcontainers.", "com.github.dockerjava.",
                        "org.apache.hc.", "io.netty.", "io.qameta.allure.", "org.knowm.xchart.");
    }

    @Test
    @DisplayName("the capability report rule reports a capability drawing with XChart and attaching with Allure")
    void capabilitiesCatchAllureAndCharts() {
        assertThat(violations(DynoArchitecture.capabilitiesImportNoReportLibraries(), JfrDrawingWithXChart.class))
                .contains(JfrDrawingWithXChart.class.getName(), "org.knowm.xchart.", "io.qameta.allure.");
    }

    @Test
    @DisplayName("the fixtures are left out of what ArchitectureTests checks, and each is in the set these tests check")
    void fixturesAreLeftOutOfTheRealCheck() {
        for (Class<?> fixture : DynoClasses.FIXTURES) {
            assertThat(DynoClasses.production().contain(fixture)).as("%s in production", fixture).isFalse();
            assertThat(DynoClasses.withFixtures().contain(fixture)).as("%s with fixtures", fixture).isTrue();
        }
        assertThat(DynoClasses.withFixtures().contain(ArchitectureRulesCanFailTests.class)).isFalse();
    }

    /** The failure report of {@code rule} on Dyno's classes plus the fixtures, as text; fails if it passed. */
    private static String violations(ArchRule rule, Class<?> fixture) {
        EvaluationResult result = rule.evaluate(DynoClasses.withFixtures());
        assertThat(result.hasViolation()).as("%s finds a violation with %s", rule.getDescription(), fixture).isTrue();
        return String.join("\n", result.getFailureReport().getDetails());
    }
}
