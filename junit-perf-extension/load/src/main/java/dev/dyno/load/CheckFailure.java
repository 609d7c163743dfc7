package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * An answer that failed a {@link LoadProfile.Check}: one of the first few of a run, kept for the
 * report. Values of {@code ${env:…}} templates are masked as {@code ***}.
 *
 * @param request the request kind, such as {@code items}, or {@code request} for a single request
 * @param check   the check that failed, such as {@code JSON /status == "ok"}
 * @param status  the answer's status code
 * @param answer  what came back: the start of the body (or the headers, for a header check), truncated
 * @since 0.2
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record CheckFailure(String request, String check, int status, String answer) {

    /** The most characters of an answer kept. */
    public static final int MAX_ANSWER = 200;

    @Override
    public String toString() {
        return request + ": " + check + " failed; got " + status + " " + answer;
    }
}
