package dev.dyno.load;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HeaderElements;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpVersion;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.impl.bootstrap.AsyncRequesterBootstrap;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.message.BasicHeader;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.AsyncClientExchangeHandler;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * HTTP through Apache HttpCore 5's asynchronous requester, the transport that HttpClient 5 is built on.
 *
 * <p>Why this client: an open-model generator must start requests without waiting for earlier
 * ones, so it needs a non-blocking client whose I/O threads carry thousands of connections. The
 * requester is HttpClient 5's minimal client without the client's per-request stages (its context,
 * its request interceptors): a load generator needs none of redirects, cookies, authentication,
 * a {@code User-Agent} or {@code Expect: 100-continue}. A GET goes out as wrk sends it, request
 * line and {@code Host} (plus the spec's headers); a body adds its {@code Content-Length} and
 * {@code Content-Type}. Measured on loopback against the same nginx as wrk it reached more requests
 * per second than the JDK's {@code HttpClient} and than HttpClient 5's minimal client (see
 * {@code benchmarks/LoadVsWrk}).
 *
 * <p>Per request: one {@link Exchange} object is the whole exchange (request, status-only answer,
 * completion), and a request without a body is built once and sent as is; the body of the answer
 * is discarded as it arrives, so a response costs no copy.
 * Connections are held here, one request on the wire per connection. A connection whose answer
 * has just arrived goes, with its permit, straight to the next request sent from that answer's
 * completion on the same I/O thread (a closed-model user's next request, as a wrk connection does),
 * so it skips the idle queue and never wakes another I/O thread.
 */
final class HttpTarget implements LoadTarget {

    /**
     * One I/O thread per four cores, at least one and at most four: the service under test runs on
     * this machine too, and every core the generator takes is one the service does not get. On 2
     * cores against nginx ({@code LoadVsWrk --io-threads 1,2}, benchmarks/README.md) one I/O thread
     * spent 8.1 µs of CPU per request and reached 86 % of wrk's rate, two spent 11.7 µs and reached
     * 67 %: the second thread mostly added contention, for the cores and for the shared counters
     * and histograms. {@value LoadTarget#IO_THREADS_PROPERTY} overrides it.
     */
    static final int DEFAULT_IO_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 4));

    private static final TlsStrategy NO_TLS = (layer, host, local, remote, attachment, timeout) -> false;

    private final HttpRequestSpec spec;
    private final HttpAsyncRequester requester;
    private final HttpHost host;
    private final Timeout connectTimeout;
    private final String method;
    private final String path;
    private final boolean[] expected = new boolean[600];
    private final Header[] headers;
    private final byte[] body;
    private final ContentType contentType;
    /** The request of a spec without a body, sent as is every time: nothing adds to it or changes it. */
    private final HttpRequest bodiless;
    private final AtomicInteger available;
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final Queue<AsyncClientEndpoint> idle = new ConcurrentLinkedQueue<>();
    /** The connection being handed from an answer to the next request on this thread, with its permit. */
    private final ThreadLocal<AsyncClientEndpoint[]> handedOver = ThreadLocal.withInitial(() -> new AsyncClientEndpoint[1]);
    private volatile boolean closed;

    HttpTarget(HttpRequestSpec spec, int ioThreads) {
        this.spec = spec;
        this.available = new AtomicInteger(spec.connections());
        URI uri = spec.uri();
        this.host = new HttpHost("http", uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 80);
        this.method = spec.method();
        String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        this.path = uri.getRawQuery() == null ? rawPath : rawPath + "?" + uri.getRawQuery();
        spec.expectedStatus().forEach(s -> expected[s] = true);
        List<Header> all = new ArrayList<>();
        if (spec.headers().keySet().stream().noneMatch(HttpHeaders.HOST::equalsIgnoreCase)) {
            // What wrk sends, and what HttpCore's RequestTargetHost would format again for every request.
            all.add(new BasicHeader(HttpHeaders.HOST, uri.getPort() > 0 ? uri.getHost() + ":" + uri.getPort() : uri.getHost()));
        }
        spec.headers().forEach((name, value) -> {
            if (!name.equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                all.add(new BasicHeader(name, value));
            }
        });
        this.headers = all.toArray(Header[]::new);
        this.body = spec.body();
        String type = spec.headers().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE))
                .map(Map.Entry::getValue).findFirst().orElse("application/json");
        this.contentType = ContentType.parse(type);
        this.bodiless = body.length == 0 ? request() : null;
        this.connectTimeout = Timeout.of(spec.timeout());
        IOReactorConfig reactor = IOReactorConfig.custom()
                .setIoThreadCount(ioThreads)
                .setTcpNoDelay(true)
                .setSoTimeout(connectTimeout)
                .build();
        this.requester = AsyncRequesterBootstrap.bootstrap()
                .setIOReactorConfig(reactor)
                .setHttp1Config(Http1Config.DEFAULT)
                // Content-Length and Content-Type of a body; nothing else is added to the spec's request.
                .setHttpProcessor(body.length == 0 ? HttpProcessorBuilder.create().build()
                        : HttpProcessorBuilder.create().add(new RequestContent()).build())
                .setConnectionReuseStrategy(HttpTarget::keepAlive)
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                // Plain HTTP only (HttpRequestSpec allows no other scheme): no TLS context to load at start.
                .setTlsStrategy(NO_TLS)
                .setMaxTotal(spec.connections())
                .setDefaultMaxPerRoute(spec.connections())
                .create();
        requester.start();
    }

    /** {@value LoadTarget#IO_THREADS_PROPERTY} when set, else {@link #DEFAULT_IO_THREADS}. */
    static int ioThreads(dev.dyno.DynoConfiguration configuration) {
        return configuration.loadIoThreads().orElse(DEFAULT_IO_THREADS);
    }

    private HttpRequest request() {
        BasicHttpRequest request = new BasicHttpRequest(method, path);
        request.setHeaders(headers);
        return request;
    }

    @Override
    public void send(long intendedNanos, long sentNanos, Completion completion) {
        AsyncClientEndpoint[] slot = handedOver.get();
        AsyncClientEndpoint endpoint = slot[0];
        if (endpoint != null) {
            slot[0] = null;
            exchange(endpoint, intendedNanos, sentNanos, completion);
        } else if (tryAcquire()) {
            execute(intendedNanos, sentNanos, completion);
        } else {
            waiting.add(new Waiting(intendedNanos, completion));
            startWaiting();
        }
    }

    /**
     * At most one request per connection is on the wire: a request that finds every connection
     * busy waits here, not pipelined on a busy connection, so its service time starts when a
     * connection takes it (what wrk would measure) while its latency counts from the intended start.
     */
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
            Completion completion) {
        AsyncClientEndpoint[] slot = handedOver.get();
        if (!waiting.isEmpty() || slot[0] != null) {
            // Requests already waiting come first, oldest first; and a held connection is never overwritten.
            idle.add(endpoint);
            released();
            completion.complete(intendedNanos, sentNanos, outcome);
            return;
        }
        slot[0] = endpoint;
        try {
            completion.complete(intendedNanos, sentNanos, outcome);
        } finally {
            if (slot[0] == endpoint) {
                // The completion sent nothing on this thread: the connection waits for whoever is next.
                slot[0] = null;
                idle.add(endpoint);
                released();
            }
        }
    }

    private void execute(long intendedNanos, long sentNanos, Completion completion) {
        AsyncClientEndpoint endpoint;
        while ((endpoint = idle.poll()) != null && !endpoint.isConnected()) {
            endpoint.releaseAndDiscard();
        }
        if (endpoint != null) {
            exchange(endpoint, intendedNanos, sentNanos, completion);
            return;
        }
        try {
            requester.connect(host, connectTimeout, null, new FutureCallback<AsyncClientEndpoint>() {
                @Override
                public void completed(AsyncClientEndpoint connected) {
                    exchange(connected, intendedNanos, sentNanos, completion);
                }

                @Override
                public void failed(Exception failure) {
                    released();
                    completion.complete(intendedNanos, sentNanos, failure instanceof IOException ? Outcome.CONNECT
                            : classify(failure));
                }

                @Override
                public void cancelled() {
                    released();
                    completion.complete(intendedNanos, sentNanos, Outcome.ERROR);
                }
            });
        } catch (RuntimeException e) {
            released();
            completion.complete(intendedNanos, sentNanos, classify(e));
        }
    }

    /** One request on a connection this target holds: no pool lease and release per request. */
    private void exchange(AsyncClientEndpoint endpoint, long intendedNanos, long sentNanos, Completion completion) {
        Exchange exchange = new Exchange(endpoint, intendedNanos, sentNanos, completion);
        try {
            endpoint.execute(exchange, null, null);
        } catch (RuntimeException e) {
            exchange.failed(e);
        }
    }

    private record Waiting(long intendedNanos, Completion completion) {
    }

    @Override
    public String description() {
        return spec.toString();
    }

    @Override
    public void close() {
        closed = true;
        AsyncClientEndpoint endpoint;
        while ((endpoint = idle.poll()) != null) {
            endpoint.releaseAndDiscard();
        }
        requester.close(CloseMode.IMMEDIATE);
    }

    /**
     * {@link DefaultConnectionReuseStrategy}'s answer, without tokenizing headers in the common
     * case: an HTTP/1.1 answer with one {@code Content-Length} and no {@code Connection} header other
     * than {@code keep-alive} is kept. Every other answer is left to the default strategy.
     */
    static boolean keepAlive(HttpRequest request, HttpResponse response, HttpContext context) {
        if (HttpVersion.HTTP_1_1.equals(response.getVersion())
                && (request == null || !request.containsHeader(HttpHeaders.CONNECTION))) {
            int lengths = 0;
            boolean plain = true;
            for (Iterator<Header> it = response.headerIterator(); it.hasNext(); ) {
                Header header = it.next();
                String name = header.getName();
                if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                    lengths++;
                } else if (name.equalsIgnoreCase(HttpHeaders.CONNECTION)) {
                    plain &= HeaderElements.KEEP_ALIVE.equalsIgnoreCase(header.getValue());
                } else if (name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING)
                        || name.equalsIgnoreCase(HttpHeaders.PROXY_CONNECTION)) {
                    plain = false;
                }
            }
            if (plain && lengths == 1) {
                return true;
            }
        }
        return DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context);
    }

    static Outcome classify(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return Outcome.CONNECT;
            }
            if (t instanceof SocketTimeoutException || t instanceof TimeoutException
                    || t instanceof InterruptedIOException) {
                return Outcome.TIMEOUT;
            }
        }
        return failure instanceof IOException || failure instanceof HttpException ? Outcome.IO : Outcome.ERROR;
    }

    /**
     * One request and its answer: produces the request, keeps the status code, throws the body
     * away as it arrives, and reports the end exactly once, whichever of answer, failure or
     * cancellation comes first.
     */
    private final class Exchange implements AsyncClientExchangeHandler {
        private static final VarHandle ENDED;

        static {
            try {
                ENDED = MethodHandles.lookup().findVarHandle(Exchange.class, "ended", boolean.class);
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        private final AsyncClientEndpoint endpoint;
        private final long intendedNanos;
        private final long sentNanos;
        private final Completion completion;
        private final AsyncEntityProducer entity;
        private int status;
        @SuppressWarnings("unused") // through ENDED
        private volatile boolean ended;

        Exchange(AsyncClientEndpoint endpoint, long intendedNanos, long sentNanos, Completion completion) {
            this.endpoint = endpoint;
            this.intendedNanos = intendedNanos;
            this.sentNanos = sentNanos;
            this.completion = completion;
            this.entity = body.length == 0 ? null : new BasicAsyncEntityProducer(body, contentType);
        }

        @Override
        public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
            channel.sendRequest(bodiless != null ? bodiless : request(), entity, context);
        }

        @Override
        public int available() {
            return entity == null ? 0 : entity.available();
        }

        @Override
        public void produce(DataStreamChannel channel) throws IOException {
            if (entity != null) {
                entity.produce(channel);
            }
        }

        @Override
        public void consumeInformation(HttpResponse response, HttpContext context) {
        }

        @Override
        public void consumeResponse(HttpResponse response, EntityDetails entityDetails, HttpContext context) {
            status = response.getCode();
            if (entityDetails == null) {
                answered();
            }
        }

        @Override
        public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
            capacityChannel.update(Integer.MAX_VALUE);
        }

        @Override
        public void consume(ByteBuffer src) {
            src.position(src.limit());
        }

        @Override
        public void streamEnd(List<? extends Header> trailers) {
            answered();
        }

        @Override
        public void failed(Exception cause) {
            end(classify(cause));
        }

        @Override
        public void cancel() {
            end(Outcome.ERROR);
        }

        @Override
        public void releaseResources() {
            if (entity != null) {
                entity.releaseResources();
            }
            // Released without an answer, a failure or a cancellation: the connection went away under it.
            end(Outcome.IO);
        }

        private void answered() {
            if (!ENDED.compareAndSet(this, false, true)) {
                return;
            }
            Outcome outcome = status >= 0 && status < expected.length && expected[status] ? Outcome.OK
                    : Outcome.UNEXPECTED_STATUS;
            // An answer that ends its connection (Connection: close, HTTP/1.0) has already marked it unconnected.
            if (!closed && endpoint.isConnected()) {
                reuse(endpoint, outcome, intendedNanos, sentNanos, completion);
            } else {
                endpoint.releaseAndDiscard();
                released();
                completion.complete(intendedNanos, sentNanos, outcome);
            }
        }

        private void end(Outcome failure) {
            if (!ENDED.compareAndSet(this, false, true)) {
                return;
            }
            endpoint.releaseAndDiscard();
            released();
            completion.complete(intendedNanos, sentNanos, failure);
        }
    }
}
