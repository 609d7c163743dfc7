package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * One HTTP request, sent again and again by a load run.
 *
 * <pre>{@code
 * HttpRequestSpec generate = HttpRequestSpec.post(URI.create("http://127.0.0.1:8080/generate"),
 *         "{\"prompt\":\"def fib(n):\",\"max_tokens\":50}")
 *     .withHeader("Content-Type", "application/json")
 *     .withTimeout(Duration.ofSeconds(60));
 * }</pre>
 *
 * @param method         GET, POST, PUT, PATCH, DELETE or HEAD
 * @param uri            an absolute http or https URI, any host; an https URI uses the {@code dyno.load.tls.*}
 *                       keys of {@link dev.dyno.config.DynoConfiguration#current()}, and {@code dyno.load.resolve} applies
 * @param headers        request headers
 * @param body           the body, empty for none
 * @param timeout        how long to wait for the connection and for each read of the answer
 * @param expectedStatus the status codes that count as success
 * @param connections    the most connections kept open to the target (HTTP/1.1 has one request per connection at a time)
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record HttpRequestSpec(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout,
        Set<Integer> expectedStatus, int connections) {

    /** Methods a load run may send. */
    public static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD");

    public HttpRequestSpec {
        Objects.requireNonNull(uri, "uri");
        if (!METHODS.contains(method)) {
            throw new IllegalArgumentException("method \"" + method + "\" is not allowed; use one of " + METHODS);
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new IllegalArgumentException("uri \"" + uri + "\" is not an absolute http or https URI, such as"
                    + " http://127.0.0.1:8080/health");
        }
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body.clone();
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout " + timeout + " must be above zero");
        }
        expectedStatus = Set.copyOf(expectedStatus);
        if (expectedStatus.isEmpty() || expectedStatus.stream().anyMatch(s -> s < 100 || s > 599)) {
            throw new IllegalArgumentException("expectedStatus " + expectedStatus + ": give status codes between 100 and 599");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections " + connections + " must be at least 1");
        }
    }

    /** {@code GET uri}, expecting 200, 30 s timeout, up to 256 connections. */
    public static HttpRequestSpec get(URI uri) {
        return new HttpRequestSpec("GET", uri, Map.of(), new byte[0], Duration.ofSeconds(30), Set.of(200), 256);
    }

    /** {@code POST uri} with a UTF-8 body, expecting 200. */
    public static HttpRequestSpec post(URI uri, String body) {
        return new HttpRequestSpec("POST", uri, Map.of(), body.getBytes(StandardCharsets.UTF_8), Duration.ofSeconds(30),
                Set.of(200), 256);
    }

    public HttpRequestSpec withHeader(String name, String value) {
        Map<String, String> all = new LinkedHashMap<>(headers);
        all.put(name, value);
        return new HttpRequestSpec(method, uri, all, body, timeout, expectedStatus, connections);
    }

    public HttpRequestSpec withTimeout(Duration timeout) {
        return new HttpRequestSpec(method, uri, headers, body, timeout, expectedStatus, connections);
    }

    public HttpRequestSpec withExpectedStatus(Integer... statuses) {
        return new HttpRequestSpec(method, uri, headers, body, timeout, Set.of(statuses), connections);
    }

    public HttpRequestSpec withConnections(int connections) {
        return new HttpRequestSpec(method, uri, headers, body, timeout, expectedStatus, connections);
    }

    @Override
    public byte[] body() {
        return body.clone();
    }

    @Override
    public String toString() {
        return method + " " + uri;
    }
}
