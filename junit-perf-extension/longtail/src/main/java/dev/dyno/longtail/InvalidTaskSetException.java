package dev.dyno.longtail;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A task set that cannot be built: a cases file that is missing, is not JSON or is not in
 * schedcp's format, an unknown case, or an empty set. The message names the file, the case and
 * the field.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public class InvalidTaskSetException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidTaskSetException(String message) {
        super(message);
    }
}
