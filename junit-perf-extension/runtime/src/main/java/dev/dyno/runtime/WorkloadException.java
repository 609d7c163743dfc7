package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A workload could not be started, failed before it was ready, or did not do what was awaited in
 * time. Whatever was started for it has been stopped when this is thrown from
 * {@link WorkloadRuntime#start(WorkloadSpec)}.
 *
 * <pre>{@code
 * try {
 *     workload.awaitExit(Duration.ofSeconds(5));
 * } catch (WorkloadException e) {
 *     // the message quotes the workload's last output lines
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class WorkloadException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public WorkloadException(String message) {
        super(message);
    }

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
