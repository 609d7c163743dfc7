package dev.dyno.view;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Content a report shows as a file: raw data (CSV, JSON, an HdrHistogram log), a page of its own
 * (a flame graph) or a log. Either the bytes, or a file whose last {@link #tailBytes()} bytes are read
 * when the report is written (a log that may still grow, or be large).
 *
 * @param mediaType     such as {@code text/csv}
 * @param fileExtension such as {@code .csv}
 * @param group         where a report puts it: {@link #DATA}, {@link #LOG} or {@link #PAGE}
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record Attachment(String name, String mediaType, String fileExtension, byte[] content, Optional<Path> file,
        int tailBytes, String group) {

    /** Raw data: CSV, JSON, histograms. */
    public static final String DATA = "data";
    /** Logs of workloads and tools. */
    public static final String LOG = "logs";
    /** A page to look at: a flame graph, an HTML table. */
    public static final String PAGE = "pages";
    /** The most of one log a report keeps; the whole log stays on disk. */
    public static final int LOG_TAIL_BYTES = 1024 * 1024;

    public Attachment {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(mediaType, "mediaType");
        fileExtension = fileExtension.startsWith(".") ? fileExtension : "." + fileExtension;
        content = content == null ? new byte[0] : content.clone();
        file = Objects.requireNonNullElse(file, Optional.empty());
        group = group == null ? DATA : group;
    }

    /** Bytes made in memory. */
    public static Attachment of(String name, String mediaType, String fileExtension, byte[] content) {
        return new Attachment(name, mediaType, fileExtension, content, Optional.empty(), 0, DATA);
    }

    /** Text made in memory, such as CSV. */
    public static Attachment text(String name, String mediaType, String fileExtension, String content) {
        return of(name, mediaType, fileExtension, content.getBytes(StandardCharsets.UTF_8));
    }

    /** The end of a log file, read when the report is written. */
    public static Attachment log(String name, Path file) {
        return new Attachment(name, "text/plain", ".txt", null, Optional.of(file), LOG_TAIL_BYTES, LOG);
    }

    /** The same attachment, shown in {@code group}. */
    public Attachment inGroup(String group) {
        return new Attachment(name, mediaType, fileExtension, content, file, tailBytes, group);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Attachment a && name.equals(a.name) && mediaType.equals(a.mediaType)
                && java.util.Arrays.equals(content, a.content) && file.equals(a.file) && group.equals(a.group);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, mediaType, file, group);
    }

    @Override
    public String toString() {
        return "Attachment[" + name + ", " + mediaType + ", " + file.map(Path::toString).orElse(content.length + " bytes")
                + "]";
    }
}
