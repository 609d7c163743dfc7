package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.concurrent.Callable;
import org.apiguardian.api.API;

/**
 * What a load run sends requests to: an HTTP endpoint ({@link #http(HttpRequestSpec)}) or any Java
 * code ({@link #call(String, int, Callable)}), one call per request.
 *
 * <p>{@link #send} must not block: it starts the request and returns; the target reports the end
 * through the {@link Completion} exactly once, from any thread. The two timestamps travel with the
 * request so the generator can record latency from the <em>intended</em> start (coordinated
 * omission corrected) and from the moment it was really sent (service time) without allocating.
 *
 * <pre>{@code
 * LoadTarget target = LoadTarget.call("in-process cache", 8, () -> cache.get("k"));
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public interface LoadTarget extends AutoCloseable {

    /**
     * Starts one request.
     *
     * @param intendedNanos the {@link System#nanoTime()} at which the schedule meant it to start
     * @param sentNanos     the {@link System#nanoTime()} at which it was handed to the target
     * @param completion    to call exactly once when the request has ended, with the time the
     *                      request really started service: {@code sentNanos}, or later when it
     *                      first waited for a connection or a worker (that wait is queueing, part of
     *                      the corrected latency but not of the service time)
     */
    void send(long intendedNanos, long sentNanos, Completion completion);

    /** A short description for reports, such as {@code POST http://127.0.0.1:8080/generate}. */
    String description();

    /**
     * The names of the kinds of request this target sends, when it sends several (an HTTP request
     * mix); each phase then records them apart under {@code <phase>.<kind>.latency}, {@code .ok} and
     * {@code .failed}, and the target passes the kind to {@link Completion#complete(long, long, Outcome, int)}.
     * Empty (the default) for a target with one kind of request.
     *
     * @since 0.2
     */
    default java.util.List<String> kinds() {
        return java.util.List.of();
    }

    /** Releases connections and threads; requests still in flight end as failures. */
    @Override
    default void close() {
    }

    /** Receives the end of a request. Implementations are allocation-free. */
    @FunctionalInterface
    interface Completion {
        void complete(long intendedNanos, long sentNanos, Outcome outcome);

        /**
         * The end of a request of the kind at {@code kind} in {@link LoadTarget#kinds()}.
         *
         * @since 0.2
         */
        default void complete(long intendedNanos, long sentNanos, Outcome outcome, int kind) {
            complete(intendedNanos, sentNanos, outcome);
        }
    }

    /**
     * Configuration parameter: how many I/O threads an HTTP target runs, from 1 to 64. By default one
     * per four cores, at least one and at most four, since the service under test shares the machine;
     * {@link dev.dyno.config.DynoConfiguration#LOAD_IO_THREADS_PROPERTY}.
     */
    String IO_THREADS_PROPERTY = dev.dyno.config.DynoConfiguration.LOAD_IO_THREADS_PROPERTY;

    /**
     * An HTTP target (non-blocking over Netty, HTTP/1.1 keep-alive, the request as wrk sends
     * it), with the I/O threads {@value #IO_THREADS_PROPERTY} in
     * {@link dev.dyno.config.DynoConfiguration#current()} asks for, and its resolve rules and TLS settings
     * ({@code dyno.load.resolve}, {@code dyno.load.tls.*}) for an {@code https} URI.
     *
     * @throws org.junit.jupiter.api.extension.ExtensionConfigurationException when
     *         {@value #IO_THREADS_PROPERTY} is set to anything but a whole number from 1 to 64
     */
    static LoadTarget http(HttpRequestSpec request) {
        dev.dyno.config.DynoConfiguration configuration = dev.dyno.config.DynoConfiguration.current();
        return new HttpTarget(request, HttpTarget.ioThreads(configuration), configuration);
    }

    /**
     * A Java target: each request calls {@code call} on one of {@code threads} worker threads.
     * A call that returns is {@link Outcome#OK}; one that throws is {@link Outcome#ERROR}
     * ({@link Outcome#TIMEOUT} for a {@link java.util.concurrent.TimeoutException}). Requests wait
     * for a free thread, and that wait is part of their latency, as queueing in a real service is.
     */
    static LoadTarget call(String description, int threads, Callable<?> call) {
        return new CallableTarget(description, threads, call);
    }
}
