package dev.dyno.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.opentest4j.TestAbortedException;

/**
 * {@code DynoAssumptions} is how a test, or a capability, says "this cannot run here" — no Docker
 * engine, a missing image, program or file, an unsupported workload or policy, no GPU, a machine
 * too busy for a timing claim — so that the configuration decides what that becomes: with
 * {@value DynoConfiguration#SKIPS_PROPERTY} {@code = skip} (the default) the test is aborted, as
 * JUnit's {@code Assumptions} abort it, and shows as skipped with the reason; with
 * {@code fail} (CI sets it) it fails with a {@link SkipForbiddenException} carrying the same reason,
 * so a build cannot pass by skipping what it claims to check.
 *
 * <pre>{@code
 * @LongTailScheduler(cases = SIZED, testCase = "compression")
 * void compression(LongTailRun run) {
 *     DynoAssumptions.assumeThat(run.quiet(), () -> "machine busy: " + run.noise());
 *     assertThat(run.improvement(LONG_TAIL_AWARE).point()).isGreaterThanOrEqualTo(0.20);
 * }
 * }</pre>
 *
 * <p>The setting is that of {@link DynoConfiguration#current()}: the running {@code @PerfTest}'s,
 * launcher parameters included; elsewhere (a plain {@code @Test}, a {@code main} method) the one
 * system properties and {@code junit-platform.properties} give. Every abort of Dyno's own
 * capabilities and runtimes goes through this class. Tests that are <em>disabled</em> on purpose
 * ({@code @EnabledIf}, {@code @Disabled}, excluded tags) are not affected: they do not claim to run.
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class DynoAssumptions {

    private DynoAssumptions() {
    }

    /**
     * Does nothing when {@code condition} holds; otherwise {@linkplain #abort(String) aborts} the
     * test with the reason, or fails it where {@value DynoConfiguration#SKIPS_PROPERTY} is {@code fail}.
     *
     * @param reason why the test cannot run here, computed only when it cannot
     */
    public static void assumeThat(boolean condition, Supplier<String> reason) {
        if (!condition) {
            abort(reason.get());
        }
    }

    /**
     * Aborts the test with {@code reason}, or, where {@value DynoConfiguration#SKIPS_PROPERTY} is
     * {@code fail}, fails it with a {@link SkipForbiddenException} carrying the same reason. Never
     * returns; declared to return a value so it can end a method that must return one.
     *
     * @throws TestAbortedException  with {@code skip}
     * @throws SkipForbiddenException with {@code fail}
     */
    public static <V> V abort(String reason) {
        Objects.requireNonNull(reason, "reason");
        if (DynoConfiguration.SKIPS_FAIL.equals(DynoConfiguration.current().skips())) {
            throw new SkipForbiddenException(reason);
        }
        throw new TestAbortedException(reason);
    }
}
