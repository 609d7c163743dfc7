package dev.dyno.workloads.cpuboost;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The CPU boost guide's Java load test: what a JVM does in the first second of its life, timed
 * phase by phase, so a boost during start-up shows up as shorter phases.
 *
 * <ol>
 *   <li>class loading: 100 000 strings built and sorted (the collections, string concatenation
 *       and sorting code is loaded, linked and interpreted for the first time);</li>
 *   <li>first computation: 10 million {@code sqrt(i) * sin(i)}, interpreted, then compiled by C1
 *       and C2 while it runs;</li>
 *   <li>second computation: the same loop again, now compiled.</li>
 * </ol>
 *
 * It prints a progress line per phase, then {@value #MARKER} and one JSON object. Durations are
 * in seconds ({@code *_time} fields are seconds in Dyno's convention): {@code class_loading_time},
 * {@code first_computation_time}, {@code second_computation_time}, {@code jvm_boot_time} (process
 * start to {@code main}) and {@code total_time} (process start to the end, so the JVM's own
 * start-up is included, as a container's would be); {@code container_start_time} is the epoch
 * second the process started; {@code cpu_allocated} the processors the JVM saw.
 *
 * <pre>
 * java -cp workloads/target/classes dev.dyno.workloads.cpuboost.JavaLoadTest [--scale 0.5]
 * </pre>
 *
 * {@code --scale F} multiplies every phase's iterations (default 1: the guide's sizes). The
 * program depends on the JDK only, so it runs in any image with a Java 17 runtime.
 */
public final class JavaLoadTest {

    /** The line that announces the metrics, as Dyno reads them. */
    public static final String MARKER = "=== METRICS_JSON ===";

    /** The guide's sizes at scale 1. */
    static final int STRINGS = 100_000;
    static final int COMPUTATION_ITERATIONS = 10_000_000;

    /** The largest scale whose iteration counts still fit an int. */
    static final int MAX_SCALE = 200;

    /**
     * Linux's USER_HZ: the unit of {@code starttime} in {@code /proc/<pid>/stat}. It is 100 on
     * every architecture a JVM runs on; a JVM has no portable way to ask for it.
     */
    private static final double CLOCK_TICKS_PER_SECOND = 100.0;

    private JavaLoadTest() {
    }

    public static void main(String[] args) {
        Instant mainEntered = Instant.now();
        double scale;
        try {
            scale = parseScale(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: java " + JavaLoadTest.class.getName() + " [--scale F]   (0 < F <= " + MAX_SCALE
                    + ", default 1)");
            System.exit(2);
            return;
        }
        ProcessStart start = ProcessStart.ofThisProcess(mainEntered);
        run(scale, start, mainEntered, System.out);
    }

    /**
     * Runs the three phases at {@code scale} and prints progress and the metrics to {@code out}.
     *
     * @return the metrics, as printed
     */
    static Map<String, Object> run(double scale, ProcessStart start, Instant mainEntered, PrintStream out) {
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_name", "java_load");
        // What the JVM sees at the start of main. HotSpot sized its GC and JIT compiler threads (and,
        // below 2 processors, picked the serial collector) from this count when it started, so a boost
        // applied after start-up changes none of that, even where availableProcessors() would later
        // answer differently.
        metrics.put("cpu_allocated", Runtime.getRuntime().availableProcessors());
        metrics.put("container_start_time", start.epochSeconds());
        metrics.put("jvm_boot_time", Math.max(0, seconds(start.instant(), mainEntered)));
        metrics.put("process_start_source", start.source());

        out.println("=== Phase 1: Class Loading ===");
        long phase = System.nanoTime();
        int strings = scaled(STRINGS, scale);
        List<String> list = new ArrayList<>();
        for (int i = 0; i < strings; i++) {
            list.add("String" + i);
        }
        Collections.sort(list);
        double classLoading = secondsSince(phase);
        metrics.put("class_loading_time", classLoading);
        out.println("Class loading: " + format(classLoading) + "s (" + list.size() + " strings, first "
                + (list.isEmpty() ? "none" : list.get(0)) + ")");

        int iterations = scaled(COMPUTATION_ITERATIONS, scale);
        out.println();
        out.println("=== Phase 2: First Computation ===");
        phase = System.nanoTime();
        double result = compute(iterations);
        double first = secondsSince(phase);
        metrics.put("first_computation_time", first);
        // Printing the result keeps the loop observable, so the JIT cannot drop it.
        out.println("First computation: " + format(first) + "s (result " + result + ")");

        out.println();
        out.println("=== Phase 3: Second Computation ===");
        phase = System.nanoTime();
        result = compute(iterations);
        double second = secondsSince(phase);
        metrics.put("second_computation_time", second);
        out.println("Second computation: " + format(second) + "s (result " + result + ")");

        metrics.put("total_time", seconds(start.instant(), Instant.now()));
        out.println();
        out.println(MARKER);
        out.println(toJson(metrics));
        out.flush();
        return metrics;
    }

    /** Both computations call this one method, so the second runs the code compiled during the first. */
    private static double compute(int iterations) {
        double result = 0;
        for (int i = 0; i < iterations; i++) {
            result += Math.sqrt(i) * Math.sin(i);
        }
        return result;
    }

    static double parseScale(String... args) {
        double scale = 1;
        for (int i = 0; i < args.length; i++) {
            if (!args[i].equals("--scale")) {
                throw new IllegalArgumentException("unknown argument '" + args[i] + "'");
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("--scale needs a value, such as --scale 0.5");
            }
            String value = args[++i];
            try {
                scale = Double.parseDouble(value);
            } catch (NumberFormatException e) {
                scale = Double.NaN;
            }
            if (!(scale > 0 && scale <= MAX_SCALE)) {
                throw new IllegalArgumentException("--scale " + value + ": expected a number above 0 and at most "
                        + MAX_SCALE);
            }
        }
        return scale;
    }

    private static int scaled(int size, double scale) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.round(size * scale)));
    }

    private static double secondsSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toNanos() / 1e9;
    }

    private static String format(double seconds) {
        return String.format(Locale.ROOT, "%.3f", seconds);
    }

    /**
     * When this process started, and how that was found out.
     *
     * @param instant the start
     * @param source  {@code proc} (Linux's {@code /proc}, to 10 ms), {@code process-handle} or {@code main}
     */
    record ProcessStart(Instant instant, String source) {

        double epochSeconds() {
            return instant.getEpochSecond() + instant.getNano() / 1e9;
        }

        /**
         * On Linux, from {@code /proc}: the process's age is the boot clock now ({@code /proc/uptime})
         * less its start on the same clock ({@code starttime} in {@code /proc/self/stat}), both to 10 ms.
         * {@code ProcessHandle.Info.startInstant()} is not used there: it adds {@code starttime} to
         * {@code btime}, the boot time truncated to a whole second, so it puts the start up to a second
         * too early (0.3 s on the machine this was written on, which would double a 0.3 s start-up).
         * Elsewhere, {@code ProcessHandle}; failing that, the start of {@code main}.
         */
        static ProcessStart ofThisProcess(Instant mainEntered) {
            Optional<Double> age = procAgeSeconds();
            if (age.isPresent()) {
                Instant now = Instant.now();
                return new ProcessStart(now.minusNanos(Math.round(age.get() * 1e9)), "proc");
            }
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")) {
                Optional<Instant> started = ProcessHandle.current().info().startInstant();
                if (started.isPresent()) {
                    return new ProcessStart(started.get(), "process-handle");
                }
            }
            return new ProcessStart(mainEntered, "main");
        }

        private static Optional<Double> procAgeSeconds() {
            try {
                String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
                String uptime = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII);
                // Fields after the command name, which may itself hold spaces and parentheses;
                // starttime is field 22 overall, the 20th after the name.
                String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
                double startedAt = Long.parseLong(fields[19]) / CLOCK_TICKS_PER_SECOND;
                double now = Double.parseDouble(uptime.trim().split("\\s+")[0]);
                return Optional.of(Math.max(0, now - startedAt));
            } catch (IOException | RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** One flat JSON object: strings, numbers (non-finite ones as {@code null}) and booleans. */
    static String toJson(Map<String, Object> fields) {
        StringBuilder json = new StringBuilder("{");
        fields.forEach((name, value) -> {
            if (json.length() > 1) {
                json.append(", ");
            }
            appendString(json, name);
            json.append(": ");
            if (value == null) {
                json.append("null");
            } else if (value instanceof Double d) {
                json.append(Double.isFinite(d) ? d.toString() : "null");
            } else if (value instanceof Float f) {
                json.append(Float.isFinite(f) ? f.toString() : "null");
            } else if (value instanceof Number || value instanceof Boolean) {
                json.append(value);
            } else {
                appendString(json, value.toString());
            }
        });
        return json.append('}').toString();
    }

    private static void appendString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
