package dev.dyno.config;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * A test that could not run here and would have been skipped, failed instead because
 * {@value DynoConfiguration#SKIPS_PROPERTY} is {@code fail}; thrown by {@link DynoAssumptions}.
 * Its message is the reason, then the setting that made it a failure.
 *
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class SkipForbiddenException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /** A failure for a test that cannot run here for {@code reason}. */
    public SkipForbiddenException(String reason) {
        super(reason + " (failed instead of skipped: " + DynoConfiguration.SKIPS_PROPERTY + " = "
                + DynoConfiguration.SKIPS_FAIL + ")");
        this.reason = reason;
    }

    /** Why the test could not run, as it would have been skipped. */
    public String reason() {
        return reason;
    }
}
