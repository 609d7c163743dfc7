package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * The tasks a {@link LongTailScheduler} experiment runs in parallel under each policy: N short
 * and M long shell commands, each in a directory of its own. Built from the annotation's
 * commands ({@link #of}) or read from a schedcp {@code test_cases_parallel.json} case
 * ({@link SchedcpCases#taskSet}).
 *
 * <pre>{@code
 * TaskSet set = TaskSet.of("busy", 8, "./short", 1, "./long")
 *         .withSetup(List.of("cp $ORIGINAL_CWD/assets/short.c $ORIGINAL_CWD/assets/long.c .",
 *                            "gcc -O2 short.c -lm -o short && gcc -O2 long.c -lm -o long"))
 *         .withOriginalCwd(Path.of("workloads/longtail"));
 * }</pre>
 *
 * @param name                a short name for reports, such as a schedcp case id
 * @param tasks               the tasks, short ones first as schedcp lists them
 * @param originalCwd         what {@code $ORIGINAL_CWD} is in every command: the directory holding {@code assets/}
 * @param dependencies        programs the commands need, checked with {@code command -v}
 * @param expectedImprovement the improvement the task set's author expects (a fraction), if stated
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record TaskSet(String name, List<TaskSpec> tasks, Path originalCwd, List<String> dependencies,
        OptionalDouble expectedImprovement) {

    private static final Pattern ASSET = Pattern.compile("\\$\\{?ORIGINAL_CWD}?/([^\\s;&|'\"]+)");

    public TaskSet {
        Objects.requireNonNull(name, "name");
        tasks = List.copyOf(tasks);
        dependencies = List.copyOf(dependencies);
        Objects.requireNonNull(expectedImprovement, "expectedImprovement");
        originalCwd = (originalCwd == null ? Path.of("") : originalCwd).toAbsolutePath().normalize();
        if (tasks.isEmpty()) {
            throw new IllegalArgumentException("task set \"" + name + "\" is empty: give at least one short or long task");
        }
        if (tasks.stream().map(TaskSpec::id).distinct().count() != tasks.size()) {
            throw new IllegalArgumentException("task set \"" + name + "\" has two tasks with the same id");
        }
    }

    /**
     * {@code shortTasks} copies of {@code shortCommand} and {@code longTasks} copies of
     * {@code longCommand}, with ids {@code short-01…} and {@code long-1…}, no setup or cleanup.
     *
     * @throws IllegalArgumentException if both counts are zero, a count is negative, or a needed command is blank
     */
    public static TaskSet of(String name, int shortTasks, String shortCommand, int longTasks, String longCommand) {
        return of(name, shortTasks, shortCommand, List.of(), longTasks, longCommand, List.of(), List.of());
    }

    static TaskSet of(String name, int shortTasks, String shortCommand, List<String> shortSetup, int longTasks,
            String longCommand, List<String> longSetup, List<String> cleanup) {
        if (shortTasks < 0 || longTasks < 0) {
            throw new IllegalArgumentException("task counts must not be negative (short " + shortTasks + ", long "
                    + longTasks + ")");
        }
        List<TaskSpec> tasks = new ArrayList<>();
        int shortDigits = String.valueOf(shortTasks).length() < 2 ? 2 : String.valueOf(shortTasks).length();
        for (int i = 1; i <= shortTasks; i++) {
            tasks.add(new TaskSpec(String.format("short-%0" + shortDigits + "d", i), TaskSpec.Kind.SHORT, shortCommand,
                    shortSetup, cleanup));
        }
        for (int i = 1; i <= longTasks; i++) {
            tasks.add(new TaskSpec("long-" + i, TaskSpec.Kind.LONG, longCommand, longSetup, cleanup));
        }
        return new TaskSet(name, tasks, null, List.of(), OptionalDouble.empty());
    }

    /** This set with {@code setup} run before every task, in the task's directory. */
    public TaskSet withSetup(List<String> setup) {
        return new TaskSet(name, tasks.stream().map(t -> new TaskSpec(t.id(), t.kind(), t.command(), setup, t.cleanup()))
                .toList(), originalCwd, dependencies, expectedImprovement);
    }

    /** This set with {@code cleanup} run after the tasks, in each task's directory. */
    public TaskSet withCleanup(List<String> cleanup) {
        return new TaskSet(name, tasks.stream().map(t -> new TaskSpec(t.id(), t.kind(), t.command(), t.setup(), cleanup))
                .toList(), originalCwd, dependencies, expectedImprovement);
    }

    /** This set with {@code $ORIGINAL_CWD} meaning {@code directory}. */
    public TaskSet withOriginalCwd(Path directory) {
        return new TaskSet(name, tasks, directory, dependencies, expectedImprovement);
    }

    /** The tasks of one kind. */
    public List<TaskSpec> tasks(TaskSpec.Kind kind) {
        return tasks.stream().filter(t -> t.kind() == kind).toList();
    }

    /**
     * Why this set cannot run on this machine, or empty if it can: a dependency that is not on
     * the {@code PATH}, or a file under {@code $ORIGINAL_CWD} that a command copies and that does
     * not exist (such as schedcp's {@code assets/spark_skew_prepare.py}, which Dyno does not provide).
     */
    public Optional<String> unrunnableReason() {
        List<String> missing = new ArrayList<>();
        for (String dependency : dependencies) {
            if (!onPath(dependency)) {
                missing.add("program '" + dependency + "' is not installed");
            }
        }
        for (String asset : referencedAssets()) {
            if (!Files.exists(originalCwd.resolve(asset))) {
                missing.add("$ORIGINAL_CWD/" + asset + " does not exist (ORIGINAL_CWD = " + originalCwd + ")");
            }
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("task set \"" + name + "\" cannot run here: " + String.join("; ", missing));
    }

    /** Files under {@code $ORIGINAL_CWD} that the commands name, relative to it. */
    List<String> referencedAssets() {
        List<String> assets = new ArrayList<>();
        for (TaskSpec task : tasks) {
            List<String> lines = new ArrayList<>(task.setup());
            lines.add(task.command());
            lines.addAll(task.cleanup());
            for (String line : lines) {
                Matcher m = ASSET.matcher(line);
                while (m.find()) {
                    if (!assets.contains(m.group(1))) {
                        assets.add(m.group(1));
                    }
                }
            }
        }
        return assets;
    }

    private static boolean onPath(String program) {
        if (program.contains("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
