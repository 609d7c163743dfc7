package dev.dyno.load;

import dev.dyno.metrics.Timer;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS on each new connection: the JDK's engine (through Netty's {@link SslHandler}) with the SNI
 * and host name of the URL, whatever address the connection went to, TLS 1.3 or 1.2, HTTP/1.1 only
 * (no ALPN). Times the handshake, from the TCP connect to the handshake's end.
 */
final class HttpTlsUpgrade {

    private final HttpTls tls;
    private volatile Timer handshakeTimer;
    private volatile String negotiated;

    HttpTlsUpgrade(HttpTls tls, Timer handshakeTimer) {
        this.tls = tls;
        this.handshakeTimer = handshakeTimer;
    }

    /** Times handshakes with this from now on. */
    void timeWith(Timer handshakeTimer) {
        this.handshakeTimer = handshakeTimer;
    }

    /** The protocol and cipher suite of the first handshake, such as {@code TLSv1.3 TLS_AES_128_GCM_SHA256}; null before one. */
    String negotiated() {
        return negotiated;
    }

    /** The handler that speaks TLS to {@code host}, the host name as the URL names it, failing a handshake slower than the timeout. */
    SslHandler handler(ByteBufAllocator allocator, String host, int port, long timeoutNanos) {
        SSLEngine engine = tls.context().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(HttpTls.PROTOCOLS);
        if (!tls.insecure()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (!HttpAddresses.IP_LITERAL.matcher(host).matches()) {
            parameters.setServerNames(List.of(new SNIHostName(host)));
        }
        engine.setSSLParameters(parameters);
        SslHandler handler = new SslHandler(engine);
        handler.setHandshakeTimeout(timeoutNanos, TimeUnit.NANOSECONDS);
        return handler;
    }

    /** A handshake that began when the TCP connection opened, at {@code connectedNanos}, has succeeded. */
    void handshakeDone(long connectedNanos, SSLEngine engine) {
        handshakeTimer.recordSince(connectedNanos);
        if (negotiated == null) {
            negotiated = engine.getSession().getProtocol() + " " + engine.getSession().getCipherSuite();
        }
    }
}
