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
import java.util.HashMap;
import java.util.Map;
import jdk.jfr.Recording;

/** One test's flight recording (and async-profiler session) from before the method to its report. */
final class JfrSession implements ClosedWithTest {

    /** What {@code dyno.jfr.flamegraphs} allows. */
    enum FlameGraphMode { ON_FAILURE, ALWAYS, NEVER }

    private final Recording recording;
    private final Map<String, String> settings;
    private final boolean allocationProfile;
    private final FlameGraphMode flameGraphs;
    private final Path directory;
    private final String baseName;
    private final Path kept;
    private Path asyncProfile;
    private String flameSource;
    private Instant start;
    private long testThreadId;
    private Map<Long, Long> allocatedAtStart = Map.of();
    private volatile boolean stopped;

    JfrSession(Map<String, String> settings, boolean allocationProfile, FlameGraphMode flameGraphs, Path directory,
            String baseName) {
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
        } else if (asyncProfile != null) {
            deleteQuietly(asyncProfile);
        }
    }

    private void attachFlameGraph(Path samples, boolean allocation, String title, Recorder recorder) {
        try {
            byte[] html = FlameGraphs.html(samples, allocation, title);
            Path file = directory.resolve(baseName + (allocation ? ".alloc" : ".cpu") + ".html");
            Files.write(file, html);
            recorder.attach(Attachment.of(title, "text/html", ".html", html).inGroup(Attachment.PAGE));
        } catch (IOException | RuntimeException e) {
            System.err.println("[dyno] could not make the " + title + " from " + samples + ": " + e);
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
