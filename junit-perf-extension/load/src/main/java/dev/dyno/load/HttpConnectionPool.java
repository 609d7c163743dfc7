package dev.dyno.load;

import dev.dyno.load.LoadTarget.Completion;
import dev.dyno.metrics.Timer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.util.Timeout;

/**
 * The connections of an {@link HttpTarget}, held here rather than in HttpCore's pool, one request
 * on the wire per connection, at most {@link HttpPlan#connections()} of them (as permits).
 *
 * <p>A request that finds every connection busy waits in a queue, not pipelined on a busy
 * connection, so its service time starts when a connection takes it (what wrk would measure)
 * while its latency counts from the intended start. A connection whose answer has just arrived
 * goes, with its permit, straight to the next request sent from that answer's completion on the
 * same I/O thread (a closed-model user's next request, as a wrk connection does), so it skips the
 * idle queue and never wakes another I/O thread.
 */
final class HttpConnectionPool implements AutoCloseable {

    /**
     * Sends one request on a connection the pool hands out; the exchange gives the connection back
     * through {@link #answered} or {@link #discard}.
     */
    @FunctionalInterface
    interface Exchanges {
        void start(AsyncClientEndpoint endpoint, long intendedNanos, long sentNanos, Completion completion);
    }

    /** The time a new connection was asked for, handed through HttpCore to the TLS upgrade as the connect's attachment. */
    static final class ConnectTiming {
        final long startNanos = System.nanoTime();
    }

    private record Waiting(long intendedNanos, Completion completion) {
    }

    private final HttpAsyncRequester requester;
    private final HttpAddresses addresses;
    private final Timeout connectTimeout;
    /** False when TLS times the connect, as it ends where the handshake starts. */
    private final boolean timesConnect;
    private final Exchanges exchanges;
    private volatile Timer connectTimer;
    private final AtomicInteger available;
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final Queue<AsyncClientEndpoint> idle = new ConcurrentLinkedQueue<>();
    /** The connection being handed from an answer to the next request on this thread, with its permit. */
    private final ThreadLocal<AsyncClientEndpoint[]> handedOver = ThreadLocal.withInitial(() -> new AsyncClientEndpoint[1]);
    private volatile boolean closed;

    HttpConnectionPool(HttpAsyncRequester requester, HttpAddresses addresses, int connections, Timeout connectTimeout,
            boolean timesConnect, Timer connectTimer, Exchanges exchanges) {
        this.requester = requester;
        this.addresses = addresses;
        this.available = new AtomicInteger(connections);
        this.connectTimeout = connectTimeout;
        this.timesConnect = timesConnect;
        this.connectTimer = connectTimer;
        this.exchanges = exchanges;
    }

    /** Times plain connects with this from now on. */
    void timeConnectsWith(Timer connectTimer) {
        this.connectTimer = connectTimer;
    }

    /** Sends the request on the connection handed over on this thread, an idle or a new one, or queues it. */
    void send(long intendedNanos, long sentNanos, Completion completion) {
        AsyncClientEndpoint[] slot = handedOver.get();
        AsyncClientEndpoint endpoint = slot[0];
        if (endpoint != null) {
            slot[0] = null;
            exchanges.start(endpoint, intendedNanos, sentNanos, completion);
        } else if (tryAcquire()) {
            execute(intendedNanos, sentNanos, completion);
        } else {
            waiting.add(new Waiting(intendedNanos, completion));
            startWaiting();
        }
    }

    /**
     * An exchange has its answer: the connection is kept for the next request unless the pool is
     * closed or the answer ended the connection; then {@code completion} hears the outcome.
     */
    void answered(AsyncClientEndpoint endpoint, Outcome outcome, long intendedNanos, long sentNanos,
            Completion completion, int kind) {
        // An answer that ends its connection (Connection: close, HTTP/1.0) has already marked it unconnected.
        if (!closed && endpoint.isConnected()) {
            reuse(endpoint, outcome, intendedNanos, sentNanos, completion, kind);
        } else {
            discard(endpoint);
            completion.complete(intendedNanos, sentNanos, outcome, kind);
        }
    }

    /** Closes a connection whose exchange failed or ended it, and frees its permit. */
    void discard(AsyncClientEndpoint endpoint) {
        endpoint.releaseAndDiscard();
        released();
    }

    /** At most one request per connection is on the wire: requests that found every connection busy go out as permits free. */
    private void startWaiting() {
        while (!waiting.isEmpty() && tryAcquire()) {
            Waiting next = waiting.poll();
            if (next == null) {
                available.incrementAndGet();
                continue;
            }
            execute(next.intendedNanos(), System.nanoTime(), next.completion());
        }
    }

    private boolean tryAcquire() {
        int n;
        while ((n = available.get()) > 0) {
            if (available.compareAndSet(n, n - 1)) {
                return true;
            }
        }
        return false;
    }

    private void released() {
        available.incrementAndGet();
        if (!waiting.isEmpty()) {
            startWaiting();
        }
    }

    /** Puts a connection whose exchange ended well back for the next request, keeping or giving up its permit. */
    private void reuse(AsyncClientEndpoint endpoint, Outcome outcome, long intendedNanos, long sentNanos,
            Completion completion, int kind) {
        AsyncClientEndpoint[] slot = handedOver.get();
        if (!waiting.isEmpty() || slot[0] != null) {
            // Requests already waiting come first, oldest first; and a held connection is never overwritten.
            idle.add(endpoint);
            released();
            completion.complete(intendedNanos, sentNanos, outcome, kind);
            return;
        }
        slot[0] = endpoint;
        try {
            completion.complete(intendedNanos, sentNanos, outcome, kind);
        } finally {
            if (slot[0] == endpoint) {
                // The completion sent nothing on this thread: the connection waits for whoever is next.
                slot[0] = null;
                idle.add(endpoint);
                released();
            }
        }
    }

    /** With a permit: an idle connection that is still connected, else a new one. */
    private void execute(long intendedNanos, long sentNanos, Completion completion) {
        AsyncClientEndpoint endpoint;
        while ((endpoint = idle.poll()) != null && !endpoint.isConnected()) {
            endpoint.releaseAndDiscard();
        }
        if (endpoint != null) {
            exchanges.start(endpoint, intendedNanos, sentNanos, completion);
            return;
        }
        int index = addresses.next();
        ConnectTiming timing = new ConnectTiming();
        try {
            requester.connect(addresses.host(index), connectTimeout, timing, new FutureCallback<AsyncClientEndpoint>() {
                @Override
                public void completed(AsyncClientEndpoint connected) {
                    addresses.connected(index);
                    if (timesConnect) {
                        connectTimer.recordSince(timing.startNanos);
                    }
                    exchanges.start(connected, intendedNanos, sentNanos, completion);
                }

                @Override
                public void failed(Exception failure) {
                    released();
                    completion.complete(intendedNanos, sentNanos, HttpFailures.classifyConnect(failure));
                }

                @Override
                public void cancelled() {
                    released();
                    completion.complete(intendedNanos, sentNanos, Outcome.ERROR);
                }
            });
        } catch (RuntimeException e) {
            released();
            completion.complete(intendedNanos, sentNanos, HttpFailures.classify(e));
        }
    }

    /** Closes the idle connections; a connection whose answer arrives from now on is closed, not kept. */
    @Override
    public void close() {
        closed = true;
        AsyncClientEndpoint endpoint;
        while ((endpoint = idle.poll()) != null) {
            endpoint.releaseAndDiscard();
        }
    }
}
