package dev.dyno.load;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP/1.1 server on raw sockets, one thread per connection, that keeps every request
 * exactly as it arrived on the wire and answers with the bytes it is given: what a client really
 * sends, and how it copes with answers a friendlier server would not give.
 */
final class RawHttpServer implements AutoCloseable {

    static final String OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
    static final String OK_THEN_CLOSE = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
    /** Stands for "read the request and never answer". */
    static final String SILENCE = "";

    private final ServerSocket socket;
    private final String answer;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> serverNames = new CopyOnWriteArrayList<>();

    RawHttpServer(String answer) throws IOException {
        this(answer, null, false);
    }

    /** Over TLS with {@code tls}'s key; {@code needClientAuth} refuses a client without a trusted certificate. */
    RawHttpServer(String answer, javax.net.ssl.SSLContext tls, boolean needClientAuth) throws IOException {
        this.answer = answer;
        if (tls == null) {
            this.socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
        } else {
            javax.net.ssl.SSLServerSocket secure = (javax.net.ssl.SSLServerSocket) tls.getServerSocketFactory()
                    .createServerSocket(0, 128, InetAddress.getLoopbackAddress());
            secure.setNeedClientAuth(needClientAuth);
            this.socket = secure;
        }
        Thread acceptor = new Thread(this::accept, "raw-http-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort() + path);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Every request received, head and body, as sent. */
    List<String> requests() {
        return requests;
    }

    /** The SNI server names of each TLS connection's handshake, such as {@code [type=host_name (0), value=a.test]}. */
    List<String> serverNames() {
        return serverNames;
    }

    /** Connections accepted so far. */
    int connections() {
        return connections.get();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connection.setTcpNoDelay(true);
                connections.incrementAndGet();
                open.add(connection);
                Thread worker = new Thread(() -> serve(connection), "raw-http-" + connections.get());
                worker.setDaemon(true);
                worker.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket connection) {
        try (connection; InputStream in = connection.getInputStream(); OutputStream out = connection.getOutputStream()) {
            if (connection instanceof javax.net.ssl.SSLSocket secure) {
                secure.startHandshake();
                serverNames.add(String.valueOf(((javax.net.ssl.ExtendedSSLSession) secure.getSession())
                        .getRequestedServerNames()));
            }
            String request;
            while ((request = readRequest(in)) != null) {
                requests.add(request);
                if (answer.equals(SILENCE)) {
                    continue;
                }
                out.write(answer.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                if (answer.toLowerCase(Locale.ROOT).contains("connection: close") || answer.startsWith("HTTP/1.0 ")) {
                    return;
                }
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** One request (head, then as many body bytes as its Content-Length says), or null at the end of the stream. */
    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            head.write(b);
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
        }
        if (matched < 4) {
            return null;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        for (String line : text.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        return text + new String(in.readNBytes(length), StandardCharsets.ISO_8859_1);
    }

    /** Closes every connection accepted so far from the server's side, as a server's idle timeout does; new ones are still accepted. */
    void dropConnections() throws IOException {
        for (Socket connection : open) {
            connection.close();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : open) {
            connection.close();
        }
    }
}
