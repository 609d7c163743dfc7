package dev.dyno.load;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** One check of an answer beyond its status ({@link LoadProfile.Check}); evaluated on the I/O thread. */
sealed interface ResponseCheck {

    /** What is checked, for the report, such as {@code body contains "in stock"}. */
    String describe();

    /** Whether the body must be kept for this check: every check but a header's reads it. */
    default boolean needsBody() {
        return true;
    }

    /** Whether the answer passes. {@code body} holds the first {@code length} bytes of the body. */
    boolean passes(HttpHead head, byte[] body, int length);

    ObjectMapper JSON = new ObjectMapper();

    private static String text(byte[] body, int length) {
        return new String(body, 0, length, StandardCharsets.UTF_8);
    }

    record BodyContains(String text) implements ResponseCheck {
        public String describe() {
            return "body contains \"" + text + "\"";
        }

        public boolean passes(HttpHead head, byte[] body, int length) {
            return ResponseCheck.text(body, length).contains(text);
        }
    }

    record BodyMatches(Pattern pattern) implements ResponseCheck {
        public String describe() {
            return "body matches /" + pattern.pattern() + "/";
        }

        public boolean passes(HttpHead head, byte[] body, int length) {
            return pattern.matcher(ResponseCheck.text(body, length)).find();
        }
    }

    record JsonEquals(String text, JsonPointer pointer, String expected) implements ResponseCheck {
        public String describe() {
            return "JSON " + text + " == \"" + expected + "\"";
        }

        public boolean passes(HttpHead head, byte[] body, int length) {
            try {
                JsonNode node = JSON.readTree(body, 0, length).at(pointer);
                if (node.isMissingNode()) {
                    return false;
                }
                return (node.isValueNode() ? node.asText() : node.toString()).equals(expected);
            } catch (IOException e) {
                return false;
            }
        }
    }

    record HeaderPresent(String name) implements ResponseCheck {
        public String describe() {
            return "header " + name + " present";
        }

        @Override
        public boolean needsBody() {
            return false;
        }

        public boolean passes(HttpHead head, byte[] body, int length) {
            return head.contains(name);
        }
    }
}
