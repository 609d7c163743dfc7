package dev.dyno.examples.load;

import dev.dyno.runtime.Readiness;
import dev.dyno.runtime.WorkloadCatalog;
import dev.dyno.runtime.WorkloadSpec;
import dev.dyno.workloads.inference.InferenceService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@value #NAME}: the guide's inference service, as a process of this JVM's class path on a free
 * loopback port, with 2 workers and a queue of 16 so it saturates visibly on 2 cores, ready when
 * {@code /health} answers.
 */
public final class InferenceWorkloads implements WorkloadCatalog {

    public static final String NAME = "inference-service";

    @Override
    public Map<String, Supplier<WorkloadSpec>> workloads() {
        return Map.of(NAME, () -> {
            int port = freePort();
            // ofJavaMain's command, with a fixed, pre-touched heap: a JVM's resident memory then stays
            // flat unless the service really leaks, which is what a soak's memory drift check looks for.
            List<String> command = new ArrayList<>(WorkloadSpec.ofJavaMain(InferenceService.class).command());
            command.addAll(1, List.of("-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "-XX:+UseSerialGC"));
            command.addAll(List.of("--port", String.valueOf(port), "--workers", "2", "--queue", "16",
                    "--token-rounds", "10000"));
            return WorkloadSpec.ofCommand(command)
                    .withName(NAME)
                    .withReadiness(Readiness.http(URI.create("http://127.0.0.1:" + port + "/health")))
                    .withReadinessTimeout(Duration.ofSeconds(30));
        });
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
