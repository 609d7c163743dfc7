package dev.dyno.report;

/** Writes each test's results file (JSON, schema {@value ResultsFile#SCHEMA}) into the results directory. */
public final class ResultsFileReporter implements Reporter {

    @Override
    public void report(TestReport report) {
        report.resultsFile(ResultsFile.write(report.outcome(), report.environment(),
                report.configuration().resultsDirectory()));
    }

    @Override
    public int order() {
        return -200;
    }
}
