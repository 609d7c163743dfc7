package dev.dyno.cpuboost;

import dev.dyno.metrics.DurationText;
import java.time.Duration;
import java.util.Locale;
import org.assertj.core.error.BasicErrorMessageFactory;

/** One of the workloads started at once took far longer than the others. */
final class ShouldNotStarve extends BasicErrorMessageFactory {

    static ShouldNotStarve shouldNotStarve(String workload, String configuration, double worst, double ratio,
            Duration spread) {
        return new ShouldNotStarve(workload, configuration, worst, ratio, spread);
    }

    private ShouldNotStarve(String workload, String configuration, double worst, double ratio, Duration spread) {
        super("%nExpecting no concurrently started %s (%s) to take more than %s× as long as the fastest of its round, "
                + "but the slowest took %s× (completion spread %s)", unquotedString(workload), unquotedString(configuration),
                unquotedString(String.format(Locale.ROOT, "%.2f", ratio)),
                unquotedString(String.format(Locale.ROOT, "%.2f", worst)), unquotedString(DurationText.format(spread)));
    }
}
