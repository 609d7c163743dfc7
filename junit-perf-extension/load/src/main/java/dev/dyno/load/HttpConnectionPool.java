package dev.dyno.load;

import dev.dyno.load.LoadTarget.Completion;
import dev.dyno.metrics.Timer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The connections of an {@link HttpTarget}, one request
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

    private record Waiting(long intendedNanos, Completion completion) {
    }

    /** What every connection sends, and where its answers' check failures go. */
    final HttpRequestFactory requests;
    final CheckFailures checkFailures;
    /** A request's timeout: no byte of its answer for this long. */
    final long timeoutNanos;
    private final Bootstrap bootstrap;
    private final HttpAddresses addresses;
    /** Null for plain HTTP. */
    private final HttpTlsUpgrade tls;
    private volatile Timer connectTimer;
    private final AtomicInteger available;
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    /** Array-based, so that putting a connection back makes no queue node; never holds more than the permits. */
    private final Queue<HttpConnection> idle;
    /** The connection being handed from an answer to the next request on this thread, with its permit. */
    private final ThreadLocal<HttpConnection[]> handedOver = ThreadLocal.withInitial(() -> new HttpConnection[1]);
    private volatile boolean closed;

    /**
     * @param bootstrap its group, channel and options set; each connection adds its own handlers
     * @param tls       null for plain HTTP
     */
    HttpConnectionPool(Bootstrap bootstrap, HttpAddresses addresses, HttpRequestFactory requests,
            CheckFailures checkFailures, int connections, long timeoutNanos, HttpTlsUpgrade tls, Timer connectTimer) {
        this.bootstrap = bootstrap;
        this.addresses = addresses;
        this.requests = requests;
        this.checkFailures = checkFailures;
        this.available = new AtomicInteger(connections);
        this.idle = new ArrayBlockingQueue<>(connections);
        this.timeoutNanos = timeoutNanos;
        this.tls = tls;
        this.connectTimer = connectTimer;
    }

    Timer connectTimer() {
        return connectTimer;
    }

    /** The TLS upgrade of each new connection; null for plain HTTP. */
    HttpTlsUpgrade tls() {
        return tls;
    }

    /** Times plain connects with this from now on. */
    void timeConnectsWith(Timer connectTimer) {
        this.connectTimer = connectTimer;
    }

    /** Sends the request on the connection handed over on this thread, an idle or a new one, or queues it. */
    void send(long intendedNanos, long sentNanos, Completion completion) {
        HttpConnection[] slot = handedOver.get();
        HttpConnection endpoint = slot[0];
        if (endpoint != null) {
            slot[0] = null;
            endpoint.start(intendedNanos, sentNanos, completion);
        } else if (closed) {
            completion.complete(intendedNanos, sentNanos, Outcome.ERROR);
        } else if (waiting.isEmpty() && tryAcquire()) {
            // (Only with nobody waiting: a freed permit goes to the oldest waiting request first.)
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
    void answered(HttpConnection endpoint, boolean keepAlive, Outcome outcome, long intendedNanos, long sentNanos,
            Completion completion, int kind) {
        // An answer that ends its connection (Connection: close, HTTP/1.0) is not kept.
        if (!closed && keepAlive) {
            reuse(endpoint, outcome, intendedNanos, sentNanos, completion, kind);
        } else {
            discard(endpoint);
            completion.complete(intendedNanos, sentNanos, outcome, kind);
        }
    }

    /** Closes a connection whose exchange failed or ended it, and frees its permit. */
    void discard(HttpConnection endpoint) {
        endpoint.close();
        released();
    }

    /** A new connection was opened to the address at {@code address}. */
    void connected(int address) {
        addresses.connected(address);
    }

    /** A new connection could not be opened (or its TLS handshake failed): its permit is freed and its request ends. */
    void connectFailed(long intendedNanos, long sentNanos, Completion completion, Throwable cause) {
        released();
        completion.complete(intendedNanos, sentNanos, HttpFailures.classifyConnect(cause));
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
    private void reuse(HttpConnection endpoint, Outcome outcome, long intendedNanos, long sentNanos,
            Completion completion, int kind) {
        HttpConnection[] slot = handedOver.get();
        if (!waiting.isEmpty() || slot[0] != null) {
            // Requests already waiting come first, oldest first; and a held connection is never overwritten.
            keepIdle(endpoint);
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
                keepIdle(endpoint);
                released();
            }
        }
    }

    /** Puts a connection back for the next request. There is always room: each connection is idle, busy with a permit, or gone. */
    private void keepIdle(HttpConnection endpoint) {
        if (!idle.offer(endpoint)) {
            endpoint.close();
        }
    }

    /** With a permit: an idle connection that is still open, else a new one. */
    private void execute(long intendedNanos, long sentNanos, Completion completion) {
        HttpConnection endpoint;
        while ((endpoint = idle.poll()) != null && !endpoint.isOpen()) {
            endpoint.close();
        }
        if (endpoint != null) {
            endpoint.start(intendedNanos, sentNanos, completion);
            return;
        }
        if (closed) {
            // The target is closing: no new connection to a server that may already be overloaded.
            released();
            completion.complete(intendedNanos, sentNanos, Outcome.ERROR);
            return;
        }
        int index = addresses.next();
        HttpConnection connection = new HttpConnection(this, index, intendedNanos, sentNanos, completion);
        try {
            ChannelFuture connect = bootstrap.clone().handler(new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel channel) {
                    if (tls != null) {
                        channel.pipeline().addLast(tls.handler(channel.alloc(), addresses.hostName(), addresses.port(),
                                timeoutNanos));
                    }
                    channel.pipeline().addLast(connection);
                }
            }).connect(addresses.host(index));
            // The connection learns its channel when its handler is added; a failure (also one at once, such
            // as no file descriptor left for the socket) is reported here.
            connect.addListener(done -> {
                if (!done.isSuccess()) {
                    connection.connectFailed(done.cause());
                }
            });
        } catch (RuntimeException e) {
            released();
            completion.complete(intendedNanos, sentNanos, HttpFailures.classify(e));
        }
    }

    /**
     * Closes the idle connections and ends the requests still waiting for one as {@link Outcome#ERROR};
     * a connection whose answer arrives from now on is closed, not kept, and no new one is opened.
     */
    @Override
    public void close() {
        closed = true;
        HttpConnection endpoint;
        while ((endpoint = idle.poll()) != null) {
            endpoint.close();
        }
        Waiting next;
        while ((next = waiting.poll()) != null) {
            next.completion().complete(next.intendedNanos(), System.nanoTime(), Outcome.ERROR);
        }
    }
}
