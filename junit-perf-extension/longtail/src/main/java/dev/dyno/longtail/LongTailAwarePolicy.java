package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * {@link BuiltInPolicy#LONG_TAIL_AWARE}: in the spirit of schedcp's BPF schedulers, it identifies the
 * long tasks, starts them first with priority, and lets the short ones fill the remaining CPU.
 *
 * <p>A task is long when its program's name (what a process-name based scheduler sees, such as
 * {@code large_compression.py} or {@code long}) matches {@link #DEFAULT_PATTERN}, or, when
 * identifying by {@link Identification#LEARNED_RUNTIME}, when it used at least
 * {@value #LEARNED_FACTOR} times the median CPU time in earlier runs (by name until there is an
 * earlier run). Long tasks start first, longest expected first, at nice {@value #LONG_NICE} and
 * the largest CPU weight; short tasks start {@link #SHORT_DELAY} later, at the OS defaults. On a machine with
 * one cgroup per task, the weight is what lets the long task keep a whole CPU while the short
 * ones share the rest; the nice value does the same where tasks share a cgroup.
 *
 * <pre>{@code
 * SchedulingPolicy policy = new LongTailAwarePolicy(Pattern.compile("(?i)^slow_"), Identification.NAME);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LongTailAwarePolicy implements SchedulingPolicy {

    /** The policy's name in reports and metrics. */
    public static final String NAME = "long-tail-aware";

    /** Programs named {@code long…} or {@code large…}, as schedcp's cases and schedulers name them. */
    public static final String DEFAULT_PATTERN = "(?i)^(long|large)";

    /** The nice value long tasks get. */
    public static final int LONG_NICE = -10;

    /** How long after the long tasks the short ones start. */
    public static final Duration SHORT_DELAY = Duration.ofMillis(10);

    /** How many times the median CPU time makes a task long when identifying by learned runtime. */
    public static final double LEARNED_FACTOR = 2.0;

    /** How long tasks are told apart from short ones. */
    public enum Identification {
        /** By the program's name, as schedcp's BPF schedulers do. */
        NAME,
        /** By the CPU time each task used in earlier runs of the experiment (by name in the first). */
        LEARNED_RUNTIME
    }

    private final Pattern pattern;
    private final Identification identification;

    /** Identifies long tasks by {@link #DEFAULT_PATTERN}. */
    public LongTailAwarePolicy() {
        this(Pattern.compile(DEFAULT_PATTERN), Identification.NAME);
    }

    public LongTailAwarePolicy(Pattern pattern, Identification identification) {
        this.pattern = Objects.requireNonNull(pattern, "pattern");
        this.identification = Objects.requireNonNull(identification, "identification");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TaskLaunch> plan(TaskSet taskSet, PlanContext context) {
        boolean learned = identification == Identification.LEARNED_RUNTIME
                && taskSet.tasks().stream().allMatch(t -> context.learnedCpuTime(t.id()).isPresent());
        double threshold = learned ? LEARNED_FACTOR * medianNanos(taskSet, context) : 0;
        learned &= threshold > 0; // tasks that used no CPU (sleepers) cannot be told apart by it
        List<TaskLaunch> longOnes = new ArrayList<>();
        List<TaskLaunch> shortOnes = new ArrayList<>();
        for (TaskSpec task : taskSet.tasks()) {
            TaskLaunch launch = TaskLaunch.of(task);
            String why;
            boolean isLong;
            if (learned) {
                long nanos = context.learnedCpuTime(task.id()).orElseThrow().toNanos();
                isLong = nanos >= threshold;
                why = String.format(java.util.Locale.ROOT, "%s: %.2fs of CPU earlier, %s %.1f× the median",
                        isLong ? "long" : "short", nanos / 1e9, isLong ? "at least" : "under", LEARNED_FACTOR);
            } else {
                isLong = pattern.matcher(task.program()).find();
                why = (isLong ? "long: program '" : "short: program '") + task.program() + "' "
                        + (isLong ? "matches " : "does not match ") + pattern.pattern();
            }
            if (isLong) {
                longOnes.add(launch.withNice(LONG_NICE).withCpuWeight(TaskLaunch.MAX_CPU_WEIGHT)
                        .because(why + "; started first with priority"));
            } else {
                shortOnes.add(launch.because(why + "; fills the remaining CPU"));

            }
        }
        longOnes.sort(Comparator.comparing((TaskLaunch l) -> context.learnedCpuTime(l.task().id()).orElse(Duration.ZERO))
                .reversed());
        List<TaskLaunch> plan = new ArrayList<>(longOnes);
        shortOnes.forEach(s -> plan.add(longOnes.isEmpty() ? s : s.withDelay(SHORT_DELAY)));
        return plan;
    }

    private static double medianNanos(TaskSet taskSet, PlanContext context) {
        double[] values = taskSet.tasks().stream()
                .mapToDouble(t -> context.learnedCpuTime(t.id()).orElseThrow().toNanos()).sorted().toArray();
        int n = values.length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    @Override
    public String toString() {
        return NAME + " (long tasks by " + (identification == Identification.NAME ? "name /" + pattern.pattern() + "/"
                : "learned runtime") + ")";
    }
}
