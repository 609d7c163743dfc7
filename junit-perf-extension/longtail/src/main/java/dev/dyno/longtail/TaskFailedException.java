package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A task, or one of its setup or cleanup commands, that did not start, exited with a non-zero
 * code, or was still running at the timeout. Every process of the run has been stopped by the
 * time this is thrown; the message names the task, its command, the policy and what went wrong.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class TaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TaskFailedException(String message) {
        super(message);
    }

    public TaskFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
