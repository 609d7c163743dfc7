package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A workload's METRICS_JSON block is missing or is not one JSON object.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class MalformedMetricsJsonException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedMetricsJsonException(String message) {
        super(message);
    }

    public MalformedMetricsJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
