package dev.dyno.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Dyno's own classes, every module's, checked against {@link DynoArchitecture}. The test classes of this module are
 * left out: they hold the deliberate violations that {@link ArchitectureRulesCanFailTests} feeds the same rules.
 */
@DisplayName("Dyno's architecture")
class ArchitectureTests {

    private static JavaClasses dyno;

    @BeforeAll
    static void importDyno() {
        dyno = DynoClasses.production();
    }

    @Test
    @DisplayName("the core's packages depend in one direction, from dev.dyno down to view and metrics")
    void coreLayers() {
        DynoArchitecture.coreLayers().check(dyno);
    }

    @Test
    @DisplayName("no package of Dyno's is part of a cycle")
    void noPackageCycles() {
        DynoArchitecture.noPackageCycles().check(dyno);
    }

    @Test
    @DisplayName("no capability depends on another")
    void capabilitiesIndependent() {
        DynoArchitecture.capabilitiesIndependent().check(dyno);
    }

    @Test
    @DisplayName("the core imports no Docker, HTTP, Allure or chart classes")
    void coreImportsNoHeavyLibraries() {
        DynoArchitecture.coreImportsNoHeavyLibraries().check(dyno);
    }

    @Test
    @DisplayName("capabilities import no Allure or chart classes")
    void capabilitiesImportNoReportLibraries() {
        DynoArchitecture.capabilitiesImportNoReportLibraries().check(dyno);
    }
}
