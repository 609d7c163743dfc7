package dev.dyno.history;

import dev.dyno.report.Reporter;
import dev.dyno.report.TestReport;

/**
 * Appends each measured test to the results history, when {@code dyno.history.dir} names one, and
 * adds what changed (text and trend charts) to the report for the reporters after it.
 */
public final class HistoryReporter implements Reporter {

    @Override
    public void report(TestReport report) {
        if (!report.outcome().skipped()) {
            // nothing was measured: a skipped run in the history would be compared as if it had been
            ResultsHistory.record(report);
        }
    }

    @Override
    public int order() {
        return -100;
    }
}
