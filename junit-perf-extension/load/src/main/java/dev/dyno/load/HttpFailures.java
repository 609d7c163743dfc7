package dev.dyno.load;

import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/** Which {@link Outcome} a failed HTTP request is, from what Netty or the JDK threw. */
final class HttpFailures {

    private HttpFailures() {
    }

    /**
     * The first cause, at most eight deep, that says TLS, connect or timeout; else {@link Outcome#IO}
     * for an I/O or HTTP protocol failure (an {@link IOException} anywhere in the causes), and {@link Outcome#ERROR} for anything else.
     */
    static Outcome classify(Throwable failure) {
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof SslHandshakeTimeoutException) {
                return Outcome.TIMEOUT; // a slow handshake, not a refused certificate
            }
            if (t instanceof SSLException) {
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
        // Netty wraps what a handler threw (DecoderException): an I/O failure inside is still one.
        t = failure;
        for (int depth = 0; t != null && depth < 8; depth++, t = t.getCause()) {
            if (t instanceof IOException) {
                return Outcome.IO;
            }
        }
        return Outcome.ERROR;
    }

    /**
     * A failure to open a connection: a TLS failure is {@link Outcome#TLS}, any other I/O failure
     * {@link Outcome#CONNECT}, anything else as {@link #classify} says.
     */
    static Outcome classifyConnect(Throwable failure) {
        Outcome outcome = classify(failure);
        return outcome == Outcome.TLS || !(failure instanceof IOException) ? outcome : Outcome.CONNECT;
    }
}
