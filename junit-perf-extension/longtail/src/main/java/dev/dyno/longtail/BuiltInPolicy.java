package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The {@link SchedulingPolicy scheduling policies} that come with {@link LongTailScheduler}, named
 * in {@link LongTailScheduler#policies()}; each constant is implemented by the class of the same
 * name ({@code DEFAULT} by {@code DefaultPolicy}, {@code LONG_TAIL_AWARE} by
 * {@link LongTailAwarePolicy}, {@code SCHED_EXT} by {@code SchedExtPolicy}). Add your own with
 * {@link LongTailScheduler#customPolicies()}.
 *
 * <pre>{@code
 * import static dev.dyno.longtail.BuiltInPolicy.DEFAULT;
 * import static dev.dyno.longtail.BuiltInPolicy.LONG_TAIL_AWARE;
 *
 * @LongTailScheduler(shortCommand = "./short", longCommand = "./long", policies = {DEFAULT, LONG_TAIL_AWARE})
 * void longTaskFirst(LongTailRun run) { ... }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum BuiltInPolicy {

    /** Every task at once under the OS scheduler (CFS, in the guide's words): the baseline. */
    DEFAULT,

    /** Long tasks identified, started first and given priority; short ones fill the rest. See {@link LongTailAwarePolicy}. */
    LONG_TAIL_AWARE,

    /**
     * An external BPF scheduler loaded through sched_ext
     * ({@link LongTailScheduler#schedExtLoader()}); skipped with the reason on kernels without sched_ext.
     */
    SCHED_EXT;

    /** The name its runs carry in reports and metric names: {@code default}, {@code long-tail-aware}, {@code sched-ext}. */
    public String policyName() {
        return switch (this) {
            case DEFAULT -> DefaultPolicy.NAME;
            case LONG_TAIL_AWARE -> LongTailAwarePolicy.NAME;
            case SCHED_EXT -> SchedExtPolicy.NAME;
        };
    }
}
