package dev.dyno.view;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A chart as data: what a capability wants drawn, not how. Reporters render it (the Allure module
 * as an image, the results file as JSON), so capabilities and the core need no chart library, and
 * the same data can feed any other output.
 *
 * <pre>{@code
 * recorder.chart(Chart.xy("start-up time by configuration")
 *         .x(Axis.linear("round"))
 *         .y(Axis.linear("start-up", "ms"))
 *         .points("baseline", rounds, baselineMillis)
 *         .line("boost ×2", rounds, boostedMillis)
 *         .marker(Marker.horizontal(2000, "budget"))
 *         .build());
 * }</pre>
 *
 * @param kind     {@link Kind#XY} for numeric x values, {@link Kind#BARS} for categories
 * @param y2       a second y axis, for series with {@link Series#secondAxis()}
 * @param markers  reference lines, such as a limit or a breaking point
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record Chart(String title, Kind kind, Axis x, Axis y, Optional<Axis> y2, List<Series> series,
        List<Marker> markers) {

    /** Whether x is numeric ({@code XY}) or a list of categories ({@code BARS}). */
    public enum Kind {
        XY, BARS
    }

    public Chart {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(x, "x");
        Objects.requireNonNull(y, "y");
        y2 = Objects.requireNonNullElse(y2, Optional.empty());
        series = List.copyOf(series);
        markers = List.copyOf(markers);
        for (Series s : series) {
            if ((kind == Kind.BARS) != s.categorical()) {
                throw new IllegalArgumentException("chart '" + title + "' is " + kind + " but series '" + s.name()
                        + "' is " + (s.categorical() ? "categorical" : "numeric"));
            }
            if (s.secondAxis() && y2.isEmpty()) {
                throw new IllegalArgumentException("series '" + s.name() + "' of chart '" + title
                        + "' is on the second y axis, which the chart does not have");
            }
        }
    }

    /** Starts a chart with numeric x values. */
    public static Builder xy(String title) {
        return new Builder(title, Kind.XY);
    }

    /** Starts a chart of bars over categories. */
    public static Builder bars(String title) {
        return new Builder(title, Kind.BARS);
    }

    /** Whether there is anything to draw. */
    public boolean isEmpty() {
        return series.stream().allMatch(s -> s.size() == 0);
    }

    /** Builds a {@link Chart} series by series. */
    public static final class Builder {
        private final String title;
        private final Kind kind;
        private Axis x = Axis.linear("x");
        private Axis y = Axis.linear("y");
        private Axis y2;
        private final List<Series> series = new ArrayList<>();
        private final List<Marker> markers = new ArrayList<>();

        private Builder(String title, Kind kind) {
            this.title = title;
            this.kind = kind;
        }

        public Builder x(Axis axis) {
            this.x = axis;
            return this;
        }

        public Builder y(Axis axis) {
            this.y = axis;
            return this;
        }

        /** A second y axis, on the right, for series added with {@link Series#onSecondAxis()}. */
        public Builder y2(Axis axis) {
            this.y2 = axis;
            return this;
        }

        public Builder series(Series s) {
            series.add(s);
            return this;
        }

        public Builder line(String name, double[] x, double[] y) {
            return series(Series.line(name, x, y));
        }

        public Builder points(String name, double[] x, double[] y) {
            return series(Series.points(name, x, y));
        }

        public Builder bars(String name, List<String> categories, double[] values) {
            return series(Series.bars(name, categories, values));
        }

        public Builder marker(Marker marker) {
            markers.add(marker);
            return this;
        }

        public Chart build() {
            return new Chart(title, kind, x, y, Optional.ofNullable(y2), series, markers);
        }
    }
}
