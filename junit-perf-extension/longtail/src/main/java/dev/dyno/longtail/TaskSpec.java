package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One task of a {@link TaskSet}: a shell command run with {@code bash -c} in the task's own
 * directory, after its setup commands and before its cleanup commands (each also run there with
 * {@code bash -c}, one shell per command, as schedcp does).
 *
 * <pre>{@code
 * TaskSpec unitTest = new TaskSpec("short-01", TaskSpec.Kind.SHORT, "./short",
 *         List.of("cp $ORIGINAL_CWD/assets/short.c .", "gcc -O2 short.c -lm -o short"), List.of("rm -f short"));
 * }</pre>
 *
 * @param id      unique within the set, such as {@code short-01} or {@code long-1}; names the task's directory
 * @param kind    what the task set declares it to be (policies decide for themselves what is long)
 * @param command the command line, run with {@code bash -c}
 * @param setup   commands run before the task, untimed
 * @param cleanup commands run after every task of the set has ended
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TaskSpec(String id, Kind kind, String command, List<String> setup, List<String> cleanup) {

    /** Whether the task set declares a task short or long (schedcp's {@code small_*} and {@code large_*}). */
    public enum Kind {
        SHORT, LONG;

        /** {@code short} or {@code long}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public TaskSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,39}")) {
            throw new IllegalArgumentException("task id \"" + id + "\" is not allowed: 1 to 40 letters, digits, '_', '.' "
                    + "or '-', starting with a letter or digit");
        }
        if (command == null || command.isBlank()) {
            throw new IllegalArgumentException("task " + id + " has no command: give a shell command such as \"./short\"");
        }
        setup = List.copyOf(setup);
        cleanup = List.copyOf(cleanup);
    }

    /**
     * The program the command runs, without its directory: {@code large_compression.py} for
     * {@code ./large_compression.py test_data/large_file.dat 9}. This is what a process-name
     * based scheduler sees ({@code comm}).
     */
    public String program() {
        String first = command.strip().split("\\s+", 2)[0];
        return first.substring(first.lastIndexOf('/') + 1);
    }
}
