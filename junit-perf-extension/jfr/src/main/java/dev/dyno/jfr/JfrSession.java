package dev.dyno.jfr;

import dev.dyno.metrics.Recorder;
import dev.dyno.metrics.ThreadAllocation;
import dev.dyno.report.TestOutcome;
import dev.dyno.spi.ClosedWithTest;
import dev.dyno.view.Attachment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import jdk.jfr.Recording;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/** One test's flight recording (and async-profiler session) from before the method to its report. */
final class JfrSession implements ClosedWithTest {

    /** The report attribute saying what {@link JfrRecording#compare()} compared, or why nothing. */
    static final String COMPARE_ATTRIBUTE = "jfr.compare";
    /** Report parameter: the CPU samples of the method's flame graph, and why they are too few where they are. */
    static final String SAMPLES_ATTRIBUTE = "jfr.flamegraph.samples";
    /** Fewer CPU samples than this show no more than noise in a flame graph. */
    static final int MIN_SAMPLES = 10;

    /** What {@code dyno.jfr.flamegraphs} allows. */
    enum FlameGraphMode { ON_FAILURE, ALWAYS, NEVER }

    private final Recording recording;
    private final Map<String, String> settings;
    private final boolean allocationProfile;
    private final FlameGraphMode flameGraphs;
    private final Path directory;
    private final String baseName;
    private final Path kept;
    private final String[] compare;
    private final List<Differential> differentials = new ArrayList<>();
    private ExtensionConfigurationException compareRefused;
    private Path asyncProfile;
    private String flameSource;
    private Instant start;
    private long testThreadId;
    private Map<Long, Long> allocatedAtStart = Map.of();
    private volatile boolean stopped;

    JfrSession(Map<String, String> settings, boolean allocationProfile, String[] compare, FlameGraphMode flameGraphs,
            Path directory, String baseName) {
        this.compare = compare.clone();
        this.settings = Map.copyOf(settings);
        this.recording = new Recording(settings);
        this.recording.setName("dyno " + baseName);
        this.recording.setToDisk(true);
        this.allocationProfile = allocationProfile;
        this.flameGraphs = flameGraphs;
        this.directory = directory;
        this.baseName = baseName;
        this.kept = directory.resolve(baseName + ".jfr");
    }

    JfrEvents events() {
        return new JfrEvents(this::file, settings);
    }

    void start() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("could not create " + directory + " for the recording", e);
        }
        if (flameGraphs != FlameGraphMode.NEVER && FlameGraphs.unavailable() == null) {
            Path async = directory.resolve(baseName + ".async-profiler.jfr");
            String notStarted = AsyncProfilerSession.start(async, allocationProfile);
            if (notStarted == null) {
                asyncProfile = async;
                flameSource = "async-profiler " + AsyncProfilerSession.version() + " (cpu, interval "
                        + AsyncProfilerSession.INTERVAL + (allocationProfile ? "; alloc" : "") + ")";
            } else {
                flameSource = "JFR jdk.ExecutionSample" + (allocationProfile ? " and jdk.ObjectAllocationSample" : "")
                        + " (async-profiler: " + notStarted + ")";
            }
        } else {
            flameSource = "none (" + (flameGraphs == FlameGraphMode.NEVER ? JfrRecording.FLAMEGRAPHS_PROPERTY + " = never"
                    : FlameGraphs.unavailable()) + ")";
        }
        testThreadId = Thread.currentThread().getId();
        allocatedAtStart = allocatedByThread();
        start = Instant.now();
        recording.start();
    }

    /** Stops recording, keeps the file, and records its figures into {@code recorder}. */
    void stop(Recorder recorder) {
        if (asyncProfile != null) {
            AsyncProfilerSession.stop();
        }
        recording.stop();
        Instant end = Instant.now();
        stopped = true;
        try {
            recording.dump(kept);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the recording to " + kept, e);
        }
        JfrMetrics.record(events().events(), start, end, testThreadId, allocatedAtStart, recorder);
        recorder.attribute("jfr.recording", kept.toString());
        recorder.attribute("jfr.flamegraph.source", flameSource);
        compareSides(recorder);
    }

    /** Splits the samples into the sides of {@link JfrRecording#compare()} and reports what changed. */
    private void compareSides(Recorder recorder) {
        Optional<Sides> sides;
        try {
            sides = Sides.of(compare, recorder.snapshot());
        } catch (ExtensionConfigurationException e) {
            compareRefused = e;
            recorder.attribute(COMPARE_ATTRIBUTE, e.getMessage());
            return;
        }
        if (sides.isEmpty()) {
            return;
        }
        Path samples = asyncProfile != null ? asyncProfile : kept;
        String source = asyncProfile != null ? "async-profiler" : "JFR";
        for (Differential.Kind kind : allocationProfile ? Differential.Kind.values()
                : new Differential.Kind[] {Differential.Kind.CPU}) {
            String attribute = COMPARE_ATTRIBUTE + (kind == Differential.Kind.CPU ? "" : ".allocation");
            try {
                Differential differential = Differential.of(samples, kind, sides.get());
                List<Differential.FrameChange> top = differential.top(Differential.TOP);
                if (top.isEmpty()) {
                    // this JVM may take no samples (JFR on some kernels), or a side ran too briefly
                    recorder.attribute(attribute, differential.summary() + ", from " + source
                            + ": a side without samples, nothing to compare");
                    continue;
                }
                recorder.attribute(attribute, differential.summary() + ", from " + source);
                recorder.table(differential.title(), Differential.columns(),
                        top.stream().map(Differential.FrameChange::row).toList());
                differentials.add(differential);
            } catch (IOException | RuntimeException e) {
                recorder.attribute(attribute, "could not read the samples of " + samples + ": " + e);
            }
        }
    }

    /** After a method that passed: fails it when a {@link JfrRecording#compare()} name matched nothing. */
    void refuseUnmatchedCompare() {
        if (compareRefused != null) {
            throw compareRefused;
        }
    }

    /**
     * Attaches the recording, and the flame graphs when the outcome or the setting asks for them.
     * Runs once the outcome is known: a flame graph costs seconds to make, so a passing test gets
     * none unless {@code dyno.jfr.flamegraphs = always}.
     */
    void report(TestOutcome outcome, Recorder recorder) {
        if (!stopped) {
            return;
        }
        try {
            // whole bytes, not the file: a report keeps only the end of a file attachment, which a .jfr cannot lose
            recorder.attach(Attachment.of("JFR recording " + kept.getFileName() + " (JDK Mission Control)",
                    "application/octet-stream", ".jfr", Files.readAllBytes(kept)));
        } catch (IOException e) {
            System.err.println("[dyno] could not attach " + kept + ": " + e);
        }
        boolean wanted = flameGraphs == FlameGraphMode.ALWAYS
                || flameGraphs == FlameGraphMode.ON_FAILURE && !outcome.status().equals("passed");
        if (wanted && FlameGraphs.unavailable() == null) {
            Path samples = asyncProfile != null ? asyncProfile : kept;
            attachFlameGraph(samples, false, "CPU flame graph of " + outcome.shortName(), recorder);
            if (allocationProfile) {
                attachFlameGraph(samples, true, "Allocation flame graph of " + outcome.shortName(), recorder);
            }
            for (Differential differential : differentials) {
                attachSideFlameGraphs(differential, outcome.shortName(), recorder);
            }
        } else if (asyncProfile != null) {
            deleteQuietly(asyncProfile);
        }
    }

    private void attachFlameGraph(Path samples, boolean allocation, String title, Recorder recorder) {
        try {
            if (!allocation) {
                recorder.attribute(SAMPLES_ATTRIBUTE, samplesNote(FlameGraphs.cpuSamples(samples), asyncProfile != null));
            }
            byte[] html = FlameGraphs.html(samples, allocation, title);
            Path file = directory.resolve(baseName + (allocation ? ".alloc" : ".cpu") + ".html");
            Files.write(file, html);
            recorder.attach(Attachment.of(title, "text/html", ".html", html).inGroup(Attachment.PAGE));
        } catch (IOException | RuntimeException e) {
            System.err.println("[dyno] could not make the " + title + " from " + samples + ": " + e);
        }
    }

    /**
     * How many CPU samples the flame graph has, and, where they are too few to show anything, why:
     * an empty flame graph must not pass for a method that spent no time anywhere.
     */
    static String samplesNote(long samples, boolean fromAsyncProfiler) {
        if (samples >= MIN_SAMPLES) {
            return samples + " CPU samples";
        }
        return samples + " CPU samples: too few to show where the time went ("
                + (fromAsyncProfiler ? "the method ran on a CPU for less than " + MIN_SAMPLES + " of async-profiler's "
                        + AsyncProfilerSession.INTERVAL + " intervals"
                        : "JFR's jdk.ExecutionSample takes almost none on some JVMs and kernels, such as OpenJDK 17 on "
                        + "Linux 6.x; with async-profiler on the class path Dyno samples with it instead: docs/jfr.md")
                + ")";
    }

    /** A flame graph per side, to hold side by side with the table of what changed. */
    private void attachSideFlameGraphs(Differential differential, String test, Recorder recorder) {
        String kind = differential.kind() == Differential.Kind.CPU ? "cpu" : "alloc";
        for (boolean baseline : new boolean[] {true, false}) {
            Sides.Side side = baseline ? differential.sides().baseline() : differential.sides().variant();
            String title = differential.kind().title.substring(0, 1).toUpperCase(Locale.ROOT)
                    + differential.kind().title.substring(1) + " flame graph of " + test + ", "
                    + (baseline ? "baseline " : "variant ") + side.name();
            try {
                byte[] html = FlameGraphs.html((baseline ? differential.baseline() : differential.variant()).stacks(),
                        title);
                Files.write(directory.resolve(baseName + "." + kind + (baseline ? ".baseline" : ".variant") + ".html"),
                        html);
                recorder.attach(Attachment.of(title, "text/html", ".html", html).inGroup(Attachment.PAGE));
            } catch (IOException | RuntimeException e) {
                System.err.println("[dyno] could not make the " + title + ": " + e);
            }
        }
    }

    private Path file() {
        if (stopped) {
            return kept;
        }
        // what was recorded so far; JFR flushes the threads' buffers for the dump
        try {
            Path sofar = Files.createTempFile(directory, baseName + ".sofar", ".jfr");
            sofar.toFile().deleteOnExit();
            recording.dump(sofar);
            return sofar;
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the recording so far", e);
        }
    }

    private static Map<Long, Long> allocatedByThread() {
        ThreadAllocation.currentThreadBytes(); // fails clearly where the JVM cannot count
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> byThread = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                byThread.put(ids[i], bytes[i]);
            }
        }
        return byThread;
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover file in the results directory is harmless
        }
    }

    @Override
    public void close() {
        if (!stopped && asyncProfile != null) {
            AsyncProfilerSession.stop();
        }
        recording.close();
    }
}
