package dev.dyno.scheduling;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The scheduling policies {@link LongTailScheduler} provides; add your own with
 * {@link LongTailScheduler#customPolicies()}.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Policy {

    /** Every task at once under the OS scheduler (CFS, in the guide's words): the baseline. */
    DEFAULT,

    /** Long tasks identified, started first and given priority; short ones fill the rest. See {@link LongestFirstPolicy}. */
    LONG_TAIL_AWARE,

    /**
     * An external BPF scheduler loaded through sched_ext
     * ({@link LongTailScheduler#schedExtLoader()}); skipped with the reason on kernels without sched_ext.
     */
    SCHED_EXT;

    /** The name its runs carry in reports and metric names: {@code default}, {@code long-tail-aware}, {@code sched-ext}. */
    public String policyName() {
        return switch (this) {
            case DEFAULT -> AllAtOncePolicy.NAME;
            case LONG_TAIL_AWARE -> LongestFirstPolicy.NAME;
            case SCHED_EXT -> SchedExtPolicy.NAME;
        };
    }
}
