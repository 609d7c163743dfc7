package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * One side of a {@link Comparison}: runs the experiment once and says what it measured.
 *
 * <pre>{@code
 * Trial startup = () -> Measurement.of("total_time", startContainerAndWait());
 * Trial sorting = Trial.timing(() -> Arrays.sort(copyOf(data)));   // Dyno takes the time
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface Trial {

    /** Runs once and returns the measurement. */
    Measurement run() throws Exception;

    /**
     * A trial that runs the action and measures its wall-clock duration. It also reads the calling
     * thread's CPU time around the action, so that a {@link Comparison} can redo a round in which
     * competing work kept the action off the CPU (see {@link Comparison#redoDisturbed(int)}).
     */
    static Trial timing(Action action) {
        return TimedTrial.of(action);
    }

    /** Code to time; may throw. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }
}
