package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Entry point for assertions on load runs, in the style of AssertJ.
 *
 * <pre>{@code
 * import static dev.dyno.load.LoadAssertions.assertThat;
 *
 * assertThat(run.phase("spike")).successRate().isAtLeast(0.99);
 * assertThat(run.phase("spike")).latency().percentile(95).isLessThan(Duration.ofSeconds(5));
 * assertThat(run).hasBreakingPointBetween(5, 40);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class LoadAssertions {

    private LoadAssertions() {
    }

    public static LoadRunAssert assertThat(LoadRun run) {
        return new LoadRunAssert(run);
    }

    public static PhaseStatsAssert assertThat(PhaseStats phase) {
        return new PhaseStatsAssert(phase, null);
    }
}
