package dev.dyno.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.Extension;

/**
 * What a module adds to every {@code @PerfTest}, found with {@link java.util.ServiceLoader} (list the
 * class in {@code META-INF/services/dev.dyno.spi.PerfTestPlugin}), so that the core need not know
 * the module: the runtimes module gives perf tests a {@code WorkloadRuntime} parameter this way.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>One instance, made with the public no-argument constructor when {@code @PerfTest}'s extension
 *     is first loaded, serves every perf test of the JVM, in parallel too: keep per-test state in
 *     the test's {@link org.junit.jupiter.api.extension.ExtensionContext.Store}, never in fields.</li>
 * <li>Two callbacks are honoured. A plugin that implements
 *     {@link org.junit.jupiter.api.extension.ParameterResolver} is asked for every parameter of a
 *     perf test that is not the {@code Recorder}; the first plugin that supports a parameter
 *     resolves it. A plugin that implements
 *     {@link org.junit.jupiter.api.extension.AfterTestExecutionCallback} runs after the method and
 *     before the test's metrics are taken for thresholds and reports, so what it records counts.
 *     Other extension interfaces are not called.</li>
 * <li>Resources a plugin hands to a test are stored in the test's store as {@link AutoCloseable}s,
 *     so that JUnit closes them when the test ends.</li>
 * </ul>
 *
 * <p>A plugin applies to every perf test; for an experiment a test opts into, write a capability
 * ({@link CapabilityExtension}) instead.
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public interface PerfTestPlugin extends Extension {
}
