package dev.dyno.workloads.startup;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

@DisplayName("The Spring Boot start-up workload")
class SpringStartupApplicationTests {

    @Test
    @DisplayName("answers /greeting on loopback and prints its start-up times in seconds when ready")
    void startsAndAnswers() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        ConfigurableApplicationContext context;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            context = SpringApplication.run(SpringStartupApplication.class, "--server.port=0",
                    "--greeting.template=Hi %s");
        } finally {
            System.setOut(original);
        }
        try (context) {
            String port = context.getEnvironment().getProperty("local.server.port");
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/greeting?name=Dyno")).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("{\"id\":1,\"content\":\"Hi Dyno\"}");
            String output = captured.toString(StandardCharsets.UTF_8);
            assertThat(output).contains("=== METRICS_JSON ===\n{\"test_name\":\"spring_startup\"",
                    "\"application_start_time\":", "\"application_ready_time\":", "\"total_time\":");
        }
    }
}
