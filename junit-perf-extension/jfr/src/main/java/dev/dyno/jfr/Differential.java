package dev.dyno.jfr;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedMethod;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * A recording's samples split into the two {@link Sides} of a test and compared: each side's
 * stacks, and each method's share of its side's samples, by itself (self: the top frame) and with
 * what it called (total). A regression shows as methods whose share grew.
 */
final class Differential {

    /** What is sampled: CPU time or allocated bytes. */
    enum Kind {
        CPU("CPU", "samples"),
        ALLOCATION("allocation", "bytes");

        final String title;
        final String unit;

        Kind(String title, String unit) {
            this.title = title;
            this.unit = unit;
        }
    }

    private static final java.util.regex.Pattern LAMBDA_ADDRESS =
            java.util.regex.Pattern.compile("\\$\\$Lambda\\$\\d+[./]0x[0-9a-f]+");

    /** How many frames the report names. */
    static final int TOP = 5;

    /** One method's shares of its side's samples, as fractions. */
    record FrameChange(String frame, double selfBaseline, double selfVariant, double totalBaseline,
            double totalVariant) {

        double selfChange() {
            return selfVariant - selfBaseline;
        }

        double totalChange() {
            return totalVariant - totalBaseline;
        }

        List<String> row() {
            return List.of(frame, percent(totalBaseline), percent(totalVariant), signedPoints(totalChange()),
                    percent(selfBaseline), percent(selfVariant), signedPoints(selfChange()));
        }
    }

    /** One side's stacks, root first and joined by {@code ;} as flame graphs read them, with their weight. */
    record SideStacks(Map<String, Long> stacks, long weight, long samples) {
    }

    private final Kind kind;
    private final Sides sides;
    private final SideStacks baseline;
    private final SideStacks variant;

    private Differential(Kind kind, Sides sides, SideStacks baseline, SideStacks variant) {
        this.kind = kind;
        this.sides = sides;
        this.baseline = baseline;
        this.variant = variant;
    }

    /** Reads {@code recording}'s samples of {@code kind} and puts each in the side whose time holds it. */
    static Differential of(Path recording, Kind kind, Sides sides) throws IOException {
        Map<String, Long> baseline = new HashMap<>();
        Map<String, Long> variant = new HashMap<>();
        long[] weights = new long[2];
        long[] samples = new long[2];
        // JFR's own allocation samples, or async-profiler's TLAB events: one of them, never both counted
        boolean jdkAllocationSamples = kind == Kind.ALLOCATION && hasEvents(recording, "jdk.ObjectAllocationSample");
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                long weight = weight(event, kind, jdkAllocationSamples);
                if (weight <= 0 || event.getStackTrace() == null) {
                    continue;
                }
                Instant time = event.getStartTime();
                int side = sides.baseline().holds(time) ? 0 : sides.variant().holds(time) ? 1 : -1;
                if (side >= 0) {
                    (side == 0 ? baseline : variant).merge(collapsed(event.getStackTrace()), weight, Long::sum);
                    weights[side] += weight;
                    samples[side]++;
                }
            }
        }
        return new Differential(kind, sides, new SideStacks(baseline, weights[0], samples[0]),
                new SideStacks(variant, weights[1], samples[1]));
    }

    private static boolean hasEvents(Path recording, String type) throws IOException {
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                if (file.readEvent().getEventType().getName().equals(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long weight(RecordedEvent event, Kind kind, boolean jdkAllocationSamples) {
        String type = event.getEventType().getName();
        if (kind == Kind.CPU) {
            return type.equals("jdk.ExecutionSample") ? 1 : 0;
        }
        if (jdkAllocationSamples) {
            return type.equals("jdk.ObjectAllocationSample") ? event.getLong("weight") : 0;
        }
        return switch (type) {
            case "jdk.ObjectAllocationInNewTLAB" -> event.getLong("tlabSize");
            case "jdk.ObjectAllocationOutsideTLAB" -> event.getLong("allocationSize");
            default -> 0;
        };
    }

    private static String collapsed(RecordedStackTrace trace) {
        List<RecordedFrame> frames = trace.getFrames();
        StringBuilder stack = new StringBuilder();
        for (int i = frames.size() - 1; i >= 0; i--) {
            stack.append(frame(frames.get(i)));
            if (i > 0) {
                stack.append(';');
            }
        }
        return stack.toString();
    }

    private static String frame(RecordedFrame frame) {
        RecordedMethod method = frame.getMethod();
        if (method == null) {
            return "unknown";
        }
        String type = method.getType() == null ? "" : method.getType().getName();
        // async-profiler's native frames have no class; a lambda's class number and address differ run to run
        return type.isEmpty() ? method.getName()
                : LAMBDA_ADDRESS.matcher(type).replaceAll("\\$\\$Lambda") + "." + method.getName();
    }

    Kind kind() {
        return kind;
    }

    Sides sides() {
        return sides;
    }

    SideStacks baseline() {
        return baseline;
    }

    SideStacks variant() {
        return variant;
    }

    /**
     * The {@code n} methods whose total share changed most, either way, those that grew first (most
     * first), then those that shrank (least first, so the most shrunk is last). The total share
     * ranks, not the self share: a leaf both sides spend time in (a clock read, a copy) would
     * otherwise outrank the method whose calls to it changed. Among equal changes, as the frames of
     * a call path that only one side took, the larger change of self share comes first. Empty when
     * a side has no samples.
     */
    List<FrameChange> top(int n) {
        if (baseline.weight() == 0 || variant.weight() == 0) {
            return List.of();
        }
        Map<String, double[]> baselineShares = shares(baseline);
        Map<String, double[]> variantShares = shares(variant);
        Set<String> frames = new HashSet<>(baselineShares.keySet());
        frames.addAll(variantShares.keySet());
        List<FrameChange> changes = new ArrayList<>();
        for (String frame : frames) {
            double[] b = baselineShares.getOrDefault(frame, new double[2]);
            double[] v = variantShares.getOrDefault(frame, new double[2]);
            FrameChange change = new FrameChange(frame, b[0], v[0], b[1], v[1]);
            if (change.totalChange() != 0 || change.selfChange() != 0) {
                changes.add(change);
            }
        }
        changes.sort(Comparator.comparingDouble((FrameChange c) -> Math.abs(c.totalChange())).reversed()
                .thenComparing(Comparator.comparingDouble((FrameChange c) -> Math.abs(c.selfChange())).reversed())
                .thenComparing(FrameChange::frame));
        List<FrameChange> top = new ArrayList<>(changes.subList(0, Math.min(n, changes.size())));
        top.sort(Comparator.comparingDouble(FrameChange::totalChange).reversed()
                .thenComparing(Comparator.comparingDouble((FrameChange c) -> Math.abs(c.selfChange())).reversed())
                .thenComparing(FrameChange::frame));
        return top;
    }

    /** Each method's self and total share of a side, in that order; a recursive method counts once per stack. */
    private static Map<String, double[]> shares(SideStacks side) {
        Map<String, double[]> shares = new LinkedHashMap<>();
        for (Map.Entry<String, Long> stack : side.stacks().entrySet()) {
            double share = (double) stack.getValue() / side.weight();
            String[] frames = stack.getKey().split(";");
            shares.computeIfAbsent(frames[frames.length - 1], f -> new double[2])[0] += share;
            for (String frame : new HashSet<>(List.of(frames))) {
                shares.computeIfAbsent(frame, f -> new double[2])[1] += share;
            }
        }
        return shares;
    }

    /** The report table's title, such as {@code JFR: where the time went, old: * → new: *}. */
    String title() {
        return (kind == Kind.CPU ? JfrMetrics.WHERE_THE_TIME_WENT : JfrMetrics.WHERE_THE_BYTES_WENT) + ", "
                + sides.baseline().name() + " → " + sides.variant().name();
    }

    static List<String> columns() {
        return List.of("frame (method)", "total, baseline", "total, variant", "total change", "self, baseline",
                "self, variant", "self change");
    }

    /** One line on what was compared: each side's windows, time and samples. */
    String summary() {
        return side("baseline", sides.baseline(), baseline) + "; " + side("variant", sides.variant(), variant);
    }

    private String side(String role, Sides.Side side, SideStacks stacks) {
        return String.format(Locale.ROOT, "%s %s: %d window%s, %d ms, %d %s sample%s%s", role, side.name(),
                side.windows().size(), side.windows().size() == 1 ? "" : "s", side.length().toMillis(),
                stacks.samples(), kind.title, stacks.samples() == 1 ? "" : "s",
                kind == Kind.ALLOCATION ? " (" + stacks.weight() + " " + kind.unit + ")" : "");
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f %%", fraction * 100);
    }

    private static String signedPoints(double fraction) {
        return String.format(Locale.ROOT, "%+.1f pp", fraction * 100);
    }
}
