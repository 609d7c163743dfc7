package dev.dyno.runtime;

import dev.dyno.config.DynoConfiguration;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of {@value DynoConfiguration#DOCKER_HOSTS_PROPERTY}: {@code default} (the engine
 * Testcontainers finds), {@code unix:///var/run/docker.sock}, or {@code tcp://host:port}, with
 * {@code ?certs=/dir} for an engine that takes TLS clients only (the directory holds
 * {@code ca.pem}, {@code cert.pem} and {@code key.pem}, as {@code DOCKER_CERT_PATH} does).
 *
 * @param uri          the engine's address without the query; null for {@code default}
 * @param certificates the TLS directory, when given
 * @param source       the entry as written
 */
record EngineAddress(URI uri, Optional<Path> certificates, String source) {

    static final String DEFAULT = "default";
    private static final String ALLOWED = "default (the engine Testcontainers finds), unix:///path/to/docker.sock, or "
            + "tcp://host:port with ?certs=/dir/of/ca.pem,cert.pem,key.pem for TLS; entries separated by commas";

    /** Whether this is the engine Testcontainers finds. */
    boolean isDefault() {
        return uri == null;
    }

    /**
     * The engines a value of {@value DynoConfiguration#DOCKER_HOSTS_PROPERTY} names, in order.
     *
     * @throws IllegalArgumentException naming the property, the entry and what is allowed
     */
    static List<EngineAddress> parseAll(String value) {
        List<EngineAddress> engines = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (String raw : value.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            EngineAddress address = parse(value, entry);
            String key = address.isDefault() ? DEFAULT : address.uri().toString();
            if (!seen.add(key)) {
                throw invalid(value, entry, "each engine at most once");
            }
            engines.add(address);
        }
        if (engines.isEmpty()) {
            throw invalid(value, value, "at least one engine: " + ALLOWED);
        }
        return List.copyOf(engines);
    }

    private static EngineAddress parse(String value, String entry) {
        if (entry.equalsIgnoreCase(DEFAULT)) {
            return new EngineAddress(null, Optional.empty(), entry);
        }
        URI uri;
        try {
            uri = new URI(entry);
        } catch (URISyntaxException e) {
            throw invalid(value, entry, ALLOWED + " (" + e.getMessage() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        Optional<Path> certificates = Optional.empty();
        String query = uri.getQuery();
        if (query != null) {
            if (!query.startsWith("certs=") || query.length() == 6 || query.contains("&")) {
                throw invalid(value, entry, "?certs=/dir as the only query: " + ALLOWED);
            }
            Path dir = Path.of(query.substring(6));
            for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
                if (!Files.isReadable(dir.resolve(file))) {
                    throw invalid(value, entry, "a certificate directory with ca.pem, cert.pem and key.pem; "
                            + dir.resolve(file) + " is not readable");
                }
            }
            certificates = Optional.of(dir);
        }
        switch (scheme) {
            case "tcp" -> {
                if (uri.getHost() == null || uri.getPort() < 0) {
                    throw invalid(value, entry, "tcp://host:port, such as tcp://127.0.0.1:2376: " + ALLOWED);
                }
                return new EngineAddress(URI.create("tcp://" + uri.getHost() + ":" + uri.getPort()), certificates, entry);
            }
            case "unix" -> {
                if (uri.getPath() == null || uri.getPath().isEmpty() || certificates.isPresent()) {
                    throw invalid(value, entry, "unix:///path/to/docker.sock, without certs: " + ALLOWED);
                }
                return new EngineAddress(URI.create("unix://" + uri.getPath()), certificates, entry);
            }
            default -> throw invalid(value, entry, ALLOWED);
        }
    }

    private static IllegalArgumentException invalid(String value, String entry, String allowed) {
        return new IllegalArgumentException(DynoConfiguration.DOCKER_HOSTS_PROPERTY + " = '" + value + "': '" + entry
                + "' is not allowed; expected " + allowed);
    }

    @Override
    public String toString() {
        return isDefault() ? DEFAULT : uri + certificates.map(dir -> " (TLS, certificates in " + dir + ")").orElse("");
    }
}
