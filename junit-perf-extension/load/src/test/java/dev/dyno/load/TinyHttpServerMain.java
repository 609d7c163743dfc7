package dev.dyno.load;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;

/**
 * A service for process tests: answers 200 on 127.0.0.1:PORT and, EXIT_AFTER_MS after its first
 * request past the readiness probe, dies at once as if killed. Counting from the load, not from its
 * start, keeps a busy machine from killing it before the load arrives.
 */
public final class TinyHttpServerMain {

    private TinyHttpServerMain() {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        int port = Integer.parseInt(args[0]);
        long exitAfterMillis = Long.parseLong(args[1]);
        CountDownLatch probeAndFirstRequest = new CountDownLatch(2);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
        server.createContext("/", exchange -> {
            probeAndFirstRequest.countDown();
            byte[] ok = "ok".getBytes();
            exchange.sendResponseHeaders(200, ok.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ok);
            }
        });
        server.start();
        System.out.println("tiny server ready on " + port);
        probeAndFirstRequest.await();
        Thread.sleep(exitAfterMillis);
        Runtime.getRuntime().halt(137);
    }
}
