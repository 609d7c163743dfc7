package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * The replica count changed (like HPA's "New size: 2"), at an offset from the start of the run.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record ScalingEvent(Duration at, String phase, int replicas) {
}
