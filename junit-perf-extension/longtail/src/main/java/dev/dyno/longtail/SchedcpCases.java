package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import org.apiguardian.api.API;

/**
 * Task sets read as is from a file in the format of schedcp's
 * {@code workloads/processing/test_cases_parallel.json}: a {@code test_cases} array whose cases
 * have {@code id}, {@code small_setup}, {@code large_setup}, {@code small_commands},
 * {@code large_commands}, {@code cleanup_commands}, {@code dependencies} and, in older versions,
 * {@code expected_improvement}; and a {@code configuration} with {@code short_tasks} and
 * {@code long_tasks}. {@code $ORIGINAL_CWD} in the commands is the directory that holds the
 * file (where its {@code assets/} are), unless the caller says otherwise.
 *
 * <pre>{@code
 * SchedcpCases cases = SchedcpCases.read(Path.of("workloads/longtail/schedcp-test-cases-parallel.json"));
 * TaskSet ctest = cases.taskSet("ctest_suite", 8, 1);     // sized to a 2-core machine
 * }</pre>
 *
 * <p>A case with several {@code small_commands} runs them one after the other in each short task
 * ({@code cmd1 && cmd2}); schedcp's cases all have one.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class SchedcpCases {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final Map<String, JsonNode> cases;
    private final OptionalInt shortTasks;
    private final OptionalInt longTasks;

    private SchedcpCases(Path file, Map<String, JsonNode> cases, OptionalInt shortTasks, OptionalInt longTasks) {
        this.file = file;
        this.cases = cases;
        this.shortTasks = shortTasks;
        this.longTasks = longTasks;
    }

    /**
     * Reads and checks a cases file.
     *
     * @throws InvalidTaskSetException naming the file, the case and the field when the file is
     *                                 missing, not JSON, or not in this format
     */
    public static SchedcpCases read(Path file) {
        Path absolute = file.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute)) {
            throw new InvalidTaskSetException(absolute + ": no such file");
        }
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(absolute));
        } catch (JsonProcessingException e) {
            throw new InvalidTaskSetException(absolute + " is not valid JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr());
        } catch (IOException e) {
            throw new InvalidTaskSetException(absolute + " could not be read: " + e.getMessage());
        }
        if (root == null || !root.isObject() || !root.path("test_cases").isArray()) {
            throw new InvalidTaskSetException(absolute + " is not a schedcp cases file: expected an object with a "
                    + "\"test_cases\" array (the format of schedcp's test_cases_parallel.json)");
        }
        Map<String, JsonNode> cases = new LinkedHashMap<>();
        int index = 0;
        for (JsonNode testCase : root.get("test_cases")) {
            String where = absolute + ": test_cases[" + index++ + "]";
            if (!testCase.isObject() || !testCase.path("id").isTextual() || testCase.get("id").asText().isBlank()) {
                throw new InvalidTaskSetException(where + " has no \"id\": every case needs a string id such as \"ctest_suite\"");
            }
            String id = testCase.get("id").asText();
            where = absolute + ": case \"" + id + "\"";
            if (cases.containsKey(id)) {
                throw new InvalidTaskSetException(where + " appears twice");
            }
            for (String field : List.of("small_setup", "large_setup", "small_commands", "large_commands",
                    "cleanup_commands", "dependencies")) {
                strings(where, testCase, field);
            }
            if (strings(where, testCase, "small_commands").isEmpty() && strings(where, testCase, "large_commands").isEmpty()) {
                throw new InvalidTaskSetException(where + " has neither \"small_commands\" nor \"large_commands\": "
                        + "a case needs at least one command to run");
            }
            JsonNode expected = testCase.get("expected_improvement");
            if (expected != null && !expected.isNull() && !expected.isNumber()) {
                throw new InvalidTaskSetException(where + ": \"expected_improvement\" is " + expected
                        + "; expected a number such as 0.33, or no field");
            }
            cases.put(id, testCase);
        }
        JsonNode configuration = root.path("configuration");
        return new SchedcpCases(absolute, cases, count(absolute, configuration, "short_tasks"),
                count(absolute, configuration, "long_tasks"));
    }

    /** The file these cases came from. */
    public Path file() {
        return file;
    }

    /** The case ids, in file order. */
    public List<String> ids() {
        return List.copyOf(cases.keySet());
    }

    /** The file's {@code configuration.short_tasks} (39 in schedcp's), if given. */
    public OptionalInt shortTasks() {
        return shortTasks;
    }

    /** The file's {@code configuration.long_tasks} (1 in schedcp's), if given. */
    public OptionalInt longTasks() {
        return longTasks;
    }

    /** Case {@code id} with the file's own task counts (39 + 1 when the file gives none). */
    public TaskSet taskSet(String id) {
        return taskSet(id, shortTasks.orElse(39), longTasks.orElse(1));
    }

    /**
     * Case {@code id} with {@code shortTasks} short and {@code longTasks} long tasks, and
     * {@code $ORIGINAL_CWD} the file's directory.
     *
     * @throws InvalidTaskSetException if there is no such case, or it gives no command for a kind asked for
     */
    public TaskSet taskSet(String id, int shortTasks, int longTasks) {
        JsonNode testCase = cases.get(id);
        if (testCase == null) {
            throw new InvalidTaskSetException(file + " has no case \"" + id + "\"; its cases are " + ids());
        }
        String where = file + ": case \"" + id + "\"";
        List<String> small = strings(where, testCase, "small_commands");
        List<String> large = strings(where, testCase, "large_commands");
        if (shortTasks > 0 && small.isEmpty()) {
            throw new InvalidTaskSetException(where + " has no \"small_commands\" for its " + shortTasks + " short tasks");
        }
        if (longTasks > 0 && large.isEmpty()) {
            throw new InvalidTaskSetException(where + " has no \"large_commands\" for its " + longTasks + " long tasks");
        }
        if (shortTasks + longTasks == 0) {
            throw new InvalidTaskSetException(where + ": 0 short and 0 long tasks is an empty task set");
        }
        JsonNode expected = testCase.get("expected_improvement");
        TaskSet set;
        try {
            set = TaskSet.of(id, shortTasks, String.join(" && ", small), strings(where, testCase, "small_setup"),
                    longTasks, String.join(" && ", large), strings(where, testCase, "large_setup"),
                    strings(where, testCase, "cleanup_commands"));
        } catch (IllegalArgumentException e) {
            throw new InvalidTaskSetException(where + ": " + e.getMessage());
        }
        return new TaskSet(id, set.tasks(), file.getParent(), strings(where, testCase, "dependencies"),
                expected == null || expected.isNull() ? OptionalDouble.empty() : OptionalDouble.of(expected.asDouble()));
    }

    private static List<String> strings(String where, JsonNode testCase, String field) {
        JsonNode node = testCase.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new InvalidTaskSetException(where + ": \"" + field + "\" is " + abbreviate(node)
                    + "; expected an array of command strings");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode element : node) {
            if (!element.isTextual()) {
                throw new InvalidTaskSetException(where + ": \"" + field + "\" holds " + abbreviate(element)
                        + "; expected only strings");
            }
            values.add(element.asText());
        }
        return values;
    }

    private static OptionalInt count(Path file, JsonNode configuration, String field) {
        JsonNode node = configuration.get(field);
        if (node == null || node.isNull()) {
            return OptionalInt.empty();
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0) {
            throw new InvalidTaskSetException(file + ": configuration." + field + " is " + abbreviate(node)
                    + "; expected a whole number, 0 or more");
        }
        return OptionalInt.of(node.asInt());
    }

    private static String abbreviate(JsonNode node) {
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
