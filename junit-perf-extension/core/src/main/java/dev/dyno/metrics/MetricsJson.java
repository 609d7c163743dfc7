package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The metrics a workload reports about itself: the first JSON object after a line
 * {@value #MARKER} in its output.
 *
 * <p>This is how a program in any language hands numbers to Dyno. Nested objects are flattened
 * with dots ({@code {"phases":{"import":1.2}}} becomes {@code phases.import}). Fields keep their
 * JSON types; {@link dev.dyno.metrics.Recorder#ingest(MetricsJson)} decides which become timers and which gauges.
 *
 * <pre>{@code
 * print("=== METRICS_JSON ===")
 * print(json.dumps({"import_time": 1.2, "total_time": 3.4, "cpu_allocated": 2}))
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class MetricsJson {

    /** The line that announces the JSON object. */
    public static final String MARKER = "=== METRICS_JSON ===";

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, Object> fields;

    private MetricsJson(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /**
     * Finds and parses the block in a program's output.
     *
     * @return empty when the output has no {@value #MARKER} line
     * @throws MalformedMetricsJsonException when the marker is there but no JSON object follows
     */
    public static Optional<MetricsJson> find(String output) {
        int marker = output.lastIndexOf(MARKER);
        if (marker < 0) {
            return Optional.empty();
        }
        String rest = output.substring(marker + MARKER.length());
        try (JsonParser parser = MAPPER.createParser(rest)) {
            JsonNode node = parser.readValueAsTree();
            if (node == null || !node.isObject()) {
                throw new MalformedMetricsJsonException(
                        "expected a JSON object after '" + MARKER + "' but found: " + excerpt(rest));
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            flatten("", node, fields);
            return Optional.of(new MetricsJson(fields));
        } catch (JsonProcessingException e) {
            throw new MalformedMetricsJsonException("malformed JSON after '" + MARKER + "' at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage() + " in: " + excerpt(rest), e);
        } catch (IOException e) {
            throw new MalformedMetricsJsonException("could not read the JSON after '" + MARKER + "'", e);
        }
    }

    /**
     * Like {@link #find(String)}, but a missing block is an error that quotes the end of the output.
     */
    public static MetricsJson require(String output) {
        return find(output).orElseThrow(() -> new MalformedMetricsJsonException("no line '" + MARKER
                + "' in the workload's output; its last lines were:\n" + tail(output, 10)));
    }

    /** Builds a block from fields already at hand (tests, in-process workloads). */
    public static MetricsJson of(Map<String, ?> fields) {
        return new MetricsJson(new LinkedHashMap<>(fields));
    }

    /** All fields, flattened, in the order the program wrote them. Values are Number, Boolean or String. */
    public Map<String, Object> fields() {
        return fields;
    }

    /** A numeric field, or empty when absent or not a number. */
    public Optional<Double> number(String name) {
        return fields.get(name) instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
    }

    /**
     * How a field's value is to be read, from its name: {@code *_ms} in milliseconds, {@code *_time}
     * and {@code *_seconds} in seconds, anything else a plain number.
     */
    public static Unit unitOf(String field) {
        String leaf = field.substring(field.lastIndexOf('.') + 1);
        if (leaf.endsWith("_ms")) {
            return Unit.MILLISECONDS;
        }
        if (leaf.endsWith("_time") || leaf.endsWith("_seconds") || leaf.endsWith("_secs")) {
            return Unit.SECONDS;
        }
        return Unit.NONE;
    }

    /** The unit a METRICS_JSON field is written in. */
    public enum Unit { SECONDS, MILLISECONDS, NONE }

    private static void flatten(String prefix, JsonNode node, Map<String, Object> into) {
        node.fields().forEachRemaining(entry -> {
            String name = prefix.isEmpty() ? entry.getKey() : prefix + "." + entry.getKey();
            JsonNode value = entry.getValue();
            if (value.isObject()) {
                flatten(name, value, into);
            } else if (value.isNumber()) {
                into.put(name, value.numberValue());
            } else if (value.isBoolean()) {
                into.put(name, value.booleanValue());
            } else if (value.isNull()) {
                // a field the program could not measure: absent, not zero
            } else {
                into.put(name, value.isTextual() ? value.textValue() : value.toString());
            }
        });
    }

    private static String excerpt(String text) {
        String trimmed = text.strip();
        return trimmed.length() <= 200 ? "'" + trimmed + "'" : "'" + trimmed.substring(0, 200) + "…'";
    }

    private static String tail(String output, int lines) {
        String[] all = output.split("\\R");
        int from = Math.max(0, all.length - lines);
        return String.join("\n", java.util.Arrays.copyOfRange(all, from, all.length));
    }

    @Override
    public String toString() {
        return "MetricsJson" + fields;
    }
}
