package dev.dyno.report;

/** Prints each test's summary to the console, last, so it can name the results file. */
public final class ConsoleReporter implements Reporter {

    @Override
    public void report(TestReport report) {
        System.out.print(ConsoleSummary.render(report.outcome())
                + report.resultsFile().map(file -> "Results: " + file + "\n").orElse(""));
    }

    @Override
    public int order() {
        return 1000;
    }
}
