package dev.dyno.view;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Something that ran during a test, with its real start and duration: one start of a workload,
 * one round, one phase of a load profile. Reports show steps on a timeline.
 *
 * @param parameters shown beside the step, such as the configuration it ran
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record Step(String name, Instant start, Duration duration, boolean passed, Map<String, String> parameters) {

    public Step {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(duration, "duration");
        parameters = Map.copyOf(parameters);
    }

    /** A step that began at {@code start} and ends now. */
    public static Step endingNow(String name, Instant start, boolean passed, Map<String, String> parameters) {
        return new Step(name, start, Duration.between(start, Instant.now()), passed, parameters);
    }

    public Instant end() {
        return start.plus(duration);
    }
}
