// Allure 3's configuration for the opt-in Allure 3 report (mvn -Pallure3; docs/allure.md, "Allure 3 (opt in)").
// Allure 2's single-file report (-Preport) stays the default.
import { dynoMetrics } from "./dyno-allure3.mjs";

// Set by the allure3 profile; the defaults fit a run by hand from the module's folder.
const dynoResults = process.env.DYNO_RESULTS_DIR ?? "target/dyno-results";
const allureResults = process.env.ALLURE_RESULTS_DIR ?? "target/allure-results";

export default {
  name: "Dyno example suites",
  output: process.env.ALLURE3_REPORT_DIR ?? "target/allure3-report",
  // Each report appends a point here, so the Metrics widget shows each metric's change since the last
  // report. Under target/, a clean build starts it over; in CI, cache the file between builds.
  historyPath: process.env.ALLURE3_HISTORY ?? "target/allure3-history.jsonl",
  // allure quality-gate appends a point as well: the profile's gate run turns that off, one point a build.
  appendHistory: process.env.ALLURE3_APPEND_HISTORY !== "false",
  plugins: {
    awesome: {
      options: {
        reportName: "Dyno example suites",
        // One index.html with everything inlined: it opens from file://, no web server needed.
        singleFile: true,
        groupBy: ["parentSuite", "suite", "subSuite"],
      },
    },
  },
  qualityGate: {
    rules: [
      // Dyno fails the test whose threshold is breached: no failed or broken test at all.
      { id: "tests", maxFailures: 0, minTestsCount: 1 },
      // And each threshold again, by name, against the value Dyno measured (dyno-perf.json): metricMax for
      // "<" and "<=", metricMin for ">" and ">=", and both for a growth test's allowed slopes.
      ...dynoMetrics(dynoResults, allureResults).rules,
    ],
  },
};
