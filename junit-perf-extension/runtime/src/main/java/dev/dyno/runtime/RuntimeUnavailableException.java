package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The runtime that was asked for cannot run here (no Docker engine answers, for example). The
 * message says why and how to make it available.
 *
 * <pre>{@code
 * Runtimes.open("docker");   // throws when no engine answers
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class RuntimeUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RuntimeUnavailableException(String message) {
        super(message);
    }

    public RuntimeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
