package dev.dyno.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.dyno.CoreUsingHeavyLibraries;
import dev.dyno.gpu.GpuUsingLoad;
import dev.dyno.jfr.JfrDrawingWithXChart;
import dev.dyno.metrics.MetricsReachingUpToSpi;
import dev.dyno.view.ViewReachingIntoMetrics;
import java.util.List;

/** Dyno's classes as ArchUnit sees them, imported once per test run: importing every module takes seconds. */
final class DynoClasses {

    /** The deliberate violations in this module's test sources, one per rule. */
    static final List<Class<?>> FIXTURES = List.of(MetricsReachingUpToSpi.class, ViewReachingIntoMetrics.class,
            GpuUsingLoad.class, CoreUsingHeavyLibraries.class, JfrDrawingWithXChart.class);

    private static JavaClasses production;
    private static JavaClasses withFixtures;

    private DynoClasses() {
    }

    /** Every class of Dyno's main sources, from the module jars (or class folders) on this class path. */
    static synchronized JavaClasses production() {
        if (production == null) {
            production = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                    .importPackages("dev.dyno");
        }
        return production;
    }

    /** {@link #production()} and the {@link #FIXTURES}, but no other test class. */
    static synchronized JavaClasses withFixtures() {
        if (withFixtures == null) {
            List<String> fixtureFiles = FIXTURES.stream().map(c -> "/" + c.getName().replace('.', '/') + ".class")
                    .toList();
            withFixtures = new ClassFileImporter()
                    .withImportOption(location -> ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
                            || fixtureFiles.stream().anyMatch(location::contains))
                    .importPackages("dev.dyno");
        }
        return withFixtures;
    }
}
