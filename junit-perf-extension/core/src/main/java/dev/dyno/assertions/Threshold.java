package dev.dyno.assertions;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DistributionSnapshot;
import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.Gauge.GaugeSnapshot;
import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.TimeSeriesSnapshot;
import dev.dyno.metrics.TimerSnapshot;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

/**
 * A declarative expectation in the vocabulary of k6 and Gatling:
 * {@code <metric> [<statistic>] <comparator> <value>}.
 *
 * <pre>{@code
 * "schedule.total max < 2s"        // timer: a statistic and a duration
 * "http.latency p(99) <= 250ms"    // k6's percentile spelling works too
 * "locks.acquired <= 25"           // counter: its count
 * "containers.per.worker spread < 50%"
 * }</pre>
 *
 * <h2>Statistics by kind of metric</h2>
 * <ul>
 * <li>timer: {@code count}, {@code min}, {@code max}, {@code mean} ({@code avg}), {@code median},
 *     {@code stddev}, {@code total}, {@code pNN} or {@code p(NN)}; all but count compare with a duration</li>
 * <li>counter: {@code count} (the default)</li>
 * <li>gauge: {@code value} (the default, the last value set), {@code min}, {@code max}</li>
 * <li>series: {@code last} (the default), {@code min}, {@code max}, {@code mean}, {@code count}</li>
 * <li>distribution: {@code total} (the default), {@code keys} (keys with a count), {@code min},
 *     {@code max}, {@code mean}, {@code spread} (largest distance of a key from the mean, as a fraction)</li>
 * </ul>
 * Numbers may be written as percentages: {@code 95%} is {@code 0.95}; and as sizes in bytes, where
 * {@code KB}, {@code MB} and {@code GB} are powers of 1024 ({@code KiB}, {@code MiB} and {@code GiB}
 * are the same): {@code "allocation.parse max < 1KB"} compares with 1024, {@code 64MB} is 67 108 864.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record Threshold(String expression, String metric, String statistic, Comparator comparator, double value,
        boolean durationValue) {

    private static final Pattern FORM = Pattern.compile(
            "\\s*([A-Za-z0-9_.:/\\-]+)(?:\\s+([A-Za-z0-9_.()]+))?\\s*(<=|>=|==|!=|<|>)\\s*(\\S+)\\s*");
    private static final Pattern PERCENTILE = Pattern.compile("p\\(?(\\d{1,2}(?:\\.\\d+)?|100)\\)?");
    private static final Pattern NUMBER = Pattern.compile("-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?%?");
    private static final Pattern BYTES = Pattern.compile("(\\d+(?:\\.\\d+)?)(B|KB|MB|GB|KiB|MiB|GiB)");
    private static final Set<String> STATISTICS = Set.of("count", "min", "max", "mean", "avg", "median", "stddev",
            "total", "value", "last", "keys", "spread");

    /** How the actual value is compared with the threshold's. */
    public enum Comparator {
        LT("<"), LE("<="), GT(">"), GE(">="), EQ("=="), NE("!=");

        private final String symbol;

        Comparator(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }

        static Comparator of(String symbol) {
            for (Comparator c : values()) {
                if (c.symbol.equals(symbol)) {
                    return c;
                }
            }
            throw new IllegalArgumentException(symbol);
        }

        boolean holds(double actual, double expected) {
            return switch (this) {
                case LT -> actual < expected;
                case LE -> actual <= expected;
                case GT -> actual > expected;
                case GE -> actual >= expected;
                case EQ -> actual == expected;
                case NE -> actual != expected;
            };
        }
    }

    /**
     * Parses one threshold, checking everything that can be checked before the test runs.
     *
     * @param attribute how to name the attribute in errors, such as {@code "@PerfTest(thresholds)"}
     */
    public static Threshold parse(String attribute, String expression) {
        Matcher m = expression == null ? null : FORM.matcher(expression);
        if (m == null || !m.matches()) {
            throw new ExtensionConfigurationException(attribute + " value \"" + expression
                    + "\" is not a threshold: write <metric> [<statistic>] <comparator> <value>, such as "
                    + "\"schedule.total p99 < 2s\" or \"locks.acquired <= 25\"; comparators: < <= > >= == !=");
        }
        String statistic = m.group(2) == null ? "" : m.group(2).toLowerCase(Locale.ROOT);
        if (!statistic.isEmpty() && !STATISTICS.contains(statistic) && !PERCENTILE.matcher(statistic).matches()) {
            throw new ExtensionConfigurationException(attribute + " value \"" + expression + "\" has unknown statistic \""
                    + m.group(2) + "\": allowed are count, min, max, mean, avg, median, stddev, total, pNN or p(NN), "
                    + "value, last, keys, spread");
        }
        String valueText = m.group(4);
        boolean duration = DurationText.isDuration(valueText);
        double value;
        if (duration) {
            value = DurationText.parse(attribute, valueText).toNanos();
        } else if (BYTES.matcher(valueText).matches()) {
            value = bytes(valueText);
        } else if (NUMBER.matcher(valueText).matches()) {
            value = valueText.endsWith("%")
                    ? Double.parseDouble(valueText.substring(0, valueText.length() - 1)) / 100
                    : Double.parseDouble(valueText);
        } else {
            throw new ExtensionConfigurationException(attribute + " value \"" + expression + "\" compares with \""
                    + valueText + "\", which is neither a duration (\"2s\", \"150ms\"), nor a number (\"25\", \"0.95\", \"95%\"), "
                    + "nor a size in bytes (\"512B\", \"64KB\", \"1.5MB\", \"2GB\")");
        }
        boolean timerStatistic = PERCENTILE.matcher(statistic).matches()
                || Set.of("median", "stddev", "avg").contains(statistic);
        if (timerStatistic && !duration) {
            throw new ExtensionConfigurationException(attribute + " value \"" + expression + "\": statistic \""
                    + statistic + "\" is a timer's and needs a duration with a unit, such as \"200ms\", not \""
                    + valueText + "\"");
        }
        return new Threshold(expression.strip(), m.group(1), statistic, Comparator.of(m.group(3)), value, duration);
    }

    /**
     * Checks the threshold against a snapshot.
     *
     * @throws ExtensionConfigurationException when the metric does not exist or the statistic does
     *     not fit its kind; the message lists the metrics that do exist
     */
    public ThresholdResult evaluate(MetricsSnapshot snapshot) {
        String kind = snapshot.kindOf(metric).orElseThrow(() -> new ExtensionConfigurationException(
                "threshold \"" + expression + "\" names metric '" + metric + "', which the test never recorded; "
                        + "recorded metrics: " + snapshot.names()));
        double actual;
        boolean actualIsDuration = false;
        // A statistic of values that were never recorded is not a number to compare: p99 of an empty
        // timer reads 0 and the max of an unset gauge -Infinity, and both would pass "less than".
        // Counts are different: a count of 0 is a measurement.
        boolean noValues;
        switch (kind) {
            case "timer" -> {
                TimerSnapshot timer = snapshot.timer(metric).orElseThrow();
                if (statistic.equals("count")) {
                    actual = timer.count();
                    noValues = false;
                } else {
                    actual = timerStatistic(timer);
                    actualIsDuration = true;
                    noValues = timer.count() == 0;
                }
            }
            case "counter" -> {
                if (!Set.of("", "count", "value").contains(statistic)) {
                    throw unfit(kind, "count");
                }
                actual = snapshot.counter(metric);
                noValues = false;
            }
            case "gauge" -> {
                GaugeSnapshot gauge = snapshot.gauge(metric).orElseThrow();
                actual = gaugeStatistic(gauge);
                noValues = !gauge.isSet();
            }
            case "series" -> {
                TimeSeriesSnapshot series = snapshot.series(metric).orElseThrow();
                actual = seriesStatistic(series);
                noValues = series.size() == 0 && !statistic.equals("count");
            }
            default -> {
                DistributionSnapshot distribution = snapshot.distribution(metric).orElseThrow();
                actual = distributionStatistic(distribution);
                noValues = distribution.keysUsed() == 0 && !Set.of("", "total", "keys").contains(statistic);
            }
        }
        if (actualIsDuration != durationValue) {
            throw new ExtensionConfigurationException("threshold \"" + expression + "\" compares "
                    + (actualIsDuration ? "a duration with a plain number: give the value a unit, such as \"2s\""
                            : "a plain number with a duration: drop the unit"));
        }
        if (noValues || Double.isNaN(actual)) {
            return new ThresholdResult(this, State.NO_VALUES, Double.NaN, "no values recorded for '" + metric + "'");
        }
        return new ThresholdResult(this, comparator.holds(actual, value) ? State.PASSED : State.BREACHED, actual,
                actualIsDuration ? DurationText.formatNanos(actual) : comparesBytes() ? size(actual) : number(actual));
    }

    private double timerStatistic(TimerSnapshot timer) {
        if (statistic.isEmpty()) {
            throw new ExtensionConfigurationException("threshold \"" + expression + "\" needs a statistic for timer '"
                    + metric + "': one of count, min, max, mean, median, stddev, total, pNN, such as \""
                    + metric + " p99 " + comparator.symbol() + " …\"");
        }
        Matcher p = PERCENTILE.matcher(statistic);
        if (p.matches()) {
            return timer.percentile(Double.parseDouble(p.group(1))).toNanos();
        }
        return switch (statistic) {
            case "min" -> timer.min().toNanos();
            case "max" -> timer.max().toNanos();
            case "mean", "avg" -> timer.mean().toNanos();
            case "median" -> timer.median().toNanos();
            case "stddev" -> timer.stdDeviation().toNanos();
            case "total" -> timer.total().toNanos();
            default -> throw unfit("timer", "count, min, max, mean, median, stddev, total, pNN");
        };
    }

    private double gaugeStatistic(GaugeSnapshot gauge) {
        return switch (statistic) {
            case "", "value", "last" -> gauge.value();
            case "min" -> gauge.min();
            case "max" -> gauge.max();
            default -> throw unfit("gauge", "value, min, max");
        };
    }

    private double seriesStatistic(TimeSeriesSnapshot series) {
        return switch (statistic) {
            case "", "last", "value" -> series.last();
            case "min" -> series.size() == 0 ? Double.NaN : series.statistics().getMin();
            case "max" -> series.size() == 0 ? Double.NaN : series.statistics().getMax();
            case "mean", "avg" -> series.size() == 0 ? Double.NaN : series.statistics().getAverage();
            case "count" -> series.recorded();
            default -> throw unfit("series", "last, min, max, mean, count");
        };
    }

    private double distributionStatistic(DistributionSnapshot distribution) {
        return switch (statistic) {
            case "", "total" -> distribution.total();
            case "keys" -> distribution.keysUsed();
            case "min" -> distribution.statistics().getMin();
            case "max" -> distribution.statistics().getMax();
            case "mean", "avg" -> distribution.statistics().getAverage();
            case "spread" -> distribution.maxDeviationFromMean();
            default -> throw unfit("distribution", "total, keys, min, max, mean, spread");
        };
    }

    private ExtensionConfigurationException unfit(String kind, String allowed) {
        return new ExtensionConfigurationException("threshold \"" + expression + "\": statistic \"" + statistic
                + "\" does not apply to " + kind + " '" + metric + "'; for a " + kind + " use " + allowed);
    }

    /** A size such as {@code 64MB} in bytes: KB, MB and GB are powers of 1024 (KiB, MiB and GiB say so too). */
    private static double bytes(String text) {
        Matcher m = BYTES.matcher(text);
        m.matches();
        int power = switch (m.group(2).charAt(0)) {
            case 'K' -> 1;
            case 'M' -> 2;
            case 'G' -> 3;
            default -> 0;
        };
        return Double.parseDouble(m.group(1)) * Math.pow(1024, power);
    }

    /** Whether the threshold's value is a size, such as {@code 16KB}: its actual value is then shown as one too. */
    private boolean comparesBytes() {
        Matcher m = FORM.matcher(expression);
        return m.matches() && BYTES.matcher(m.group(4)).matches();
    }

    /** {@code 6828} as "6.7 KB = 6828 B": the size people read, and the exact count the threshold compared. */
    static String size(double bytes) {
        String[] units = {"KB", "MB", "GB"};
        double scaled = bytes;
        int unit = -1;
        while (Math.abs(scaled) >= 1024 && unit < units.length - 1) {
            scaled /= 1024;
            unit++;
        }
        return unit < 0 ? number(bytes) + " B"
                : String.format(Locale.ROOT, "%.1f %s = %s B", scaled, units[unit], number(bytes));
    }

    private static String number(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return String.format(Locale.ROOT, "%.4g", value);
    }

    /**
     * What became of a threshold after the test.
     *
     * @since 0.2
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public enum State {
        /** The actual value satisfied the comparison. */
        PASSED,
        /** The actual value did not satisfy it. */
        BREACHED,
        /** The metric exists but holds no value the statistic could be taken of: a failure, never a pass. */
        NO_VALUES,
        /** The threshold cannot be judged as written: an unknown metric, a statistic that does not fit. */
        MISCONFIGURED
    }

    /**
     * The outcome of one threshold.
     *
     * @param actual the statistic's value (nanoseconds for durations), NaN when there is none
     * @param actualText the value as people read it, or for {@link State#NO_VALUES} and
     *     {@link State#MISCONFIGURED} the reason
     * @since 0.1
     */
    @API(status = EXPERIMENTAL, since = "0.1")
    public record ThresholdResult(Threshold threshold, State state, double actual, String actualText) {

        /** A threshold that could not be judged, with the reason (the configuration error's message). */
        public static ThresholdResult misconfigured(Threshold threshold, String reason) {
            return new ThresholdResult(threshold, State.MISCONFIGURED, Double.NaN, reason);
        }

        /** Whether the threshold held; a threshold without values or misconfigured never did. */
        public boolean passed() {
            return state == State.PASSED;
        }

        /**
         * One line for reports: {@code ✗ schedule.total max < 2s (actual 2.31s)},
         * {@code ✗ queue.depth max <= 1000 (no values recorded for 'queue.depth')} or
         * {@code ! lock.acquired <= 25 (misconfigured: …)}.
         */
        public String line() {
            return switch (state) {
                case PASSED -> "✓ " + threshold.expression() + " (actual " + actualText + ")";
                case BREACHED -> "✗ " + threshold.expression() + " (actual " + actualText + ")";
                case NO_VALUES -> "✗ " + threshold.expression() + " (" + actualText + ")";
                case MISCONFIGURED -> "! " + threshold.expression() + " (misconfigured: " + actualText + ")";
            };
        }
    }

    /** Parses each expression; the first malformed one fails with its message. */
    public static java.util.List<Threshold> parseAll(String attribute, String... expressions) {
        return java.util.Arrays.stream(expressions).map(e -> parse(attribute, e)).toList();
    }

    @Override
    public String toString() {
        return expression;
    }
}
