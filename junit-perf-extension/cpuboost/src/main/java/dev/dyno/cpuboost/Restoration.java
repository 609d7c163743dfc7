package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apiguardian.api.API;

/**
 * How a boost ended: when the base allocation was set back, why, how late against the deadline,
 * and whether the CPU the workload used afterwards proves it.
 *
 * @param trigger     what ended the boost
 * @param after       when the base allocation was back in force, since the start was requested
 * @param lateness    how long after the deadline that was (deadline-triggered restores only)
 * @param cpuAfter    CPU used from shortly after the restore to the end, in cores
 * @param proven      whether {@code cpuAfter} stayed within the base allocation and its tolerance;
 *                    empty when the workload did not run long enough after the restore to tell
 * @param explanation one sentence on the above, for reports
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Restoration(Trigger trigger, Optional<Duration> after, Optional<Duration> lateness,
        OptionalDouble cpuAfter, Optional<Boolean> proven, String explanation) {

    /** What ended a boost. */
    public enum Trigger {
        /** A baseline start: there was no boost. */
        NOT_BOOSTED,
        /** The boost's duration ran out. */
        DEADLINE,
        /** The workload became ready first ({@code untilReady}). */
        READINESS,
        /** The workload finished while still boosted: there was nothing to restore. */
        ENDED_WHILE_BOOSTED
    }

    /** Whether the workload ran on after its boost ended, so restoration can be observed. */
    public boolean observable() {
        return trigger == Trigger.DEADLINE || trigger == Trigger.READINESS;
    }
}
