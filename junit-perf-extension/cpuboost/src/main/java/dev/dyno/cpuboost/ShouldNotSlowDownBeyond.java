package dev.dyno.cpuboost;

import java.util.Locale;
import java.util.OptionalDouble;
import org.assertj.core.error.BasicErrorMessageFactory;

/** The guide's restoration rule failed, or could not be checked. */
final class ShouldNotSlowDownBeyond extends BasicErrorMessageFactory {

    static ShouldNotSlowDownBeyond shouldNotSlowDownBeyond(CpuBoostRun run, OptionalDouble worst, double factor) {
        if (worst.isEmpty()) {
            return new ShouldNotSlowDownBeyond("%nExpecting the slowdown after restoration to be at most %s×, but no "
                    + "start reported iterations both during and after its boost (a workload must print \"iterations\" "
                    + "in its METRICS_JSON and run past its boost)", unquotedString(String.format(Locale.ROOT, "%.2f", factor)));
        }
        return new ShouldNotSlowDownBeyond("%nExpecting the slowdown after restoration to be at most %s× (the guide: "
                + "\"Performance degradation exceeds expected boost factor!\"), but it was %s× (every start: %s)",
                unquotedString(String.format(Locale.ROOT, "%.2f", factor)),
                unquotedString(String.format(Locale.ROOT, "%.2f", worst.getAsDouble())),
                unquotedString(run.trials().stream().filter(t -> t.slowdownAfterRestore().isPresent())
                        .map(t -> String.format(Locale.ROOT, "%.2f×", t.slowdownAfterRestore().getAsDouble()))
                        .collect(java.util.stream.Collectors.joining(", "))));
    }

    private ShouldNotSlowDownBeyond(String format, Object... arguments) {
        super(format, arguments);
    }
}
