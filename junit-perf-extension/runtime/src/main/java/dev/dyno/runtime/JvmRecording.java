package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.regex.Pattern;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apiguardian.api.API;

/**
 * The JDK Flight Recorder recording of a workload's JVM, asked for with
 * {@link WorkloadSpec#withJvmRecording()} and collected when the workload stops; or why there is
 * none. {@link RunningWorkload#jvmRecording()} returns it.
 *
 * <pre>{@code
 * JvmRecording recording = workload.jvmRecording();
 * recording.summary().ifPresentOrElse(
 *         jvm -> System.out.println(jvm.compilations() + " methods compiled in " + jvm.compilationTime()),
 *         () -> System.out.println(recording.explanation()));   // e.g. "no JVM started: …"
 * }</pre>
 *
 * @param file        the {@code .jfr} file on this machine (kept after the workload stops), when there is one
 * @param summary     what the recording says about the JVM's start-up work, when the file could be read
 * @param explanation where the file came from, or why there is none
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record JvmRecording(Optional<Path> file, Optional<Summary> summary, String explanation) {

    /** The environment variable every JVM reads its extra options from, whatever command starts it. */
    public static final String JAVA_TOOL_OPTIONS = "JAVA_TOOL_OPTIONS";

    /** The file's name in the workload's directory next to its logs. */
    public static final String FILE_NAME = "jvm.jfr";

    /** What a JVM prints on its standard error when it picked up {@value #JAVA_TOOL_OPTIONS}. */
    static final String PICKED_UP = "Picked up " + JAVA_TOOL_OPTIONS;

    private static final Pattern UNSAFE_PATH = Pattern.compile("[\\s,'\"=]");

    /**
     * What the recording shows about the JVM's own work, over the recording (from shortly after the
     * JVM started to its exit). Every figure is read from a JFR event the JVM wrote itself:
     *
     * @param recorded          from the first event to the last
     * @param compilations      methods the JIT compilers compiled ({@code jdk.Compilation}; every one, the
     *                          threshold is 0)
     * @param compilationTime   the sum of their durations: wall time on the compiler threads, including
     *                          time they waited for a CPU, so a CPU limit lengthens it
     * @param longestCompilation the longest single compilation
     * @param classesLoaded     classes the JVM had loaded by its exit, since its start
     *                          ({@code jdk.ClassLoadingStatistics} at the end of the recording); empty if the
     *                          event is missing
     * @param classLoads        classes loaded while recording ({@code jdk.ClassLoad}; those of the class
     *                          data sharing archive and of the JVM's first moments came before)
     * @param classLoadingTime  the time threads spent loading those classes: the sum of the outermost
     *                          {@code jdk.ClassLoad} durations of each thread (a class's loading that
     *                          triggers another's is counted once)
     * @param garbageCollections collections ({@code jdk.GarbageCollection})
     * @param gcPauseTime       the sum of their pauses ({@code sumOfPauses})
     * @since 0.2
     */
    public record Summary(Duration recorded, int compilations, Duration compilationTime, Duration longestCompilation,
            OptionalLong classesLoaded, int classLoads, Duration classLoadingTime, int garbageCollections,
            Duration gcPauseTime) {

        public Summary {
            Objects.requireNonNull(recorded, "recorded");
            Objects.requireNonNull(compilationTime, "compilationTime");
            Objects.requireNonNull(longestCompilation, "longestCompilation");
            Objects.requireNonNull(classesLoaded, "classesLoaded");
            Objects.requireNonNull(classLoadingTime, "classLoadingTime");
            Objects.requireNonNull(gcPauseTime, "gcPauseTime");
        }

        /**
         * Reads a recording, such as one {@link WorkloadSpec#withJvmRecording()} collected.
         *
         * @throws IOException if the file cannot be read or is not a complete recording
         */
        public static Summary read(Path file) throws IOException {
            Instant first = null;
            Instant last = null;
            int compilations = 0;
            long compilationNanos = 0;
            long longestCompilation = 0;
            long classesLoaded = -1;
            List<RecordedEvent> classLoads = new ArrayList<>();
            int collections = 0;
            long pauseNanos = 0;
            try (RecordingFile recording = new RecordingFile(file)) {
                while (recording.hasMoreEvents()) {
                    RecordedEvent event = recording.readEvent();
                    first = first == null || event.getStartTime().isBefore(first) ? event.getStartTime() : first;
                    last = last == null || event.getEndTime().isAfter(last) ? event.getEndTime() : last;
                    switch (event.getEventType().getName()) {
                        case "jdk.Compilation" -> {
                            compilations++;
                            compilationNanos += event.getDuration().toNanos();
                            longestCompilation = Math.max(longestCompilation, event.getDuration().toNanos());
                        }
                        case "jdk.ClassLoad" -> classLoads.add(event);
                        case "jdk.ClassLoadingStatistics" ->
                                classesLoaded = Math.max(classesLoaded, event.getLong("loadedClassCount"));
                        case "jdk.GarbageCollection" -> {
                            collections++;
                            pauseNanos += event.getDuration("sumOfPauses").toNanos();
                        }
                        default -> {
                            // the rest of the profile stays in the file, for JDK Mission Control
                        }
                    }
                }
            }
            if (first == null) {
                throw new IOException(file + " holds no events");
            }
            return new Summary(Duration.between(first, last), compilations, Duration.ofNanos(compilationNanos),
                    Duration.ofNanos(longestCompilation),
                    classesLoaded < 0 ? OptionalLong.empty() : OptionalLong.of(classesLoaded), classLoads.size(),
                    outermost(classLoads), collections, Duration.ofNanos(pauseNanos));
        }

        /** The sum over threads of the loads not nested in another load of the same thread. */
        private static Duration outermost(List<RecordedEvent> loads) {
            loads.sort(Comparator.comparing(RecordedEvent::getStartTime));
            Map<Long, Instant> busyUntil = new HashMap<>();
            long nanos = 0;
            for (RecordedEvent load : loads) {
                long thread = load.getThread() == null ? -1 : load.getThread().getJavaThreadId();
                Instant until = busyUntil.get(thread);
                if (until == null || !load.getStartTime().isBefore(until)) {
                    nanos += load.getDuration().toNanos();
                    busyUntil.put(thread, load.getEndTime());
                }
            }
            return Duration.ofNanos(nanos);
        }
    }

    public JvmRecording {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(summary, "summary");
        Objects.requireNonNull(explanation, "explanation");
    }

    /**
     * The options that make a JVM record itself into {@code file} until it exits: the
     * {@code profile} settings, with every JIT compilation ({@code jdk.Compilation} threshold 0)
     * and every class load ({@code jdk.ClassLoad}, off in {@code profile}) recorded, and the loaded
     * class count written at the end; JFR's start-up message, which it prints on standard output,
     * turned off, so that a workload's output stays its own.
     *
     * @throws IllegalArgumentException if {@code file} holds a space, comma, quote or '=', which the
     *                                  option cannot carry
     */
    public static String toolOptions(String file) {
        if (UNSAFE_PATH.matcher(file).find()) {
            throw new IllegalArgumentException("cannot record a JVM into '" + file + "': a -XX:StartFlightRecording "
                    + "file name cannot hold spaces, commas, quotes or '='; set java.io.tmpdir to a plainer directory");
        }
        return "-Xlog:jfr+startup=off -XX:StartFlightRecording=filename=" + file + ",settings=profile,dumponexit=true,"
                + "jdk.Compilation#threshold=0ms,jdk.ClassLoad#enabled=true,jdk.ClassLoad#threshold=0ms,"
                + "jdk.ClassLoadingStatistics#period=endChunk";
    }

    /** {@code existing} options (the spec's, the image's or the inherited ones) followed by the recording's. */
    static String toolOptions(String existing, String file) {
        return existing == null || existing.isBlank() ? toolOptions(file) : existing.strip() + " " + toolOptions(file);
    }

    static JvmRecording notRequested() {
        return new JvmRecording(Optional.empty(), Optional.empty(),
                "not asked for: the spec has no WorkloadSpec.withJvmRecording()");
    }

    static JvmRecording notYetCollected() {
        return new JvmRecording(Optional.empty(), Optional.empty(), "not collected yet: a JVM writes its recording "
                + "as it exits, and it is collected when the workload stops (stop(), kill() or close())");
    }

    /**
     * What a stopped workload left at {@code file}.
     *
     * @param killed    whether it was still running when it was killed (SIGKILL)
     * @param jvmStarted whether a JVM said it picked up the options
     */
    static JvmRecording collect(Path file, boolean killed, boolean jvmStarted) {
        if (Files.isRegularFile(file)) {
            try {
                if (Files.size(file) > 0) {
                    return new JvmRecording(Optional.of(file), Optional.of(Summary.read(file)),
                            "recorded by the workload's JVM with -XX:StartFlightRecording (JDK Flight Recorder)");
                }
            } catch (IOException | RuntimeException e) {
                return new JvmRecording(Optional.of(file), Optional.empty(), "the JVM's recording " + file
                        + " cannot be read (" + e.getMessage() + "): it was probably cut off while being written");
            }
        }
        if (!jvmStarted) {
            return new JvmRecording(Optional.empty(), Optional.empty(), "no JVM started: nothing on the workload's "
                    + "standard error says '" + PICKED_UP + "', so its command ran no Java program");
        }
        if (killed) {
            return new JvmRecording(Optional.empty(), Optional.empty(), "the JVM was killed (SIGKILL) while it ran, "
                    + "and a killed JVM writes no recording; stop() it, or let it exit");
        }
        return new JvmRecording(Optional.empty(), Optional.empty(), "the JVM started but wrote no recording: it "
                + "crashed, was ended by a signal it could not handle, or exited through Runtime.halt");
    }

    /** Whether a JVM said on {@code stderr} (the retained text, else the head of the log) that it took the options. */
    static boolean jvmStarted(String retainedStderr, Path stderrFile) {
        if (retainedStderr.contains(PICKED_UP)) {
            return true;
        }
        try (var in = Files.newInputStream(stderrFile)) {
            return new String(in.readNBytes(64 * 1024), StandardCharsets.UTF_8).contains(PICKED_UP);
        } catch (IOException e) {
            return false;
        }
    }
}
