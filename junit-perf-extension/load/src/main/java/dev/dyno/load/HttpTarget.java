package dev.dyno.load;

import dev.dyno.config.DynoConfiguration;
import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.Timer;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * HTTP/1.1 over Netty: Netty carries the bytes (its event loops, native epoll where it loads, pooled
 * buffers, TLS through its {@code SslHandler}) and Dyno frames the HTTP itself, doing per request only
 * what wrk does.
 *
 * <p>Why this layer: an open-model generator must start requests without waiting for earlier ones,
 * so it needs a non-blocking client whose I/O threads carry thousands of connections. Measured
 * against wrk on one loopback nginx ({@code benchmarks/LoadVsWrk}, the table in benchmarks/README.md),
 * the JDK's {@code HttpClient}, HttpClient 5 and HttpCore 5's requester all spent most of their time
 * on what a load generator does not need: per-request contexts and interceptors, every header
 * parsed into {@code String}s, a selector wake-up for every change of interest. Here:
 * <ul>
 * <li>a request is built once as bytes ({@link HttpRequestFactory}): request line, {@code Host} and
 *     the spec's headers, as wrk sends it, plus {@code Content-Length} and {@code Content-Type} with a
 *     body; each send writes a recycled view of those bytes;</li>
 * <li>an answer is read in place ({@link HttpAnswerReader}): the status code, and only the headers
 *     that frame the body or end the connection; the body is skipped as it arrives;</li>
 * <li>one {@link HttpConnection} per connection is the exchange, its answer reader and its timeout,
 *     so an answered request makes no object (one that waits for a free connection makes one);</li>
 * <li>connections are held by an {@link HttpConnectionPool}, one request on the wire per connection,
 *     kept after an answer as HttpCore's default strategy would.</li>
 * </ul>
 * This class puts those together with the addresses ({@link HttpAddresses}) and TLS
 * ({@link HttpTlsUpgrade}) and answers what the run reports about them.
 */
final class HttpTarget implements LoadTarget {

    /**
     * One I/O thread per four cores, at least one and at most four: the service under test runs on
     * this machine too, and every core the generator takes is one the service does not get. On 2
     * cores against nginx ({@code LoadVsWrk --io-threads 1,2}, benchmarks/README.md, measured with the
     * HttpCore 5 transport this one replaced) one I/O thread spent 8.1 µs of CPU per request and reached 86 % of wrk's rate, two spent 11.7 µs and reached
     * 67 %: the second thread mostly added contention, for the cores and for the shared counters
     * and histograms. {@value LoadTarget#IO_THREADS_PROPERTY} overrides it.
     */
    static final int DEFAULT_IO_THREADS = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 4));

    private final HttpAddresses addresses;
    private final HttpRequestFactory requests;
    private final HttpTls tls;
    /** Null for plain HTTP. */
    private final HttpTlsUpgrade tlsUpgrade;
    private final CheckFailures checkFailures;
    private final EventLoopGroup group;
    private final AtomicBoolean closed = new AtomicBoolean();
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
        long timeoutNanos = plan.timeout().toNanos();
        Recorder own = Recorder.create();
        this.tlsUpgrade = tls == null ? null : new HttpTlsUpgrade(tls, own.timer("http.tls_handshake"));
        // Native epoll where Netty's library loads (Dyno ships it for Linux x86_64), else the JDK's selector;
        // -Dio.netty.transport.noNative=true forces the selector.
        // The event loop groups of Netty 4.1, which 4.2 keeps: a user's build may choose either.
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("dyno-http-io", true);
        this.group = epoll ? new EpollEventLoopGroup(ioThreads, threads) : new NioEventLoopGroup(ioThreads, threads);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, Math.min(Integer.MAX_VALUE, plan.timeout().toMillis())));
        this.pool = new HttpConnectionPool(bootstrap, addresses, requests, checkFailures, plan.connections(),
                timeoutNanos, tlsUpgrade, own.timer("http.connect"));
    }

    /** {@value LoadTarget#IO_THREADS_PROPERTY} when set, else {@link #DEFAULT_IO_THREADS}. */
    static int ioThreads(DynoConfiguration configuration) {
        return configuration.loadIoThreads().orElse(DEFAULT_IO_THREADS);
    }

    /** Records connection set-up into {@code recorder}: timers {@code http.connect} and {@code http.tls_handshake}. */
    void recordInto(Recorder recorder) {
        pool.timeConnectsWith(recorder.timer("http.connect"));
        if (tlsUpgrade != null) {
            tlsUpgrade.timeWith(recorder.timer("http.tls_handshake"));
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

    @Override
    public String description() {
        return requests.description();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        pool.close();
        // Closing the loops closes every connection: requests still on the wire end as failures.
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
        requests.release();
    }
}
