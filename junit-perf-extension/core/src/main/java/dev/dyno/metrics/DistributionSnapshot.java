package dev.dyno.metrics;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Collections;
import java.util.Comparator;
import java.util.LongSummaryStatistics;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;

/**
 * Counts per key of a {@link Distribution} at one moment, keys in natural order
 * ({@code worker-2} before {@code worker-10}).
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record DistributionSnapshot(String name, Map<String, Long> counts) {

    private static final Pattern TRAILING_NUMBER = Pattern.compile("^(.*?)(\\d+)$");

    static final Comparator<String> NATURAL_ORDER = (a, b) -> {
        Matcher ma = TRAILING_NUMBER.matcher(a);
        Matcher mb = TRAILING_NUMBER.matcher(b);
        if (ma.matches() && mb.matches() && ma.group(1).equals(mb.group(1)) && ma.group(2).length() < 19
                && mb.group(2).length() < 19) {
            return Long.compare(Long.parseLong(ma.group(2)), Long.parseLong(mb.group(2)));
        }
        return a.compareTo(b);
    };

    public DistributionSnapshot {
        counts = Collections.unmodifiableMap(counts);
    }

    public long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    public LongSummaryStatistics statistics() {
        return counts.values().stream().mapToLong(Long::longValue).summaryStatistics();
    }

    /** Keys with a count above zero. */
    public long keysUsed() {
        return counts.values().stream().filter(c -> c > 0).count();
    }

    /**
     * The largest relative distance of any key's count from the mean, e.g. 0.4 when the busiest or
     * idlest key is 40 % away from the mean. Zero when empty.
     */
    public double maxDeviationFromMean() {
        LongSummaryStatistics stats = statistics();
        if (stats.getCount() == 0 || stats.getAverage() == 0) {
            return 0;
        }
        double mean = stats.getAverage();
        return Math.max(stats.getMax() - mean, mean - stats.getMin()) / mean;
    }
}
