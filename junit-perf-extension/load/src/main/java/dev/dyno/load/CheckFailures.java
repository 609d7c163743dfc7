package dev.dyno.load;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Counts answers that failed a check and keeps the first few as examples, secrets masked. */
final class CheckFailures {

    private final HttpPlan plan;
    private final AtomicLong count = new AtomicLong();
    private final List<CheckFailure> examples = new CopyOnWriteArrayList<>();

    CheckFailures(HttpPlan plan) {
        this.plan = plan;
    }

    void add(String request, ResponseCheck check, int status, HttpHead head, byte[] body, int length) {
        if (count.getAndIncrement() >= LoadProfile.Check.EXAMPLES) {
            return;
        }
        String answer = check instanceof ResponseCheck.HeaderPresent && head != null
                ? head.describe()
                : new String(body, 0, length, StandardCharsets.UTF_8);
        // Mask before truncating, so that no part of a secret survives at the cut.
        answer = plan.mask(answer).replaceAll("\\s+", " ").strip();
        if (answer.length() > CheckFailure.MAX_ANSWER) {
            answer = answer.substring(0, CheckFailure.MAX_ANSWER) + "… (truncated)";
        }
        examples.add(new CheckFailure(request, check.describe(), status, answer));
    }

    List<CheckFailure> examples() {
        return List.copyOf(examples);
    }

    long count() {
        return count.get();
    }
}
