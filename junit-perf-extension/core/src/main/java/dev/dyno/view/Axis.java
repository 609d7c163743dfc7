package dev.dyno.view;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import java.util.OptionalDouble;
import org.apiguardian.api.API;

/**
 * One axis of a {@link Chart}: its title, unit, scale and optional bounds.
 *
 * @param unit  shown after the title, such as {@code ms}; empty for none
 * @param scale how values map to positions
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record Axis(String title, String unit, Scale scale, OptionalDouble min, OptionalDouble max) {

    /** How values map to positions on the axis. */
    public enum Scale {
        /** Equal steps for equal differences. */
        LINEAR,
        /** Equal steps for equal ratios. */
        LOG,
        /**
         * Percentiles on a scale of nines: 90 %, 99 %, 99.9 % are equally far apart, so the tail
         * gets the room it deserves. Values are percentiles from 0 to 100.
         */
        NINES
    }

    public Axis {
        Objects.requireNonNull(title, "title");
        unit = unit == null ? "" : unit;
        Objects.requireNonNull(scale, "scale");
        min = Objects.requireNonNullElse(min, OptionalDouble.empty());
        max = Objects.requireNonNullElse(max, OptionalDouble.empty());
    }

    public static Axis linear(String title) {
        return new Axis(title, "", Scale.LINEAR, OptionalDouble.empty(), OptionalDouble.empty());
    }

    public static Axis linear(String title, String unit) {
        return new Axis(title, unit, Scale.LINEAR, OptionalDouble.empty(), OptionalDouble.empty());
    }

    public static Axis log(String title, String unit) {
        return new Axis(title, unit, Scale.LOG, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /** A percentile axis on a scale of nines; values are percentiles from 0 to 100. */
    public static Axis nines(String title) {
        return new Axis(title, "%", Scale.NINES, OptionalDouble.empty(), OptionalDouble.empty());
    }

    /** This axis from {@code min} to {@code max}. */
    public Axis range(double min, double max) {
        return new Axis(title, unit, scale, OptionalDouble.of(min), OptionalDouble.of(max));
    }

    /** This axis starting at {@code min}, its end found from the data. */
    public Axis from(double min) {
        return new Axis(title, unit, scale, OptionalDouble.of(min), max);
    }

    /** The title with its unit, as a label: {@code latency (ms)}. */
    public String label() {
        return unit.isEmpty() ? title : title + " (" + unit + ")";
    }
}
