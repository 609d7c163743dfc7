package dev.dyno.load;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Timer;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.impl.bootstrap.AsyncRequesterBootstrap;
import org.apache.hc.core5.http.impl.bootstrap.HttpAsyncRequester;
import org.apache.hc.core5.http.nio.AsyncClientEndpoint;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
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
 * <p>Per request: one {@link HttpExchange} object is the whole exchange (request, status-only
 * answer, completion), and a request without a body is built once ({@link HttpRequestFactory}) and
 * sent as is; the body of the answer is discarded as it arrives, so a response costs no copy.
 * Connections are held by an {@link HttpConnectionPool}, one request on the wire per connection,
 * kept after an answer as {@link HttpKeepAlive} decides. This class puts those together with the
 * addresses ({@link HttpAddresses}) and TLS ({@link HttpTlsUpgrade}) and answers what the run
 * reports about them.
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

    private final HttpAddresses addresses;
    private final HttpRequestFactory requests;
    private final HttpTls tls;
    /** Null for plain HTTP. */
    private final HttpTlsUpgrade tlsUpgrade;
    private final CheckFailures checkFailures;
    private final HttpAsyncRequester requester;
    private final HttpConnectionPool pool;

    HttpTarget(HttpRequestSpec spec, int ioThreads) {
        this(spec, ioThreads, DynoConfiguration.of(Map.of()));
    }

    /** A target for one request, with the configuration's resolve rules and TLS settings. */
    HttpTarget(HttpRequestSpec spec, int ioThreads, DynoConfiguration configuration) {
        this(spec.uri(), HttpPlan.of(spec), configuration.loadResolve().stream()
                        .map(r -> HttpPlan.ResolveRule.parse(r, DynoConfiguration.LOAD_RESOLVE_PROPERTY)).toList(),
                "https".equals(spec.uri().getScheme()) ? HttpTls.of(configuration, false) : null, ioThreads);
    }

    /**
     * @param origin the scheme, host and port; its path is not used
     * @param rules  resolve rules, the first that matches the host and port wins
     * @param tls    for {@code https}; null for {@code http}
     */
    HttpTarget(URI origin, HttpPlan plan, List<HttpPlan.ResolveRule> rules, HttpTls tls, int ioThreads) {
        this.tls = tls;
        this.addresses = new HttpAddresses(origin, rules);
        String host = origin.getHost();
        String authority = origin.getPort() > 0 ? host + ":" + origin.getPort() : host;
        this.requests = new HttpRequestFactory(plan, origin.getScheme() + "://" + authority, authority);
        this.checkFailures = new CheckFailures(plan);
        Timeout connectTimeout = Timeout.of(plan.timeout());
        Recorder own = Recorder.create();
        Timer connectTimer = own.timer("http.connect");
        this.tlsUpgrade = tls == null ? null : new HttpTlsUpgrade(tls, connectTimer, own.timer("http.tls_handshake"));
        IOReactorConfig reactor = IOReactorConfig.custom()
                .setIoThreadCount(ioThreads)
                .setTcpNoDelay(true)
                .setSoTimeout(connectTimeout)
                .build();
        this.requester = AsyncRequesterBootstrap.bootstrap()
                .setIOReactorConfig(reactor)
                .setHttp1Config(Http1Config.DEFAULT)
                // Content-Length and Content-Type of a body; nothing else is added to the spec's request.
                .setHttpProcessor(!requests.anyBody() ? HttpProcessorBuilder.create().build()
                        : HttpProcessorBuilder.create().add(new RequestContent()).build())
                .setConnectionReuseStrategy(HttpKeepAlive::keepAlive)
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                // Plain HTTP needs no TLS context, so none is loaded at start.
                .setTlsStrategy(tlsUpgrade == null ? NO_TLS : tlsUpgrade)
                .setTlsHandshakeTimeout(connectTimeout)
                .setMaxTotal(plan.connections())
                .setDefaultMaxPerRoute(plan.connections())
                .create();
        this.pool = new HttpConnectionPool(requester, addresses, plan.connections(), connectTimeout, tls == null,
                connectTimer, this::exchange);
        requester.start();
    }

    /** {@value LoadTarget#IO_THREADS_PROPERTY} when set, else {@link #DEFAULT_IO_THREADS}. */
    static int ioThreads(DynoConfiguration configuration) {
        return configuration.loadIoThreads().orElse(DEFAULT_IO_THREADS);
    }

    /** Records connection set-up into {@code recorder}: timers {@code http.connect} and {@code http.tls_handshake}. */
    void recordInto(Recorder recorder) {
        Timer connectTimer = recorder.timer("http.connect");
        pool.timeConnectsWith(connectTimer);
        if (tlsUpgrade != null) {
            tlsUpgrade.timeWith(connectTimer, recorder.timer("http.tls_handshake"));
        }
    }

    @Override
    public List<String> kinds() {
        return requests.kindNames();
    }

    /** The host and port this target sends to, as named, such as {@code staging.example.test:443}. */
    String host() {
        return addresses.hostAndPort();
    }

    /** The addresses the host went to and how they were found, such as {@code 127.0.0.1 (http.resolve …)}. */
    String addresses() {
        return addresses.describe();
    }

    /** Each address with the connections opened to it so far, such as {@code 127.0.0.1: 32 connections}. */
    String traffic() {
        return addresses.traffic();
    }

    /** What TLS trusts and presents, or empty for plain HTTP. */
    Optional<HttpTls> tls() {
        return Optional.ofNullable(tls);
    }

    /** The protocol and cipher suite of the first handshake, such as {@code TLSv1.3 TLS_AES_128_GCM_SHA256}; null before one. */
    String negotiated() {
        return tlsUpgrade == null ? null : tlsUpgrade.negotiated();
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
        pool.send(intendedNanos, sentNanos, completion);
    }

    /** One request on a connection the pool holds: no lease and release per request. */
    private void exchange(AsyncClientEndpoint endpoint, long intendedNanos, long sentNanos, Completion completion) {
        HttpRequestFactory.Rendered request = requests.next();
        new HttpExchange(pool, checkFailures, requests.kind(request.kind()), request, endpoint, intendedNanos, sentNanos,
                completion).start();
    }

    @Override
    public String description() {
        return requests.description();
    }

    @Override
    public void close() {
        pool.close();
        requester.close(CloseMode.IMMEDIATE);
    }
}
