package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.MetricsJson;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * When a started workload counts as ready: {@link WorkloadRuntime#start(WorkloadSpec)} returns
 * only then, and fails with {@link WorkloadNotReadyException} (stopping the workload) if it does
 * not happen within {@link WorkloadSpec#readinessTimeout()}.
 *
 * <pre>{@code
 * WorkloadSpec.ofCommand("python3", "-m", "http.server", "--bind", "127.0.0.1", "8000")
 *     .withReadiness(Readiness.http(URI.create("http://127.0.0.1:8000/")));
 * WorkloadSpec.ofCommand("python3", "load_test.py").withReadiness(Readiness.metricsJson());
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public sealed interface Readiness {

    /** Ready as soon as it has started (the default). */
    static Readiness started() {
        return new Started();
    }

    /** Ready when a line of stdout or stderr contains a match of {@code pattern}. */
    static Readiness logLine(Pattern pattern) {
        return new LogLine(pattern);
    }

    /** Ready when a line of stdout or stderr contains a match of the regular expression {@code regex}. */
    static Readiness logLine(String regex) {
        return new LogLine(Pattern.compile(regex));
    }

    /**
     * Ready when {@code GET uri} answers 200.
     *
     * <p>The URI names the workload's own loopback ({@code 127.0.0.1}, {@code localhost} or
     * {@code ::1}) and a port: the runtime sends the probe to the {@link Endpoint} it reports for
     * that port, which is not always this machine's loopback.
     */
    static Readiness http(URI uri) {
        return new Http(uri);
    }

    /** Ready when stdout holds a complete {@value MetricsJson#MARKER} block. */
    static Readiness metricsJson() {
        return new MetricsJsonBlock();
    }

    /** Ready when the workload has exited, with any exit code, and all its output has been read. */
    static Readiness exit() {
        return new Exit();
    }

    /** See {@link #started()}. */
    record Started() implements Readiness {
        @Override
        public String toString() {
            return "started()";
        }
    }

    /** See {@link #logLine(Pattern)}. */
    record LogLine(Pattern pattern) implements Readiness {
        public LogLine {
            Objects.requireNonNull(pattern, "Readiness.logLine pattern");
        }

        @Override
        public String toString() {
            return "logLine(/" + pattern.pattern() + "/)";
        }
    }

    /** See {@link #http(URI)}. */
    record Http(URI uri) implements Readiness {
        public Http {
            Objects.requireNonNull(uri, "Readiness.http uri");
            String scheme = uri.getScheme();
            if (!"http".equals(scheme) && !"https".equals(scheme)) {
                throw new InvalidWorkloadSpecException("readiness", uri, "not allowed; an http or https URI, "
                        + "such as http://127.0.0.1:8080/health");
            }
            if (uri.getPort() < 1) {
                throw new InvalidWorkloadSpecException("readiness", uri, "not allowed; the URI must name a port, "
                        + "such as http://127.0.0.1:8080/health");
            }
            if (!isLoopback(uri.getHost())) {
                throw new InvalidWorkloadSpecException("readiness", uri, "not allowed; the host must be the "
                        + "workload's loopback (127.0.0.1, localhost or ::1): the runtime reports where it really is");
            }
        }

        /** The port the probe targets. */
        public int port() {
            return uri.getPort();
        }

        /** The path and query the probe requests. */
        public String pathAndQuery() {
            String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        }

        private static boolean isLoopback(String host) {
            if (host == null) {
                return false;
            }
            if (host.equals("localhost")) {
                return true;
            }
            String literal = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            if (!literal.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                return false; // a name: never resolve it here
            }
            try {
                return InetAddress.getByName(literal).isLoopbackAddress();
            } catch (UnknownHostException e) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "http(" + uri + ")";
        }
    }

    /** See {@link #metricsJson()}. */
    record MetricsJsonBlock() implements Readiness {
        @Override
        public String toString() {
            return "metricsJson()";
        }
    }

    /** See {@link #exit()}. */
    record Exit() implements Readiness {
        @Override
        public String toString() {
            return "exit()";
        }
    }
}
