package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * Workloads known by name, so an annotation can say {@code service = "inference-service"} or
 * {@code workload = "java-load-test"} instead of spelling out a command.
 *
 * <p>Catalogs are found with {@link ServiceLoader}: a module that ships workloads lists its
 * implementation in {@code META-INF/services/dev.dyno.runtime.WorkloadCatalog}. Tests can also
 * {@link #register} a workload directly.
 *
 * <pre>{@code
 * public final class ExampleWorkloads implements WorkloadCatalog {
 *     public Map<String, Supplier<WorkloadSpec>> workloads() {
 *         return Map.of("inference-service", () -> WorkloadSpec.ofJavaMain(InferenceService.class, "--port", "8080")
 *                 .withReadiness(Readiness.http(URI.create("http://127.0.0.1:8080/health"))));
 *     }
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface WorkloadCatalog {

    /** The workloads this catalog defines, by name; a spec is made afresh for each use. */
    Map<String, Supplier<WorkloadSpec>> workloads();

    /** Adds a workload for this JVM, overriding a catalog entry of the same name. */
    static void register(String name, Supplier<WorkloadSpec> spec) {
        Registered.WORKLOADS.put(name, spec);
    }

    /** Every known workload: those from catalogs on the class path, then those registered. */
    static Map<String, Supplier<WorkloadSpec>> all() {
        Map<String, Supplier<WorkloadSpec>> all = new TreeMap<>();
        ServiceLoader.load(WorkloadCatalog.class).forEach(catalog -> all.putAll(catalog.workloads()));
        all.putAll(Registered.WORKLOADS);
        return all;
    }

    /** The named workload's spec, or empty. */
    static Optional<WorkloadSpec> find(String name) {
        return Optional.ofNullable(all().get(name)).map(Supplier::get);
    }

    /**
     * The named workload's spec for an annotation attribute.
     *
     * @param attribute how to name the attribute in the error, such as {@code "@LoadProfile(service)"}
     * @throws ExtensionConfigurationException naming the attribute, the value and the known workloads
     */
    static WorkloadSpec require(String attribute, String name) {
        return find(name).orElseThrow(() -> new ExtensionConfigurationException(attribute + " value \"" + name
                + "\" is not a known workload; known workloads: " + new TreeSet<>(all().keySet())
                + " (add one with a WorkloadCatalog service or WorkloadCatalog.register)"));
    }

    /** Workloads registered in this JVM. */
    final class Registered {
        static final Map<String, Supplier<WorkloadSpec>> WORKLOADS = new ConcurrentHashMap<>();

        private Registered() {
        }
    }
}
