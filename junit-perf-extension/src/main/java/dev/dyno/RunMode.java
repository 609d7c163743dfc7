package dev.dyno;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apiguardian.api.API;

/**
 * How big a run should be: {@link #CI} sizes that keep {@code mvn verify} short, or {@link #FULL}
 * sizes that reproduce a guide's experiment. Chosen with the system property {@value #PROPERTY}
 * ({@code ci} by default; the example suites' {@code -Pperf} profile sets {@code full}).
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

    /** The system property that selects the mode. */
    public static final String PROPERTY = "dyno.mode";

    /**
     * The mode of this JVM.
     *
     * @throws IllegalArgumentException when the property is neither {@code ci} nor {@code full}
     */
    public static RunMode current() {
        String value = System.getProperty(PROPERTY, "ci").strip().toLowerCase(Locale.ROOT);
        return switch (value) {
            case "ci" -> CI;
            case "full" -> FULL;
            default -> throw new IllegalArgumentException("system property " + PROPERTY + " is \"" + value
                    + "\"; allowed are \"ci\" (short runs, the default) and \"full\" (the guides' sizes)");
        };
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
