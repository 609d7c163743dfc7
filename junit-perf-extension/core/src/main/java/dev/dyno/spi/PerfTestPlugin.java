package dev.dyno.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.Extension;

/**
 * What a module adds to every {@code @PerfTest}, found with {@link java.util.ServiceLoader} (list the
 * class in {@code META-INF/services/dev.dyno.spi.PerfTestPlugin}), so that the core need not know
 * the module: the runtimes module gives perf tests a {@code WorkloadRuntime} parameter this way. A
 * plugin may implement {@link org.junit.jupiter.api.extension.ParameterResolver} and
 * {@link org.junit.jupiter.api.extension.AfterTestExecutionCallback}; the latter runs before the
 * test's metrics are taken for its report, so what it records is reported.
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public interface PerfTestPlugin extends Extension {
}
