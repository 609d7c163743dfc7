package dev.dyno.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * How big a run should be: {@link #CI} sizes that keep {@code mvn verify} short, or {@link #FULL}
 * sizes that reproduce a guide's experiment. Chosen with the configuration parameter
 * {@value #PROPERTY} ({@code ci} by default; the example suites' {@code -Pperf} profile sets
 * {@code full}); see {@link DynoConfiguration}.
 *
 * <pre>{@code
 * int repetitions = RunMode.current().pick(5, 20);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum RunMode {
    CI, FULL;

    /** The configuration parameter that selects the mode; {@link DynoConfiguration#MODE_PROPERTY}. */
    public static final String PROPERTY = DynoConfiguration.MODE_PROPERTY;

    /**
     * The mode of the {@code @PerfTest} running on this thread, else the one system properties and
     * {@code junit-platform.properties} choose: {@code DynoConfiguration.current().mode()}.
     *
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException when the value is
     *         neither {@code ci} nor {@code full}
     */
    public static RunMode current() {
        return DynoConfiguration.current().mode();
    }

    /** The value for this mode. */
    public <T> T pick(T ci, T full) {
        return this == CI ? ci : full;
    }

    /** The value for this mode. */
    public int pick(int ci, int full) {
        return this == CI ? ci : full;
    }
}
