package dev.dyno.load;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.InetAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Timer;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
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

    /** The most bytes of an answer's body kept for {@link ResponseCheck}s; the rest is not checked. */
    static final int MAX_CHECKED_BODY = 1 << 20;

    private static final TlsStrategy NO_TLS = (layer, host, local, remote, attachment, timeout) -> false;
    private static final Pattern IP_LITERAL = Pattern.compile("\\d{1,3}(?:\\.\\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*");

    private final String description;
    private final HttpPlan plan;
    private final HttpAsyncRequester requester;
    private final String hostName;
    private final int port;
    private final HttpHost[] hosts;
    private final AtomicLong[] connectionsByAddress;
    private final String addressSource;
    private final AtomicInteger nextHost = new AtomicInteger();
    private final Timeout connectTimeout;
    private final HttpTls tls;
    private final Sendable[] kinds;
    private final List<String> kindNames;
    /** Which kind each request of a cycle of the mix is: the weights, spread evenly (nginx's smooth weighted round robin). */
    private final int[] mix;
    private final AtomicLong mixCounter = new AtomicLong();
    private final AtomicLong rowCounter = new AtomicLong();
    private final int rows;
    private final boolean randomRows;
    private final CheckFailures checkFailures;
    private volatile Timer connectTimer;
    private volatile Timer handshakeTimer;
    private volatile String negotiated;
    private final AtomicInteger available;
    private final Queue<Waiting> waiting = new ConcurrentLinkedQueue<>();
    private final Queue<AsyncClientEndpoint> idle = new ConcurrentLinkedQueue<>();
    /** The connection being handed from an answer to the next request on this thread, with its permit. */
    private final ThreadLocal<AsyncClientEndpoint[]> handedOver = ThreadLocal.withInitial(() -> new AsyncClientEndpoint[1]);
    private volatile boolean closed;

    /** One kind of request, ready to send: its requests rendered for every feed row, its statuses and checks. */
    private static final class Sendable {
        final String name;
        final boolean[] expected = new boolean[600];
        final ResponseCheck[] checks;
        final boolean needsBody;
        final Rendered[] rows;

        Sendable(HttpPlan.Kind kind, Rendered[] rows) {
            this.name = kind.name();
            kind.expectStatus().forEach(s -> expected[s] = true);
            this.checks = kind.checks().toArray(ResponseCheck[]::new);
            this.needsBody = kind.needsBody();
            this.rows = rows;
        }
    }

    /**
     * One request of one kind and feed row, built before the run. A request without a body is sent
     * as is every time: nothing adds to it or changes it.
     */
    private record Rendered(int kind, String method, String path, Header[] headers, byte[] body, ContentType contentType,
            HttpRequest bodiless) {

        HttpRequest request() {
            BasicHttpRequest request = new BasicHttpRequest(method, path);
            request.setHeaders(headers);
            return request;
        }
    }

    /** The time a new connection was asked for, handed through HttpCore to the TLS upgrade as the connect's attachment. */
    private static final class ConnectTiming {
        final long startNanos = System.nanoTime();
    }

    HttpTarget(HttpRequestSpec spec, int ioThreads) {
        this(spec, ioThreads, dev.dyno.config.DynoConfiguration.of(Map.of()));
    }

    /** A target for one request, with the configuration's resolve rules and TLS settings. */
    HttpTarget(HttpRequestSpec spec, int ioThreads, dev.dyno.config.DynoConfiguration configuration) {
        this(spec.uri(), HttpPlan.of(spec), configuration.loadResolve().stream()
                        .map(r -> HttpPlan.ResolveRule.parse(r, dev.dyno.config.DynoConfiguration.LOAD_RESOLVE_PROPERTY)).toList(),
                "https".equals(spec.uri().getScheme()) ? HttpTls.of(configuration, false) : null, ioThreads);
    }

    /**
     * @param origin the scheme, host and port; its path is not used
     * @param rules  resolve rules, the first that matches the host and port wins
     * @param tls    for {@code https}; null for {@code http}
     */
    HttpTarget(URI origin, HttpPlan plan, List<HttpPlan.ResolveRule> rules, HttpTls tls, int ioThreads) {
        this.plan = plan;
        this.tls = tls;
        String scheme = origin.getScheme();
        String host = origin.getHost();
        this.hostName = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        this.port = origin.getPort() > 0 ? origin.getPort() : "https".equals(scheme) ? 443 : 80;
        String resolvedBy;
        InetAddress[] addresses;
        int connectPort = port;
        try {
            HttpPlan.ResolveRule rule = rules.stream().filter(r -> r.matches(hostName, port)).findFirst().orElse(null);
            if (rule != null) {
                addresses = new InetAddress[] {InetAddress.getByAddress(hostName, literal(rule.address()).getAddress())};
                connectPort = rule.connectPort();
                resolvedBy = rule.source() + " " + rule.host() + ":" + rule.port() + ":" + rule.address()
                        + (connectPort != port ? ":" + connectPort : "");
            } else if (IP_LITERAL.matcher(hostName).matches()) {
                addresses = new InetAddress[] {literal(hostName)};
                resolvedBy = "the address in the URL";
            } else {
                addresses = InetAddress.getAllByName(hostName);
                resolvedBy = "the system resolver";
            }
        } catch (UnknownHostException e) {
            throw LoadPlan.bad("http.url", origin, "a URL whose host resolves; " + hostName + " did not (" + e.getMessage()
                    + "); give its address with http.resolve or " + dev.dyno.config.DynoConfiguration.LOAD_RESOLVE_PROPERTY
                    + " = \"" + hostName + ":" + port + ":ADDRESS\"");
        }
        this.addressSource = resolvedBy;
        this.hosts = new HttpHost[addresses.length];
        this.connectionsByAddress = new AtomicLong[addresses.length];
        for (int i = 0; i < addresses.length; i++) {
            hosts[i] = new HttpHost(scheme, addresses[i], hostName, connectPort);
            connectionsByAddress[i] = new AtomicLong();
        }
        this.available = new AtomicInteger(plan.connections());
        String authority = origin.getPort() > 0 ? host + ":" + origin.getPort() : host;
        String base = scheme + "://" + authority;
        this.kinds = new Sendable[plan.kinds().size()];
        boolean anyBody = plan.kinds().stream().anyMatch(k -> !k.body().text().isEmpty());
        for (int k = 0; k < kinds.length; k++) {
            HttpPlan.Kind kind = plan.kinds().get(k);
            Rendered[] rendered = new Rendered[plan.rows().size()];
            // With bodies in the mix, HttpCore adds Content-Length: 0 to a bodiless POST, PUT or PATCH: build those anew.
            boolean shared = !anyBody || !Set.of("POST", "PUT", "PATCH").contains(kind.method());
            for (int r = 0; r < rendered.length; r++) {
                rendered[r] = render(k, kind, plan.rows().get(r), authority, shared);
            }
            kinds[k] = new Sendable(kind, rendered);
        }
        this.kindNames = plan.mix() ? plan.kinds().stream().map(HttpPlan.Kind::name).toList() : List.of();
        this.mix = smoothWeightedCycle(plan.kinds().stream().mapToInt(HttpPlan.Kind::weight).toArray());
        this.rows = plan.rows().size();
        this.randomRows = plan.randomRows();
        this.checkFailures = new CheckFailures(plan);
        this.description = plan.mix()
                ? plan.kinds().stream().map(k -> percent(k.weight()) + " " + k.name() + " " + k.describe())
                        .collect(Collectors.joining(", ", "mix on " + base + ": ", ""))
                : plan.kinds().get(0).method() + " " + base + plan.kinds().get(0).path().text();
        this.connectTimeout = Timeout.of(plan.timeout());
        Recorder own = Recorder.create();
        this.connectTimer = own.timer("http.connect");
        this.handshakeTimer = own.timer("http.tls_handshake");
        IOReactorConfig reactor = IOReactorConfig.custom()
                .setIoThreadCount(ioThreads)
                .setTcpNoDelay(true)
                .setSoTimeout(connectTimeout)
                .build();
        this.requester = AsyncRequesterBootstrap.bootstrap()
                .setIOReactorConfig(reactor)
                .setHttp1Config(Http1Config.DEFAULT)
                // Content-Length and Content-Type of a body; nothing else is added to the spec's request.
                .setHttpProcessor(!anyBody ? HttpProcessorBuilder.create().build()
                        : HttpProcessorBuilder.create().add(new RequestContent()).build())
                .setConnectionReuseStrategy(HttpTarget::keepAlive)
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                // Plain HTTP needs no TLS context, so none is loaded at start.
                .setTlsStrategy(tls == null ? NO_TLS : new Tls())
                .setTlsHandshakeTimeout(connectTimeout)
                .setMaxTotal(plan.connections())
                .setDefaultMaxPerRoute(plan.connections())
                .create();
        requester.start();
    }

    private static InetAddress literal(String address) throws UnknownHostException {
        // An IP literal: InetAddress parses it without asking any resolver.
        return InetAddress.getByName(address.startsWith("[") ? address.substring(1, address.length() - 1) : address);
    }

    private String percent(int weight) {
        int total = plan.kinds().stream().mapToInt(HttpPlan.Kind::weight).sum();
        return String.format(java.util.Locale.ROOT, "%.0f%%", 100.0 * weight / total);
    }

    private static Rendered render(int index, HttpPlan.Kind kind, Map<String, String> row, String authority,
            boolean shared) {
        List<Header> all = new ArrayList<>();
        if (kind.headers().stream().noneMatch(e -> HttpHeaders.HOST.equalsIgnoreCase(e.getKey()))) {
            // What wrk sends, and what HttpCore's RequestTargetHost would format again for every request.
            all.add(new BasicHeader(HttpHeaders.HOST, authority));
        }
        String type = "application/json";
        for (Map.Entry<String, Template> header : kind.headers()) {
            String value = header.getValue().render(row);
            if (header.getKey().equalsIgnoreCase(HttpHeaders.CONTENT_TYPE)) {
                type = value;
            } else {
                all.add(new BasicHeader(header.getKey(), value));
            }
        }
        byte[] body = kind.body().render(row).getBytes(StandardCharsets.UTF_8);
        Header[] headers = all.toArray(Header[]::new);
        String path = kind.path().render(row);
        HttpRequest bodiless = null;
        if (body.length == 0 && shared) {
            BasicHttpRequest request = new BasicHttpRequest(kind.method(), path);
            request.setHeaders(headers);
            bodiless = request;
        }
        return new Rendered(index, kind.method(), path, headers, body, ContentType.parse(type), bodiless);
    }

    /** The order of kinds in one cycle of the mix: each kind as often as its weight, spread as evenly as can be. */
    static int[] smoothWeightedCycle(int[] weights) {
        int gcd = 0;
        for (int w : weights) {
            gcd = java.math.BigInteger.valueOf(gcd).gcd(java.math.BigInteger.valueOf(w)).intValue();
        }
        int total = 0;
        int[] reduced = new int[weights.length];
        for (int i = 0; i < weights.length; i++) {
            reduced[i] = weights[i] / gcd;
            total += reduced[i];
        }
        int[] cycle = new int[total];
        int[] current = new int[weights.length];
        for (int n = 0; n < total; n++) {
            int best = 0;
            for (int i = 0; i < reduced.length; i++) {
                current[i] += reduced[i];
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= total;
            cycle[n] = best;
        }
        return cycle;
    }

    /** {@value LoadTarget#IO_THREADS_PROPERTY} when set, else {@link #DEFAULT_IO_THREADS}. */
    static int ioThreads(dev.dyno.config.DynoConfiguration configuration) {
        return configuration.loadIoThreads().orElse(DEFAULT_IO_THREADS);
    }

    /** Records connection set-up into {@code recorder}: timers {@code http.connect} and {@code http.tls_handshake}. */
    void recordInto(Recorder recorder) {
        this.connectTimer = recorder.timer("http.connect");
        if (tls != null) {
            this.handshakeTimer = recorder.timer("http.tls_handshake");
        }
    }

    @Override
    public List<String> kinds() {
        return kindNames;
    }

    /** The host and port this target sends to, as named, such as {@code staging.example.test:443}. */
    String host() {
        return (hostName.contains(":") ? "[" + hostName + "]" : hostName) + ":" + port;
    }

    /** The addresses the host went to and how they were found, such as {@code 127.0.0.1 (http.resolve …)}. */
    String addresses() {
        return Arrays.stream(hosts).map(h -> h.getAddress().getHostAddress()).collect(Collectors.joining(", "))
                + " (" + addressSource + ")";
    }

    /** Each address with the connections opened to it so far, such as {@code 127.0.0.1: 32 connections}. */
    String traffic() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < hosts.length; i++) {
            parts.add(host() + " at " + hosts[i].getAddress().getHostAddress()
                    + (hosts[i].getPort() != port ? " port " + hosts[i].getPort() : "") + ": " + connectionsByAddress[i].get()
                    + " connections");
        }
        return String.join(", ", parts);
    }

    /** What TLS trusts and presents, or empty for plain HTTP. */
    java.util.Optional<HttpTls> tls() {
        return java.util.Optional.ofNullable(tls);
    }

    /** The protocol and cipher suite of the first handshake, such as {@code TLSv1.3 TLS_AES_128_GCM_SHA256}; null before one. */
    String negotiated() {
        return negotiated;
    }

    /** The first {@link LoadProfile.Check#EXAMPLES} answers that failed a check, secrets masked. */
    List<CheckFailure> checkFailures() {
        return checkFailures.examples();
    }

    /** Answers that failed a check, all of them. */
    long checkFailureCount() {
        return checkFailures.count();
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

    private void execute(long intendedNanos, long sentNanos, Completion completion) {
        AsyncClientEndpoint endpoint;
        while ((endpoint = idle.poll()) != null && !endpoint.isConnected()) {
            endpoint.releaseAndDiscard();
        }
        if (endpoint != null) {
            exchange(endpoint, intendedNanos, sentNanos, completion);
            return;
        }
        int index = hosts.length == 1 ? 0 : Math.floorMod(nextHost.getAndIncrement(), hosts.length);
        ConnectTiming timing = new ConnectTiming();
        try {
            requester.connect(hosts[index], connectTimeout, timing, new FutureCallback<AsyncClientEndpoint>() {
                @Override
                public void completed(AsyncClientEndpoint connected) {
                    connectionsByAddress[index].incrementAndGet();
                    if (tls == null) {
                        connectTimer.recordSince(timing.startNanos);
                    }
                    exchange(connected, intendedNanos, sentNanos, completion);
                }

                @Override
                public void failed(Exception failure) {
                    released();
                    Outcome outcome = classify(failure);
                    completion.complete(intendedNanos, sentNanos, outcome == Outcome.TLS || !(failure instanceof IOException)
                            ? outcome : Outcome.CONNECT);
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
        int kind = mix.length == 1 ? 0 : mix[(int) Math.floorMod(mixCounter.getAndIncrement(), (long) mix.length)];
        int row = rows == 1 ? 0 : randomRows ? ThreadLocalRandom.current().nextInt(rows)
                : (int) Math.floorMod(rowCounter.getAndIncrement(), (long) rows);
        Exchange exchange = new Exchange(endpoint, intendedNanos, sentNanos, completion, kinds[kind].rows[row]);
        try {
            endpoint.execute(exchange, null, null);
        } catch (RuntimeException e) {
            exchange.failed(e);
        }
    }

    private record Waiting(long intendedNanos, Completion completion) {
    }

    /** The head of an answer to be checked, and the start of its body. */
    private static final class Answer {
        final HttpResponse head;
        byte[] body = new byte[0];
        int length;

        Answer(HttpResponse head) {
            this.head = head;
        }
    }

    @Override
    public String description() {
        return description;
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
            if (t instanceof javax.net.ssl.SSLException) {
                return Outcome.TLS;
            }
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
     * TLS on each new connection: the JDK's engine with the SNI and host name of the URL (whatever
     * address the connection went to), TLS 1.3 or 1.2, HTTP/1.1 only (no ALPN). Times the TCP connect
     * (until this upgrade starts) and the handshake (until the verifier runs).
     */
    private final class Tls implements TlsStrategy {
        @Override
        public boolean upgrade(TransportSecurityLayer layer, HttpHost host, SocketAddress local, SocketAddress remote,
                Object attachment, Timeout timeout) {
            upgrade(layer, host, attachment, timeout, null);
            return true;
        }

        @Override
        public void upgrade(TransportSecurityLayer layer, NamedEndpoint endpoint, Object attachment, Timeout timeout,
                FutureCallback<TransportSecurityLayer> callback) {
            long connected = System.nanoTime();
            if (attachment instanceof ConnectTiming timing) {
                connectTimer.recordNanos(connected - timing.startNanos);
            }
            layer.startTls(tls.context(), endpoint, SSLBufferMode.STATIC, (named, engine) -> {
                SSLParameters parameters = engine.getSSLParameters();
                parameters.setProtocols(HttpTls.PROTOCOLS);
                if (!tls.insecure()) {
                    parameters.setEndpointIdentificationAlgorithm("HTTPS");
                }
                if (!IP_LITERAL.matcher(named.getHostName()).matches()) {
                    parameters.setServerNames(List.of(new SNIHostName(named.getHostName())));
                }
                engine.setSSLParameters(parameters);
            }, (named, engine) -> {
                handshakeTimer.recordSince(connected);
                if (negotiated == null) {
                    negotiated = engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
                }
                return null;
            }, timeout, callback);
        }
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
        private final Rendered rendered;
        private final AsyncEntityProducer entity;
        private int status;
        /** Only for a kind with checks, so that an unchecked request carries one field for them, not three. */
        private Answer answer;
        @SuppressWarnings("unused") // through ENDED
        private volatile boolean ended;

        Exchange(AsyncClientEndpoint endpoint, long intendedNanos, long sentNanos, Completion completion,
                Rendered rendered) {
            this.endpoint = endpoint;
            this.intendedNanos = intendedNanos;
            this.sentNanos = sentNanos;
            this.completion = completion;
            this.rendered = rendered;
            this.entity = rendered.body().length == 0 ? null
                    : new BasicAsyncEntityProducer(rendered.body(), rendered.contentType());
        }

        @Override
        public void produceRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
            channel.sendRequest(rendered.bodiless() != null ? rendered.bodiless() : rendered.request(), entity, context);
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
            if (kinds[rendered.kind()].checks.length > 0) {
                answer = new Answer(response);
            }
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
            Answer a = answer;
            if (a != null && kinds[rendered.kind()].needsBody && a.length < MAX_CHECKED_BODY) {
                int n = Math.min(src.remaining(), MAX_CHECKED_BODY - a.length);
                if (a.body.length < a.length + n) {
                    a.body = Arrays.copyOf(a.body, Math.min(MAX_CHECKED_BODY, Math.max(4096, 2 * (a.length + n))));
                }
                src.get(a.body, a.length, n);
                a.length += n;
            }
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
            boolean[] expected = kinds[rendered.kind()].expected;
            Outcome outcome = status >= 0 && status < expected.length && expected[status] ? checked()
                    : Outcome.UNEXPECTED_STATUS;
            // An answer that ends its connection (Connection: close, HTTP/1.0) has already marked it unconnected.
            if (!closed && endpoint.isConnected()) {
                reuse(endpoint, outcome, intendedNanos, sentNanos, completion, rendered.kind());
            } else {
                endpoint.releaseAndDiscard();
                released();
                completion.complete(intendedNanos, sentNanos, outcome, rendered.kind());
            }
        }

        /** {@link Outcome#OK}, or {@link Outcome#CHECK_FAILED} with the first failed check kept as an example. */
        private Outcome checked() {
            Sendable sendable = kinds[rendered.kind()];
            Answer a = answer;
            for (ResponseCheck check : sendable.checks) {
                if (a == null || !check.passes(a.head, a.body, a.length)) {
                    checkFailures.add(sendable.name, check, status, a == null ? null : a.head,
                            a == null ? new byte[0] : a.body, a == null ? 0 : a.length);
                    return Outcome.CHECK_FAILED;
                }
            }
            return Outcome.OK;
        }

        private void end(Outcome failure) {
            if (!ENDED.compareAndSet(this, false, true)) {
                return;
            }
            endpoint.releaseAndDiscard();
            released();
            completion.complete(intendedNanos, sentNanos, failure, rendered.kind());
        }
    }
}
