package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The identity every process, cgroup and container of one runtime carries, so that a later run
 * can tell what was left behind and by whom.
 *
 * <p>The value is safe in a container name, a label, a cgroup directory and a file name, and
 * starts with the time it was made, so a directory listing reads in order:
 * {@code 20250520-142501-4711-3fa2}.
 *
 * <pre>{@code
 * RunId id = RunId.generate();
 * docker ps --filter label=dev.dyno.run=<id>
 * }</pre>
 *
 * @param value the identifier
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record RunId(String value) {

    private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    public RunId {
        if (value == null || !ALLOWED.matcher(value).matches()) {
            throw new IllegalArgumentException("RunId = '" + value
                    + "': expected 1 to 64 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }

    /** A new identifier: time, this JVM's pid and a random suffix. */
    public static RunId generate() {
        return new RunId(LocalDateTime.now().format(STAMP) + "-" + ProcessHandle.current().pid() + "-"
                + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000)));
    }

    @Override
    public String toString() {
        return value;
    }
}
