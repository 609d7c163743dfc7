package dev.dyno.spi;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Runs an action with the thread's interrupt set aside, then sets it again.
 *
 * <p>A capability reports after its run, and after the test's timeout that run ends with the
 * thread interrupted. An interrupted thread's file channel closes instead of writing, and waiting
 * for a process to end throws at once: what was measured would be lost and what was started left
 * running. So writing results and stopping workloads happen with the interrupt held, which the
 * lifecycle then finds again and reports as the timeout.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class InterruptHeld {

    /** An action that may throw a checked exception of its own. */
    @FunctionalInterface
    public interface Action<E extends Exception> {
        void run() throws E;
    }

    private InterruptHeld() {
    }

    /** Runs {@code action} on a thread that is not interrupted, and restores an interrupt it had. */
    public static <E extends Exception> void run(Action<E> action) throws E {
        boolean interrupted = Thread.interrupted();
        try {
            action.run();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
