package dev.dyno.spi;

import static org.apiguardian.api.API.Status.DEPRECATED;

import dev.dyno.view.Attachment;
import dev.dyno.view.Step;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * TRANSITIONAL: what capabilities called before the report model; adds to the recorder of the perf
 * test running on this thread. To be removed once every capability records into its recorder.
 */
@Deprecated
@API(status = DEPRECATED, since = "0.2")
public final class TransitionalReport {

    private TransitionalReport() {
    }

    public static void attach(String name, String mediaType, String fileExtension, byte[] content) {
        PerfRun.current().ifPresent(run -> run.recorder().attach(Attachment.of(name, mediaType, fileExtension, content)));
    }

    public static void attachLog(String name, Path file) {
        if (file != null) {
            PerfRun.current().ifPresent(run -> run.recorder().attach(Attachment.log(name, file)));
        }
    }

    public static void step(String name, boolean passed, Map<String, String> parameters) {
        PerfRun.current().ifPresent(run -> run.recorder().step(Step.endingNow(name, Instant.now(), passed, parameters)));
    }
}
