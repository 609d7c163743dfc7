package dev.dyno.jfr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;

/** Self-contained HTML flame graphs of a {@code .jfr} file, by async-profiler's jfr-converter. */
final class FlameGraphs {

    private static final String UNAVAILABLE = unavailableReason();

    private FlameGraphs() {
    }

    /** Why no flame graph can be made, or null when jfr-converter is there. */
    static String unavailable() {
        return UNAVAILABLE;
    }

    /**
     * The flame graph of a recording: of its CPU samples, or of its allocations. Reads async-profiler's
     * recordings and the JDK's alike ({@code jdk.ExecutionSample}, {@code jdk.ObjectAllocationSample}).
     */
    static byte[] html(Path recording, boolean allocation, String title) throws IOException {
        Path html = Files.createTempFile("dyno-flame", ".html");
        try {
            one.convert.Arguments arguments = allocation
                    ? new one.convert.Arguments("--alloc", "--title", title)
                    : new one.convert.Arguments("--title", title);
            one.convert.JfrToFlame.convert(recording.toString(), html.toString(), arguments);
            return Files.readAllBytes(html);
        } finally {
            Files.deleteIfExists(html);
        }
    }

    /** The CPU samples with a stack in a recording: async-profiler's and the JDK's, both {@code jdk.ExecutionSample}. */
    static long cpuSamples(Path recording) throws IOException {
        long samples = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                if (event.getEventType().getName().equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                    samples++;
                }
            }
        }
        return samples;
    }

    /**
     * The flame graph of stacks already counted: each key a stack, root first, its frames joined by
     * {@code ;} (the "collapsed" form), each value its samples or bytes.
     */
    static byte[] html(Map<String, Long> stacks, String title) throws IOException {
        StringBuilder collapsed = new StringBuilder();
        stacks.forEach((stack, weight) -> collapsed.append(stack).append(' ').append(weight).append('\n'));
        one.convert.FlameGraph graph = new one.convert.FlameGraph(new one.convert.Arguments("--title", title));
        graph.parseCollapsed(new StringReader(collapsed.toString()));
        ByteArrayOutputStream html = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(html, false, StandardCharsets.UTF_8)) {
            graph.dump(out);
        }
        return html.toByteArray();
    }

    private static String unavailableReason() {
        try {
            Class.forName("one.convert.JfrToFlame");
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            String reason = "tools.profiler:jfr-converter is not on the class path";
            System.err.println("[dyno] no flame graphs: " + reason + "; the .jfr recordings are still kept");
            return reason;
        }
    }
}
