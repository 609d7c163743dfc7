package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.net.URI;
import org.apiguardian.api.API;

/**
 * Where a workload's service can be reached from this JVM, as the runtime reports it.
 *
 * <p>Never assume {@code localhost}: a Docker engine may be remote ({@code DOCKER_HOST}) and a
 * Kubernetes runtime reports a pod's address.
 *
 * <pre>{@code
 * Endpoint web = workload.endpoint(8080);
 * HttpRequest.newBuilder(web.uri("http", "/health"));
 * }</pre>
 *
 * @param host a host name or address reachable from this JVM
 * @param port a TCP port
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Endpoint(String host, int port) {

    public Endpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("Endpoint.host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("Endpoint.port = " + port + ": expected 1..65535");
        }
    }

    /** A URI for this endpoint, such as {@code http://127.0.0.1:8080/health}. */
    public URI uri(String scheme, String path) {
        String hostPart = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        String pathPart = path == null || path.isEmpty() ? "/" : path.startsWith("/") ? path : "/" + path;
        return URI.create(scheme + "://" + hostPart + ":" + port + pathPart);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
