package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.management.ManagementFactory;
import org.apiguardian.api.API;

/**
 * The bytes the calling thread has allocated, from the JVM's per-thread counter
 * ({@code com.sun.management.ThreadMXBean#getCurrentThreadAllocatedBytes}): exact, not sampled,
 * and reading it allocates nothing.
 *
 * @since 0.2
 */
@API(status = INTERNAL, since = "0.2")
public final class ThreadAllocation {

    private static final com.sun.management.ThreadMXBean THREADS = threads();

    private ThreadAllocation() {
    }

    /**
     * The bytes this thread has allocated since it started.
     *
     * @throws UnsupportedOperationException on a JVM without a per-thread allocation counter
     */
    public static long currentThreadBytes() {
        if (THREADS == null) {
            throw new UnsupportedOperationException("this JVM (" + System.getProperty("java.vm.name")
                    + ") counts no allocated bytes per thread: com.sun.management.ThreadMXBean is missing or"
                    + " thread allocated memory is not supported");
        }
        return THREADS.getCurrentThreadAllocatedBytes();
    }

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads
                && threads.isThreadAllocatedMemorySupported()) {
            threads.setThreadAllocatedMemoryEnabled(true);
            return threads;
        }
        return null;
    }
}
