package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Locale;
import org.apache.commons.statistics.descriptive.Mean;
import org.apache.commons.statistics.descriptive.Median;
import org.apache.commons.statistics.descriptive.Quantile;
import org.apiguardian.api.API;

/**
 * The statistic a {@link Comparison} compares between the sides: the {@link #MEDIAN} (default,
 * robust to the odd slow run), the {@link #MEAN}, or a {@link #percentile(double) percentile}.
 * Computed with Apache Commons Statistics.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public final class Statistic {

    /** The middle value; robust against a few outliers. */
    public static final Statistic MEDIAN = new Statistic("median", -1);

    /** The arithmetic mean; sensitive to outliers, which is sometimes the point. */
    public static final Statistic MEAN = new Statistic("mean", -2);

    private static final Median MEDIAN_OF = Median.withDefaults().withCopy(false);
    private static final Quantile QUANTILE_OF = Quantile.withDefaults().withCopy(false);

    private final String name;
    private final double percentile;

    private Statistic(String name, double percentile) {
        this.name = name;
        this.percentile = percentile;
    }

    /**
     * The value below which {@code percentile} per cent of the samples lie, such as
     * {@code percentile(90)}.
     *
     * @throws IllegalArgumentException when the percentile is not between 0 and 100
     */
    public static Statistic percentile(double percentile) {
        if (!(percentile >= 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile is " + percentile + "; allowed: 0 to 100, such as 90");
        }
        String text = percentile == Math.rint(percentile) ? Long.toString((long) percentile)
                : String.format(Locale.ROOT, "%s", percentile);
        return new Statistic("p" + text, percentile);
    }

    /** {@code median}, {@code mean} or {@code p90}. */
    public String name() {
        return name;
    }

    /** The statistic of the values. The array may be reordered. */
    double of(double[] values) {
        if (this == MEAN) {
            return Mean.of(values).getAsDouble();
        }
        if (this == MEDIAN) {
            return MEDIAN_OF.evaluate(values);
        }
        return QUANTILE_OF.evaluate(values, percentile / 100);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Statistic s && s.name.equals(name);
    }

    @Override
    public int hashCode() {
        return name.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
