package dev.dyno.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatcher;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import java.util.List;
import java.util.Optional;

/**
 * What the README promises about Dyno's modules, as ArchUnit rules. They live in the all-in-one module because it is
 * the only one whose class path holds every module. The Maven enforcer checks the same promises between artifacts;
 * these rules check them between packages, which the enforcer cannot see (the core is one artifact of nine packages).
 */
final class DynoArchitecture {

    /** The core's packages: {@code dev.dyno} itself (no subpackages: those are other modules) and its nine layers. */
    static final List<String> CORE = List.of("dev.dyno", "dev.dyno.host..", "dev.dyno.view..", "dev.dyno.metrics..", "dev.dyno.config..",
            "dev.dyno.stats..", "dev.dyno.assertions..", "dev.dyno.report..", "dev.dyno.history..", "dev.dyno.spi..");

    /** One package per capability module. */
    static final List<String> CAPABILITIES = List.of("dev.dyno.cpuboost..", "dev.dyno.longtail..", "dev.dyno.load..", "dev.dyno.gpu..", "dev.dyno.jfr..");

    private static final String[] DOCKER = {"org.testcontainers..", "com.github.dockerjava.."};
    private static final String[] HTTP = {"org.apache.hc..", "io.netty.."};
    /** {@code dev.dyno.allure} is the Allure module: whoever uses it pulls Allure and XChart in. */
    private static final String[] ALLURE = {"io.qameta..", "dev.dyno.allure.."};
    private static final String[] CHARTS = {"org.knowm.."};

    private DynoArchitecture() {
    }

    /**
     * The core's packages depend in one direction, each only on those below it: the report model and the metrics
     * at the bottom, {@code @PerfTest}'s extension on top. History (a reporter found with ServiceLoader) and the SPI
     * are side by side and never see each other.
     */
    static ArchRule coreLayers() {
        return layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("host").definedBy("dev.dyno.host..")
                .layer("view").definedBy("dev.dyno.view..")
                .layer("metrics").definedBy("dev.dyno.metrics..")
                .layer("config").definedBy("dev.dyno.config..")
                .layer("stats").definedBy("dev.dyno.stats..")
                .layer("assertions").definedBy("dev.dyno.assertions..")
                .layer("report").definedBy("dev.dyno.report..")
                .layer("history").definedBy("dev.dyno.history..")
                .layer("spi").definedBy("dev.dyno.spi..")
                .layer("extension").definedBy("dev.dyno")
                .whereLayer("host").mayNotAccessAnyLayer()
                .whereLayer("view").mayNotAccessAnyLayer()
                .whereLayer("metrics").mayOnlyAccessLayers("host", "view")
                .whereLayer("config").mayOnlyAccessLayers("host", "view", "metrics")
                .whereLayer("stats").mayOnlyAccessLayers("host", "view", "metrics", "config")
                .whereLayer("assertions").mayOnlyAccessLayers("host", "view", "metrics", "config", "stats")
                .whereLayer("report").mayOnlyAccessLayers("host", "view", "metrics", "config", "stats", "assertions")
                .whereLayer("history").mayOnlyAccessLayers("host", "view", "metrics", "config", "stats", "assertions", "report")
                .whereLayer("spi").mayOnlyAccessLayers("host", "view", "metrics", "config", "stats", "assertions", "report")
                .whereLayer("extension").mayOnlyAccessLayers("host", "view", "metrics", "config", "stats", "assertions",
                        "report", "history", "spi")
                .as("the core's packages depend in one direction: host and view, metrics, config, stats, assertions, report, "
                        + "then history and spi side by side, then dev.dyno");
    }

    /** No package of Dyno's, in any module, reaches itself through others: each can be understood from below. */
    static ArchRule noPackageCycles() {
        return slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                String name = javaClass.getPackageName();
                return name.equals("dev.dyno") || name.startsWith("dev.dyno.") ? SliceIdentifier.of(name)
                        : SliceIdentifier.ignore();
            }

            @Override
            public String getDescription() {
                return "Dyno's packages, each a slice";
            }
        }).should().beFreeOfCycles();
    }

    /**
     * A capability builds on the core and the runtimes, never on another capability: each is its own artifact, and a
     * user who picks one gets no other.
     */
    static ArchRule capabilitiesIndependent() {
        return slices().assignedFrom(new SliceAssignment() {
            @Override
            public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                return capabilityOf(javaClass.getPackageName()).map(SliceIdentifier::of).orElse(SliceIdentifier.ignore());
            }

            @Override
            public String getDescription() {
                return "capabilities";
            }
        }).should().notDependOnEachOther()
                .because("each capability is its own module: a user who picks one must not get another");
    }

    /** The core stays small: whoever depends on it gets no Docker, HTTP, Allure or chart library. */
    static ArchRule coreImportsNoHeavyLibraries() {
        return noClasses().that().resideInAnyPackage(CORE.toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage(concat(DOCKER, HTTP, ALLURE, CHARTS))
                .because("dyno-core must stay usable without Docker, an HTTP client, Allure or a chart library; "
                        + "those live in dyno-runtime, dyno-load and dyno-allure");
    }

    /**
     * A capability describes its charts and attachments as data ({@code dev.dyno.view}) and records them; the Allure
     * module draws them. So no capability needs Allure or a chart library.
     */
    static ArchRule capabilitiesImportNoReportLibraries() {
        return noClasses().that().resideInAnyPackage(CAPABILITIES.toArray(String[]::new))
                .should().dependOnClassesThat().resideInAnyPackage(concat(ALLURE, CHARTS))
                .because("capabilities record charts, attachments and steps into the recorder (dev.dyno.view); "
                        + "only dyno-allure knows Allure and XChart");
    }

    /** The capability a package belongs to, by its module's name. */
    static Optional<String> capabilityOf(String packageName) {
        for (String capability : CAPABILITIES) {
            if (PackageMatcher.of(capability).matches(packageName)) {
                String name = capability.substring("dev.dyno.".length(), capability.length() - "..".length());
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    private static String[] concat(String[]... groups) {
        return java.util.Arrays.stream(groups).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
