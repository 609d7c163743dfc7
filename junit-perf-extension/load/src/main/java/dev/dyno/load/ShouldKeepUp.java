package dev.dyno.load;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.assertj.core.error.BasicErrorMessageFactory;

/** The target answered an open-model phase slower than it was offered, or there was no open-model phase to tell. */
final class ShouldKeepUp extends BasicErrorMessageFactory {

    /** One phase that did not keep up. */
    static ShouldKeepUp shouldKeepUp(PhaseStats phase, double tolerance, String note) {
        return new ShouldKeepUp("phase '" + phase.name() + "'", tolerance, List.of(phase), note);
    }

    /** The phases of a run that did not keep up; empty when the run had no open-model phase. */
    static ShouldKeepUp shouldKeepUp(LoadRun run, double tolerance, List<PhaseStats> slow, String note) {
        return new ShouldKeepUp("the target of the " + run.profile() + " run", tolerance, slow, note);
    }

    private ShouldKeepUp(String subject, double tolerance, List<PhaseStats> slow, String note) {
        super("%nExpecting %s to keep up with the offered rate (answers at %s of it or more) but:%n%s%s",
                unquotedString(subject), unquotedString(String.format(Locale.ROOT, "%.0f%%", 100 * (1 - tolerance))),
                unquotedString(slow.isEmpty() ? "  it had no open-model phase, so no offered rate to keep up with"
                        : slow.stream().map(p -> "  " + p.name() + ": " + p.pace().describe())
                                .collect(Collectors.joining("\n"))),
                unquotedString(note));
    }
}
