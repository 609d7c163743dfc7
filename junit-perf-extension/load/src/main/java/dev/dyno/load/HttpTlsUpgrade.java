package dev.dyno.load;

import dev.dyno.metrics.Timer;
import java.net.SocketAddress;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.net.NamedEndpoint;
import org.apache.hc.core5.reactor.ssl.SSLBufferMode;
import org.apache.hc.core5.reactor.ssl.TransportSecurityLayer;
import org.apache.hc.core5.util.Timeout;

/**
 * TLS on each new connection: the JDK's engine with the SNI and host name of the URL (whatever
 * address the connection went to), TLS 1.3 or 1.2, HTTP/1.1 only (no ALPN). Times the TCP connect
 * (until this upgrade starts) and the handshake (until the verifier runs).
 */
final class HttpTlsUpgrade implements TlsStrategy {

    private final HttpTls tls;
    private volatile Timer connectTimer;
    private volatile Timer handshakeTimer;
    private volatile String negotiated;

    HttpTlsUpgrade(HttpTls tls, Timer connectTimer, Timer handshakeTimer) {
        this.tls = tls;
        this.connectTimer = connectTimer;
        this.handshakeTimer = handshakeTimer;
    }

    /** Times connects and handshakes with these from now on. */
    void timeWith(Timer connectTimer, Timer handshakeTimer) {
        this.connectTimer = connectTimer;
        this.handshakeTimer = handshakeTimer;
    }

    /** The protocol and cipher suite of the first handshake, such as {@code TLSv1.3 TLS_AES_128_GCM_SHA256}; null before one. */
    String negotiated() {
        return negotiated;
    }

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
        if (attachment instanceof HttpConnectionPool.ConnectTiming timing) {
            connectTimer.recordNanos(connected - timing.startNanos);
        }
        layer.startTls(tls.context(), endpoint, SSLBufferMode.STATIC, (named, engine) -> {
            SSLParameters parameters = engine.getSSLParameters();
            parameters.setProtocols(HttpTls.PROTOCOLS);
            if (!tls.insecure()) {
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
            }
            if (!HttpAddresses.IP_LITERAL.matcher(named.getHostName()).matches()) {
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
