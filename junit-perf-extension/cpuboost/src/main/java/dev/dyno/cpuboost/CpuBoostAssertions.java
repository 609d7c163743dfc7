package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Entry point for assertions on CPU boost experiments, in the style of AssertJ.
 *
 * <pre>{@code
 * import static dev.dyno.cpuboost.CpuBoostAssertions.assertThat;
 *
 * assertThat(run.improvement("java-load-test", "boost-2x")).isAtLeast(0.20);   // lower end of the 95 % CI
 * assertThat(run).everyBoostRestored().slowdownAfterRestoreIsAtMost(2.5);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CpuBoostAssertions {

    private CpuBoostAssertions() {
    }

    public static BoostImprovementAssert assertThat(BoostImprovement improvement) {
        return new BoostImprovementAssert(improvement);
    }

    public static CpuBoostRunAssert assertThat(CpuBoostRun run) {
        return new CpuBoostRunAssert(run);
    }
}
