package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * How one request of a load run ended. Everything but {@link #OK} counts as a failure of its
 * phase; {@link #DROPPED} is a request the generator never sent because too many were already in
 * flight (k6's dropped iterations).
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Outcome {
    /** Answered as expected (for HTTP: one of the expected status codes). */
    OK,
    /** Answered with a status code that was not expected, such as 503. */
    UNEXPECTED_STATUS,
    /**
     * Answered with an expected status, but a {@link LoadProfile.Check} of the answer failed.
     *
     * @since 0.2
     */
    CHECK_FAILED,
    /** No answer within the request timeout. */
    TIMEOUT,
    /** The connection could not be made (refused, reset while connecting). */
    CONNECT,
    /**
     * The TLS handshake failed: a certificate not trusted, a host name it does not name, a client
     * certificate refused.
     *
     * @since 0.2
     */
    TLS,
    /** The connection broke while the request or response was on the wire. */
    IO,
    /** Any other error, such as an exception thrown by a Java target. */
    ERROR,
    /** Never sent: the in-flight limit was reached. */
    DROPPED,
    /** Still in flight when the run stopped waiting for it. */
    ABANDONED;

    /** The key used in the {@code <phase>.failures} distribution, such as {@code unexpected_status}. */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
