package dev.dyno.allure;

import dev.dyno.view.Axis;
import dev.dyno.view.Chart;
import dev.dyno.view.Marker;
import dev.dyno.view.Series;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Draws {@link Chart charts-as-data} with XChart. The only place Dyno uses a chart library: the
 * core and the capabilities describe charts, this draws them. A series keeps its colour by its
 * {@link Series#colourKey() colour key} across all the charts of one test.
 */
final class ChartImages {

    static final int WIDTH = 900;
    static final int HEIGHT = 420;
    /** Points beyond which a line chart is also attached as SVG: more than one per two pixel columns, so lines merge. */
    static final int ZOOM_POINTS = WIDTH / 2;
    /** Tableau 10: distinct, colour-blind-friendly, and the palette people know from dashboards. */
    private static final Color[] PALETTE = {new Color(0x4E79A7), new Color(0xF28E2B), new Color(0xE15759),
            new Color(0x76B7B2), new Color(0x59A14F), new Color(0xEDC948), new Color(0xB07AA1), new Color(0xFF9DA7),
            new Color(0x9C755F), new Color(0xBAB0AC)};

    static {
        // Reports are drawn on CI machines without a display.
        System.setProperty("java.awt.headless", "true");
    }

    /** Colours by key, handed out in order, so one configuration has one colour in every chart. */
    static final class Colours {
        private final Map<String, Color> byKey = new LinkedHashMap<>();

        Color of(String key) {
            return byKey.computeIfAbsent(key, k -> PALETTE[byKey.size() % PALETTE.length]);
        }
    }

    private ChartImages() {
    }

    /** The chart as a PNG image. */
    static byte[] png(Chart chart, Colours colours) {
        try {
            return BitmapEncoder.getBitmapBytes(drawn(chart, colours), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The chart as SVG, for charts dense enough that a reader zooms into them (see
     * {@link #zoomable}): a browser scales it without the blur of an enlarged PNG.
     */
    static byte[] svg(Chart chart, Colours colours) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(drawn(chart, colours), out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Whether a reader would zoom into this chart: a line chart with more points than its
     * {@value #WIDTH} pixels can show apart, such as a latency-over-time chart of a long run.
     */
    static boolean zoomable(Chart chart) {
        return chart.kind() != Chart.Kind.BARS
                && chart.series().stream().mapToInt(s -> s.x().length).sum() > ZOOM_POINTS;
    }

    private static org.knowm.xchart.internal.chartpart.Chart<?, ?> drawn(Chart chart, Colours colours) {
        return chart.kind() == Chart.Kind.BARS ? bars(chart, colours) : xy(chart, colours);
    }

    static XYChart xy(Chart chart, Colours colours) {
        XYChart drawn = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(chart.title())
                .xAxisTitle(chart.x().label()).yAxisTitle(chart.y().label()).build();
        Styler.LegendPosition legend = chart.series().size() > 1 ? Styler.LegendPosition.OutsideE : null;
        drawn.getStyler().setLegendVisible(legend != null);
        if (legend != null) {
            drawn.getStyler().setLegendPosition(legend);
        }
        drawn.getStyler().setMarkerSize(5);
        boolean nines = chart.x().scale() == Axis.Scale.NINES;
        if (nines) {
            // x is the number of nines: 0 → 0 %, 1 → 90 %, 2 → 99 %, 3 → 99.9 %; only those are labelled.
            drawn.setCustomXAxisTickLabelsFormatter(v -> Math.abs(v - Math.rint(v)) < 1e-9
                    ? trim(100 * (1 - Math.pow(10, -Math.rint(v)))) + "%" : "");
        }
        double xRange = chart.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).max().orElse(0)
                - chart.series().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.x())).min().orElse(0);
        if (!nines && xRange >= 2) {
            // XChart puts ticks at the data's own x values when there are few, and labels them in full
            // ("4.863022556"); over a range of seconds or more, a tenth is all a reader needs.
            drawn.getStyler().setXAxisDecimalPattern("#,##0.#");
        }
        drawn.getStyler().setXAxisLogarithmic(chart.x().scale() == Axis.Scale.LOG);
        drawn.getStyler().setYAxisLogarithmic(chart.y().scale() == Axis.Scale.LOG);
        chart.x().min().ifPresent(min -> drawn.getStyler().setXAxisMin(nines ? ninesOf(min) : min));
        chart.x().max().ifPresent(max -> drawn.getStyler().setXAxisMax(nines ? ninesOf(max) : max));
        chart.y().min().ifPresent(drawn.getStyler()::setYAxisMin);
        chart.y().max().ifPresent(drawn.getStyler()::setYAxisMax);
        chart.y2().ifPresent(y2 -> {
            drawn.setYAxisGroupTitle(1, y2.label());
            drawn.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        });
        for (Series s : chart.series()) {
            if (s.size() == 0) {
                continue;
            }
            double[] x = nines ? ninesOf(s.x()) : s.x();
            double[] y = s.y();
            if (s.style() == Series.Style.STEP) {
                double[][] stepped = stepped(x, y);
                x = stepped[0];
                y = stepped[1];
            }
            XYSeries drawnSeries = s.errorBars().isPresent() && s.style() != Series.Style.STEP
                    ? drawn.addSeries(s.name(), x, y, s.errorBars().get()) : drawn.addSeries(s.name(), x, y);
            Color colour = colours.of(s.colourKey());
            drawnSeries.setLineColor(colour);
            drawnSeries.setMarkerColor(colour);
            drawnSeries.setFillColor(colour);
            switch (s.style()) {
                case POINTS -> drawnSeries.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                case AREA -> {
                    drawnSeries.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
                    drawnSeries.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 70));
                    drawnSeries.setMarker(SeriesMarkers.NONE);
                }
                default -> {
                    drawnSeries.setMarker(x.length > 40 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
                    drawnSeries.setLineStyle(new BasicStroke(1.8f));
                }
            }
            if (s.secondAxis()) {
                drawnSeries.setYAxisGroup(1);
            }
        }
        drawn.getStyler().setAnnotationLineColor(Color.DARK_GRAY);
        drawn.getStyler().setAnnotationLineStroke(new BasicStroke(1.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER,
                10f, new float[] {6f, 4f}, 0f));
        drawn.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
        for (Marker marker : chart.markers()) {
            double value = marker.vertical() && nines ? ninesOf(marker.value()) : marker.value();
            AnnotationLine line = new AnnotationLine(value, marker.vertical(), false);
            drawn.addAnnotation(line);
            drawn.addAnnotation(label(drawn, marker, value));
        }
        return drawn;
    }

    /** The marker's label beside its line, near the top (vertical) or the left (horizontal). */
    private static AnnotationText label(XYChart drawn, Marker marker, double value) {
        double x;
        double y;
        if (marker.vertical()) {
            x = value;
            y = drawn.getSeriesMap().values().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.getYData()))
                    .max().orElse(1);
        } else {
            x = drawn.getSeriesMap().values().stream().flatMapToDouble(s -> java.util.Arrays.stream(s.getXData()))
                    .min().orElse(0);
            y = value;
        }
        return new AnnotationText(" " + marker.label(), x, y, false);
    }

    static CategoryChart bars(Chart chart, Colours colours) {
        CategoryChart drawn = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(chart.title())
                .xAxisTitle(chart.x().label()).yAxisTitle(chart.y().label()).build();
        drawn.getStyler().setLegendVisible(chart.series().size() > 1);
        drawn.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        boolean longLabels = chart.series().stream().flatMap(s -> s.categories().stream())
                .anyMatch(c -> c.length() > 8);
        drawn.getStyler().setXAxisLabelRotation(longLabels ? 45 : 0);
        drawn.getStyler().setYAxisLogarithmic(chart.y().scale() == Axis.Scale.LOG);
        chart.y().min().ifPresent(drawn.getStyler()::setYAxisMin);
        chart.y().max().ifPresent(drawn.getStyler()::setYAxisMax);
        for (Series s : chart.series()) {
            if (s.size() == 0) {
                continue;
            }
            List<Double> values = new ArrayList<>();
            for (double v : s.y()) {
                values.add(v);
            }
            CategorySeries drawnSeries;
            if (s.errorBars().isPresent()) {
                List<Double> errors = new ArrayList<>();
                for (double e : s.errorBars().get()) {
                    errors.add(e);
                }
                drawnSeries = drawn.addSeries(s.name(), s.categories(), values, errors);
            } else {
                drawnSeries = drawn.addSeries(s.name(), s.categories(), values);
            }
            drawnSeries.setFillColor(colours.of(s.colourKey()));
        }
        // Across bars only a level makes sense (a limit, a bound); a marker at an x value has no category to sit on.
        drawn.getStyler().setAnnotationLineColor(Color.DARK_GRAY);
        drawn.getStyler().setAnnotationTextFontColor(Color.DARK_GRAY);
        for (Marker marker : chart.markers()) {
            if (!marker.vertical()) {
                drawn.addAnnotation(new AnnotationLine(marker.value(), false, false));
                drawn.addAnnotation(new AnnotationText(" " + marker.label(), 0.5, marker.value(), false));
            }
        }
        return drawn;
    }

    /** Percentiles (0–100) as numbers of nines: 90 → 1, 99 → 2, 99.9 → 3. */
    static double ninesOf(double percentile) {
        double p = Math.min(percentile, 99.9999) / 100.0;
        return Math.log10(1 / (1 - p));
    }

    private static double[] ninesOf(double[] percentiles) {
        double[] out = new double[percentiles.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = ninesOf(percentiles[i]);
        }
        return out;
    }

    /** A step function as a polyline: each value held until the next x. */
    static double[][] stepped(double[] x, double[] y) {
        if (x.length < 2) {
            return new double[][] {x, y};
        }
        double[] sx = new double[x.length * 2 - 1];
        double[] sy = new double[sx.length];
        for (int i = 0; i < x.length; i++) {
            sx[2 * i] = x[i];
            sy[2 * i] = y[i];
            if (i + 1 < x.length) {
                sx[2 * i + 1] = x[i + 1];
                sy[2 * i + 1] = y[i];
            }
        }
        return new double[][] {sx, sy};
    }

    private static String trim(double value) {
        String text = String.format(Locale.ROOT, "%.4f", value);
        return text.contains(".") ? text.replaceAll("0+$", "").replaceAll("\\.$", "") : text;
    }
}
