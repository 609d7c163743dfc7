package dev.dyno.cpuboost;

import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;

/** A boost was not shown to be restored, or none could be observed. */
final class ShouldBeRestored extends BasicErrorMessageFactory {

    static ShouldBeRestored shouldBeRestored(CpuBoostRun run, List<BoostedStartResult> observable,
            List<BoostedStartResult> failed) {
        if (observable.isEmpty()) {
            return new ShouldBeRestored("%nExpecting every boost to be restored, but no boosted start ran on past its "
                    + "boost, so restoration could not be observed (%s boosted starts all finished while boosted).%n"
                    + "Use untilReady, a shorter boost duration, or a workload that keeps running.",
                    run.trials().stream().filter(t -> !t.configuration().isBaseline()).count());
        }
        StringBuilder lines = new StringBuilder();
        for (BoostedStartResult t : failed) {
            lines.append(String.format("%n  %s %s round %d: %s", t.workload(), t.configuration().id(), t.round() + 1,
                    t.restoration().explanation()));
        }
        return new ShouldBeRestored("%nExpecting every boost to be restored, proven by CPU use, but %s of %s were not:%s",
                failed.size(), observable.size(), unquotedString(lines.toString()));
    }

    private ShouldBeRestored(String format, Object... arguments) {
        super(format, arguments);
    }
}
