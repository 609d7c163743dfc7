package dev.dyno.jfr;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.apiguardian.api.API;

/**
 * The events of a flight recording, to assert on with {@link JfrAssertions}. A
 * {@link JfrRecording @JfrRecording} test declares a parameter of this type; during the method it
 * reads what was recorded up to that moment.
 *
 * <pre>{@code
 * @PerfTest
 * @JfrRecording
 * void collects(JfrEvents jfr) {
 *     System.gc();
 *     assertThat(jfr.events("jdk.GarbageCollection")).isNotEmpty();
 * }
 * }</pre>
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class JfrEvents {

    private final Supplier<Path> file;
    private final Map<String, String> settings;

    JfrEvents(Supplier<Path> file, Map<String, String> settings) {
        this.file = file;
        this.settings = settings;
    }

    /** The events of a {@code .jfr} file, such as one a test kept. */
    public static JfrEvents read(Path jfrFile) {
        if (!Files.isReadable(jfrFile)) {
            throw new IllegalArgumentException("no readable recording at " + jfrFile.toAbsolutePath());
        }
        return new JfrEvents(() -> jfrFile, Map.of());
    }

    /** Every event recorded so far. */
    public List<RecordedEvent> events() {
        Path path = file.get();
        try {
            return RecordingFile.readAllEvents(path);
        } catch (IOException e) {
            throw new UncheckedIOException("could not read the recording " + path, e);
        }
    }

    /**
     * The events of one type recorded so far.
     *
     * @throws IllegalArgumentException when this JVM has no such event type, naming those it has;
     *                                  or when the recording does not record that type
     */
    public List<RecordedEvent> events(String type) {
        String unknown = EventTypes.unknown(type);
        if (unknown != null) {
            throw new IllegalArgumentException(unknown);
        }
        if ("false".equals(settings.get(type + "#enabled"))) {
            throw new IllegalArgumentException("\"" + type + "\" is not recorded by this recording's settings: name it in"
                    + " @JfrRecording(events) to record it");
        }
        return events().stream().filter(e -> e.getEventType().getName().equals(type)).toList();
    }
}
