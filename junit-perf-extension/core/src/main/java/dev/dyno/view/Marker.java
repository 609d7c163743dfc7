package dev.dyno.view;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * A labelled reference line across a {@link Chart}: a limit, a deadline, a breaking point.
 *
 * @param vertical whether the line is at an x value (vertical) or a y value (horizontal)
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record Marker(boolean vertical, double value, String label) {

    public Marker {
        Objects.requireNonNull(label, "label");
    }

    /** A vertical line at {@code x}, such as the moment a boost was restored. */
    public static Marker vertical(double x, String label) {
        return new Marker(true, x, label);
    }

    /** A horizontal line at {@code y}, such as a threshold. */
    public static Marker horizontal(double y, String label) {
        return new Marker(false, y, label);
    }
}
