package dev.dyno.jfr;

import java.time.Duration;
import java.util.List;
import org.assertj.core.error.BasicErrorMessageFactory;

/** Events lasted longer than allowed, such as a thread blocked on a monitor. */
final class ShouldNotLastLongerThan extends BasicErrorMessageFactory {

    static ShouldNotLastLongerThan shouldNotLastLongerThan(String events, Duration limit, int count,
            List<String> longest) {
        return new ShouldNotLastLongerThan(events, limit, count, longest);
    }

    private ShouldNotLastLongerThan(String events, Duration limit, int count, List<String> longest) {
        super("%nExpecting no %s longer than %s but %s were, the longest:%n  %s", unquotedString(events),
                unquotedString(dev.dyno.metrics.DurationText.format(limit)), count,
                unquotedString(String.join(System.lineSeparator() + "  ", longest)));
    }
}
