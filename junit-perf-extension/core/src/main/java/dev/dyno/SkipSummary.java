package dev.dyno;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dyno.config.DynoConfiguration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The tests of one run that were aborted — skipped, with a reason — so their claims were not
 * checked: the block printed at the end of the run, and {@value #FILE_NAME} in the results
 * directory.
 */
record SkipSummary(List<Skipped> skipped) {

    static final String FILE_NAME = "skipped.json";
    static final String SCHEMA = "dyno-skipped/1";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * One aborted test or container.
     *
     * @param name {@code SimpleClassName.method}, with the invocation's name for a parameterized test
     */
    record Skipped(String testId, String name, String displayName, String reason) {
    }

    SkipSummary {
        skipped = List.copyOf(skipped);
    }

    /** The console block: a count line, then one line per skipped test with its reason. */
    String text() {
        StringBuilder out = new StringBuilder();
        if (skipped.isEmpty()) {
            return out.append("\n=== Dyno: no test skipped ===\n").toString();
        }
        out.append("\n=== Dyno: ").append(skipped.size()).append(skipped.size() == 1 ? " test" : " tests")
                .append(" skipped, their claims not checked ===\n");
        for (Skipped test : skipped) {
            out.append("  ").append(test.name()).append(": ")
                    .append(test.reason().strip().replace("\n", "\n      ")).append('\n');
        }
        return out.append("(").append(DynoConfiguration.SKIPS_PROPERTY).append(" = ").append(DynoConfiguration.SKIPS_FAIL)
                .append(" fails a test Dyno cannot run here instead of skipping it.)\n").toString();
    }

    String json() {
        ObjectNode root = MAPPER.createObjectNode().put("schema", SCHEMA).put("count", skipped.size());
        ArrayNode tests = root.putArray("skipped");
        for (Skipped test : skipped) {
            tests.addObject().put("testId", test.testId()).put("name", test.name())
                    .put("displayName", test.displayName()).put("reason", test.reason());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@value #FILE_NAME} into {@code directory} and returns it. */
    Path write(Path directory) {
        try {
            Files.createDirectories(directory);
            Path file = directory.resolve(FILE_NAME);
            Files.writeString(file, json(), StandardCharsets.UTF_8);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("could not write " + FILE_NAME + " to " + directory, e);
        }
    }
}
