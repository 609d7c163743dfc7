package dev.dyno.view;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One series of a {@link Chart}: numeric points ({@code x}, {@code y}) or one value per category.
 *
 * @param categories  the categories of a bar series; empty for a numeric one
 * @param x           the x values of a numeric series; empty for bars
 * @param errors      a symmetric error bar per value, or empty
 * @param style       how it is drawn
 * @param group       series with the same group get the same colour in every chart of a test,
 *                    such as a configuration's name; empty for one by position
 * @param secondAxis  whether it is read against the chart's second y axis
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record Series(String name, List<String> categories, double[] x, double[] y, double[] errors, Style style,
        String group, boolean secondAxis) {

    /** How a series is drawn. */
    public enum Style {
        /** Points joined by straight lines. */
        LINE,
        /** Points only. */
        POINTS,
        /** A step function: each value holds until the next x. */
        STEP,
        /** A line with the area beneath it filled. */
        AREA,
        /** Bars, for categories. */
        BARS
    }

    public Series {
        Objects.requireNonNull(name, "name");
        categories = List.copyOf(categories);
        x = x.clone();
        y = y.clone();
        errors = errors == null ? new double[0] : errors.clone();
        Objects.requireNonNull(style, "style");
        group = group == null ? "" : group;
        int expected = categories.isEmpty() ? x.length : categories.size();
        if (y.length != expected) {
            throw new IllegalArgumentException("series '" + name + "' has " + expected
                    + (categories.isEmpty() ? " x values" : " categories") + " but " + y.length + " y values");
        }
        if (!categories.isEmpty() && x.length != 0) {
            throw new IllegalArgumentException("series '" + name + "' has both categories and x values");
        }
        if (errors.length != 0 && errors.length != y.length) {
            throw new IllegalArgumentException("series '" + name + "' has " + y.length + " values but "
                    + errors.length + " error bars");
        }
    }

    public static Series line(String name, double[] x, double[] y) {
        return new Series(name, List.of(), x, y, null, Style.LINE, null, false);
    }

    public static Series points(String name, double[] x, double[] y) {
        return new Series(name, List.of(), x, y, null, Style.POINTS, null, false);
    }

    public static Series step(String name, double[] x, double[] y) {
        return new Series(name, List.of(), x, y, null, Style.STEP, null, false);
    }

    public static Series area(String name, double[] x, double[] y) {
        return new Series(name, List.of(), x, y, null, Style.AREA, null, false);
    }

    public static Series bars(String name, List<String> categories, double[] values) {
        return new Series(name, categories, new double[0], values, null, Style.BARS, null, false);
    }

    /** The same series, coloured as every other series of {@code group}. */
    public Series inGroup(String group) {
        return new Series(name, categories, x, y, errors, style, group, secondAxis);
    }

    /** The same series with a symmetric error bar per value. */
    public Series withErrors(double[] errors) {
        return new Series(name, categories, x, y, errors, style, group, secondAxis);
    }

    /** The same series, read against the chart's second y axis. */
    public Series onSecondAxis() {
        return new Series(name, categories, x, y, errors, style, group, true);
    }

    public boolean categorical() {
        return !categories.isEmpty() || style == Style.BARS;
    }

    public int size() {
        return y.length;
    }

    /** The colour key: the group, else the name. */
    public String colourKey() {
        return group.isEmpty() ? name : group;
    }

    public Optional<double[]> errorBars() {
        return errors.length == 0 ? Optional.empty() : Optional.of(errors.clone());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Series s && name.equals(s.name) && categories.equals(s.categories)
                && java.util.Arrays.equals(x, s.x) && java.util.Arrays.equals(y, s.y)
                && java.util.Arrays.equals(errors, s.errors) && style == s.style && group.equals(s.group)
                && secondAxis == s.secondAxis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, categories, java.util.Arrays.hashCode(x), java.util.Arrays.hashCode(y), style, group);
    }

    @Override
    public String toString() {
        return "Series[" + name + ", " + style + ", " + y.length + " values]";
    }
}
