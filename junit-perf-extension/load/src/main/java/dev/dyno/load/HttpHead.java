package dev.dyno.load;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The status and headers of an answer, read only for a kind of request with checks: an unchecked
 * answer's headers are never turned into objects.
 *
 * @param headers each header as a name and its value, in the order they came
 */
record HttpHead(int status, List<String[]> headers) {

    /** Whether a header of this name came, in any case. */
    boolean contains(String name) {
        return headers.stream().anyMatch(h -> h[0].equalsIgnoreCase(name));
    }

    /** Such as {@code headers Content-Type: text/plain, Content-Length: 2}. */
    String describe() {
        return headers.stream().map(h -> h[0] + ": " + h[1]).collect(Collectors.joining(", ", "headers ", ""));
    }
}
