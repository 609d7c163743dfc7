package dev.dyno.load;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback HTTP server on one thread that answers at once, except that it stalls once, for a
 * while, at a given time; or that takes a fixed time for every answer, so it carries a known rate.
 */
final class StallingServer implements AutoCloseable {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor();
    private final AtomicBoolean stalled = new AtomicBoolean();
    private volatile long stallAtNanos = Long.MAX_VALUE;
    private volatile long stallMillis;
    private volatile long everyAnswerMillis;

    StallingServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.setExecutor(thread);
        server.createContext("/", exchange -> {
            if (System.nanoTime() >= stallAtNanos && stalled.compareAndSet(false, true)) {
                try {
                    Thread.sleep(stallMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (everyAnswerMillis > 0) {
                try {
                    Thread.sleep(everyAnswerMillis);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] ok = "ok".getBytes();
            exchange.sendResponseHeaders(200, ok.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        server.start();
    }

    /** Stalls the first request that arrives {@code afterMillis} from now, for {@code millis}. */
    void stallOnce(long afterMillis, long millis) {
        stallMillis = millis;
        stallAtNanos = System.nanoTime() + afterMillis * 1_000_000;
    }

    /** Takes {@code millis} for every answer: one thread carries at most {@code 1000 / millis} requests a second. */
    void takeForEachAnswer(long millis) {
        everyAnswerMillis = millis;
    }

    URI uri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
