package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.metrics.DurationText;
import dev.dyno.metrics.TimerSnapshot;
import java.time.Duration;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * Whether the generator kept to its schedule. Scheduling lag is how much later than intended each
 * open-model request was handed to the target; when it grows, the generator (its CPU, its GC) is
 * the bottleneck, and latency figures say more about the generator than about the target.
 *
 * @param lag       scheduling lag of every open-model request
 * @param sent      open-model requests sent
 * @param late      requests whose lag exceeded {@code lateAfter}
 * @param lateAfter the lag from which a request counts as late
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record GeneratorHealth(TimerSnapshot lag, long sent, long late, Duration lateAfter) {

    /** More than 1 % of requests were late: the generator, not the target, may be the bottleneck. */
    public boolean behindSchedule() {
        return sent > 0 && late * 100 > sent;
    }

    /** A sentence for reports and assertion messages. */
    public String describe() {
        if (sent == 0) {
            return "no open-model requests";
        }
        return String.format(Locale.ROOT, "%s: scheduling lag p50 %s, p99 %s, max %s; %d of %d requests (%.2f%%) later than %s",
                behindSchedule() ? "the generator fell behind its schedule, so latency may be the generator's, not the target's"
                        : "the generator kept its schedule",
                DurationText.format(lag.median()), DurationText.format(lag.percentile(99)), DurationText.format(lag.max()),
                late, sent, 100.0 * late / sent, DurationText.format(lateAfter));
    }
}
