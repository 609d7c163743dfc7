package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A workload's {@link Readiness} condition did not come true within
 * {@link WorkloadSpec#readinessTimeout()}, or the workload exited before it did. The workload has
 * been stopped; the message names the condition, the timeout and the last lines of output.
 *
 * <pre>{@code
 * assertThatThrownBy(() -> runtime.start(spec.withReadiness(Readiness.logLine("never"))
 *                                            .withReadinessTimeout(Duration.ofSeconds(1))))
 *     .isInstanceOf(WorkloadNotReadyException.class);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class WorkloadNotReadyException extends WorkloadException {

    private static final long serialVersionUID = 1L;

    public WorkloadNotReadyException(String message) {
        super(message);
    }
}
