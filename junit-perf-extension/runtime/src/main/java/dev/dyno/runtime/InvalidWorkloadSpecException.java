package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A workload was described in a way no runtime can honour; thrown before anything starts (or
 * after whatever started was stopped again).
 *
 * <p>The message names the field, the value and what is allowed, for example
 * {@code WorkloadSpec.cpuLimit = -1.0: not allowed; expected a positive number of cores, at least 0.01 (e.g. 0.5, 2)}.
 *
 * <pre>{@code
 * assertThatThrownBy(() -> spec.withCpuLimit(0))
 *     .isInstanceOf(InvalidWorkloadSpecException.class)
 *     .hasMessageContaining("WorkloadSpec.cpuLimit = 0.0");
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class InvalidWorkloadSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String field;
    private final transient Object value;

    /**
     * @param field   the {@link WorkloadSpec} component, such as {@code cpuLimit}
     * @param value   the offending value
     * @param problem what is wrong and what is allowed
     */
    public InvalidWorkloadSpecException(String field, Object value, String problem) {
        super("WorkloadSpec." + field + " = " + render(value) + ": " + problem);
        this.field = field;
        this.value = value;
    }

    /** The {@link WorkloadSpec} component at fault, such as {@code cpuLimit}. */
    public String field() {
        return field;
    }

    /** The value that was rejected. */
    public Object value() {
        return value;
    }

    private static String render(Object value) {
        return value instanceof CharSequence ? "'" + value + "'" : String.valueOf(value);
    }
}
