package dev.dyno.workloads.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The inference service")
class InferenceServiceTests {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static HttpResponse<String> post(int port, int tokens) throws Exception {
        return CLIENT.send(generate(port, tokens), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest generate(int port, int tokens) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/generate"))
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString("{\"prompt\":\"def fib(n):\",\"max_tokens\":" + tokens + "}"))
                .build();
    }

    @Test
    @DisplayName("answers /health like the guide's service")
    void health() throws Exception {
        try (InferenceService service = InferenceService.start(new InferenceService.Options(0, 1, 4, 2500, 10, 0))) {
            HttpResponse<String> response = CLIENT.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + service.port() + "/health")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).contains("\"status\":\"healthy\"", "\"model\":\"" + InferenceService.MODEL + "\"");
        }
    }

    @Test
    @DisplayName("spends CPU in proportion to max_tokens")
    void costGrowsWithTokens() throws Exception {
        try (InferenceService service = InferenceService.start(new InferenceService.Options(0, 1, 4, 2500, 10, 0))) {
            for (int i = 0; i < 5; i++) {
                post(service.port(), 20);
            }
            long small = Long.MAX_VALUE;
            long large = Long.MAX_VALUE;
            for (int i = 0; i < 3; i++) {
                small = Math.min(small, time(() -> post(service.port(), 10)));
                large = Math.min(large, time(() -> post(service.port(), 80)));
            }
            assertThat(post(service.port(), 10).body()).contains("\"tokens\":10");
            // 8x the tokens: generous bounds, the machine is shared.
            assertThat(large).isGreaterThan(3 * small);
        }
    }

    @Test
    @DisplayName("answers 503 at once when its workers and queue are full")
    void rejectsWhenSaturated() throws Exception {
        try (InferenceService service = InferenceService.start(new InferenceService.Options(0, 1, 1, 10000, 10, 0))) {
            List<CompletableFuture<HttpResponse<String>>> all = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(CLIENT.sendAsync(generate(service.port(), 40), HttpResponse.BodyHandlers.ofString()));
            }
            List<Integer> codes = all.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
            assertThat(codes).contains(200, 503).containsOnly(200, 503);
            assertThat(service.rejected()).isPositive();
        }
    }

    @Test
    @DisplayName("rejects unknown options with the list of known ones")
    void rejectsUnknownOptions() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> InferenceService.Options.parse("--gpus", "2"))
                .withMessageContaining("--gpus").withMessageContaining("--workers");
    }

    private interface Call {
        Object run() throws Exception;
    }

    private static long time(Call call) throws Exception {
        long start = System.nanoTime();
        call.run();
        return System.nanoTime() - start;
    }
}
