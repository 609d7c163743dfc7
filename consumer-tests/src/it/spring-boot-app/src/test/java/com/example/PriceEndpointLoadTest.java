package com.example;

import static dev.dyno.load.LoadAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dyno.load.HttpRequestSpec;
import dev.dyno.load.LoadProfile;
import dev.dyno.load.LoadProfile.Load;
import dev.dyno.load.LoadProfile.Ramp;
import dev.dyno.load.LoadRun;
import dev.dyno.load.LoadTarget;
import io.netty.util.Version;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The price service behind an HTTP endpoint, under load from {@code @LoadProfile}: Dyno's HTTP
 * transport runs on the Netty that Spring Boot 3's BOM chooses for this project (4.1), not the
 * one Dyno was built with.
 */
class PriceEndpointLoadTest {

    static HttpServer server;
    static ExecutorService workers;

    @BeforeAll
    static void serve() throws IOException {
        // The JDK's server writes headers and body apart: without this, Nagle's algorithm and delayed ACKs hold
        // each answer for 40 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        PriceService prices = new PriceService();
        workers = Executors.newFixedThreadPool(4);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/price", exchange -> {
            byte[] body = prices.quote("sku-42", 12).toPlainString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(workers);
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        workers.shutdownNow();
    }

    @LoadProfile(target = "priceEndpoint", load = @Load(name = "users", requests = 2000, concurrency = 8),
            thresholds = "users.success_rate == 100%")
    void eightUsersGetTheirQuotes(LoadRun run) {
        assertThat(run.phase("users")).hasNoFailures();
        assertThat(run.phase("users").ok()).isEqualTo(2000);
        assertThat(Version.identify().get("netty-transport").artifactVersion())
                .as("the Netty that Spring Boot 3 manages").startsWith("4.1.");
    }

    @LoadProfile(target = "priceEndpoint", ramp = @Ramp(fromRps = 100, toRps = 100, duration = "3s"),
            thresholds = "ramp-1.success_rate == 100%")
    void holdsAHundredRequestsASecond(LoadRun run) {
        assertThat(run.phase("ramp-1")).hasNoFailures();
        assertThat(run.phase("ramp-1").ok()).isGreaterThanOrEqualTo(290);
    }

    LoadTarget priceEndpoint() {
        return LoadTarget.http(HttpRequestSpec.get(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/price")));
    }
}
