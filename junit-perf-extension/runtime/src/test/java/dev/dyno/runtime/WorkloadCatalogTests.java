package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

@DisplayName("The workload catalog")
class WorkloadCatalogTests {

    @Test
    @DisplayName("finds a registered workload by name, with a fresh spec each time")
    void findsRegistered() {
        WorkloadCatalog.register("catalog-test-sleeper", () -> WorkloadSpec.ofCommand("sleep", "1"));
        assertThat(WorkloadCatalog.require("@X(workload)", "catalog-test-sleeper").command())
                .containsExactly("sleep", "1");
    }

    @Test
    @DisplayName("names the attribute, the value and the known workloads for an unknown name")
    void unknownName() {
        WorkloadCatalog.register("catalog-test-known", () -> WorkloadSpec.ofCommand("true"));
        assertThatThrownBy(() -> WorkloadCatalog.require("@LoadProfile(service)", "inference-servise"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@LoadProfile(service) value \"inference-servise\" is not a known workload")
                .hasMessageContaining("catalog-test-known");
    }

    @Test
    @DisplayName("runs a Java main class of this class path with this JVM's java")
    void javaMain() {
        WorkloadSpec spec = WorkloadSpec.ofJavaMain(WorkloadCatalogTests.class, "--flag");
        assertThat(spec.command()).endsWith(WorkloadCatalogTests.class.getName(), "--flag");
        assertThat(spec.command().get(0)).endsWith("/bin/java");
    }
}
