package dev.dyno.cpuboost;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.OptionalDouble;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractObjectAssert;

/** Assertions on a whole {@link CpuBoostRun}: restoration and the guide's side-effect checks. */
@API(status = EXPERIMENTAL, since = "0.1")
public final class CpuBoostRunAssert extends AbstractObjectAssert<CpuBoostRunAssert, CpuBoostRun> {

    CpuBoostRunAssert(CpuBoostRun actual) {
        super(actual, CpuBoostRunAssert.class);
    }

    /**
     * Every boosted start that ran on past its boost was set back to its base allocation, proven
     * by the CPU it used afterwards; and at least one did, so restoration was observed at all.
     */
    public CpuBoostRunAssert everyBoostRestored() {
        isNotNull();
        List<BoostedStartResult> observable = actual.restoredStarts();
        List<BoostedStartResult> failed = observable.stream()
                .filter(t -> !t.restoration().proven().orElse(false)).toList();
        if (observable.isEmpty() || !failed.isEmpty()) {
            throwAssertionError(ShouldBeRestored.shouldBeRestored(actual, observable, failed));
        }
        return this;
    }

    /**
     * The guide's restoration rule: work after the restore took at most {@code factor} times as
     * long as during the boost (2.5 for a 2x boost). Needs a workload that reports {@code iterations}.
     */
    public CpuBoostRunAssert slowdownAfterRestoreIsAtMost(double factor) {
        isNotNull();
        return slowdownIsAtMost(actual.maxSlowdownAfterRestore(), factor);
    }

    /**
     * The guide's restoration rule for the typical start: the median of the starts' slowdowns after
     * the restore is at most {@code factor}. Where a shared machine may slow one start's last
     * seconds (another tenant's load, the hypervisor's steal), this keeps the claim about the
     * restore; {@link #slowdownAfterRestoreIsAtMost} holds every start to it.
     */
    public CpuBoostRunAssert typicalSlowdownAfterRestoreIsAtMost(double factor) {
        isNotNull();
        return slowdownIsAtMost(actual.medianSlowdownAfterRestore(), factor);
    }

    private CpuBoostRunAssert slowdownIsAtMost(OptionalDouble slowdown, double factor) {
        if (slowdown.isEmpty() || slowdown.getAsDouble() > factor) {
            throwAssertionError(ShouldNotSlowDownBeyond.shouldNotSlowDownBeyond(actual, slowdown, factor));
        }
        return this;
    }

    /** No concurrently started workload took more than {@code ratio} times as long as the fastest of its round. */
    public CpuBoostRunAssert noStartStarved(double ratio) {
        isNotNull();
        for (String workload : actual.workloads()) {
            for (BoostConfiguration c : actual.configurations()) {
                double worst = actual.slowestToFastest(workload, c.id());
                if (worst > ratio) {
                    throwAssertionError(ShouldNotStarve.shouldNotStarve(workload, c.id(), worst, ratio,
                            actual.completionSpread(workload, c.id())));
                }
            }
        }
        return this;
    }

    /** The guide's memory-pressure check: no sample above 90 % memory or 10 % swap. */
    public CpuBoostRunAssert hasNoMemoryPressure() {
        isNotNull();
        if (!actual.memoryWarnings().isEmpty()) {
            failWithMessage("%nExpecting no memory pressure during the experiment, but:%n  %s",
                    String.join("\n  ", actual.memoryWarnings()));
        }
        return this;
    }
}
