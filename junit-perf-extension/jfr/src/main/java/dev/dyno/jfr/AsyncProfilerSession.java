package dev.dyno.jfr;

import java.nio.file.Path;

/**
 * async-profiler in this JVM, when its jar is on the class path and its native library loads here.
 * The only class that names async-profiler's API, so that without its jar nothing else fails to link.
 * One profiling session per JVM: a test that finds it busy (tests in parallel) falls back to JFR.
 */
final class AsyncProfilerSession {

    /** The sampling interval, async-profiler's own default for CPU. */
    static final String INTERVAL = "10ms";

    private static final Object LOCK = new Object();
    private static volatile Object profiler;
    private static volatile String unavailable;

    private AsyncProfilerSession() {
    }

    /** Why async-profiler cannot be used in this JVM, or null when it can; loads it on the first call. */
    static String unavailable() {
        synchronized (LOCK) {
            if (profiler == null && unavailable == null) {
                try {
                    Class.forName("one.profiler.AsyncProfiler");
                    profiler = one.profiler.AsyncProfiler.getInstance();
                } catch (ClassNotFoundException e) {
                    unavailable = "tools.profiler:async-profiler is not on the class path";
                } catch (RuntimeException | LinkageError e) {
                    unavailable = "its native library did not load on " + System.getProperty("os.name") + " "
                            + System.getProperty("os.arch") + ": " + e.getMessage();
                }
                if (unavailable != null) {
                    System.err.println("[dyno] async-profiler is not used: " + unavailable
                            + "; flame graphs come from JFR's execution samples");
                }
            }
            return unavailable;
        }
    }

    /** Starts CPU (and allocation) profiling into {@code file}; returns null, or why it did not start. */
    static String start(Path file, boolean allocation) {
        String reason = unavailable();
        if (reason != null) {
            return reason;
        }
        try {
            ((one.profiler.AsyncProfiler) profiler).execute("start,event=cpu,interval=" + INTERVAL
                    + (allocation ? ",alloc" : "") + ",file=" + file + ",jfr");
            return null;
        } catch (java.io.IOException | RuntimeException e) {
            // "Profiler already started": another test of this JVM holds it
            return "it did not start: " + e.getMessage();
        }
    }

    static void stop() {
        try {
            ((one.profiler.AsyncProfiler) profiler).execute("stop");
        } catch (java.io.IOException | RuntimeException e) {
            System.err.println("[dyno] could not stop async-profiler: " + e.getMessage());
        }
    }

    /** The library's version, such as {@code 4.2}. */
    static String version() {
        return ((one.profiler.AsyncProfiler) profiler).getVersion();
    }
}
