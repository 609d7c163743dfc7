// The tests must really have run: counts from surefire's report, and the results files Dyno writes.
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.JoinerPerfTest.xml')
assert report.isFile() : "no surefire report at $report: did the tests run?"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() == 2 : "expected 2 tests, surefire counted ${suite.@tests}"
assert suite.@skipped.toInteger() == 0 && suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0

def results = new File(basedir, 'target/dyno-results').listFiles({ it.name.endsWith('.json') && it.name != 'skipped.json' } as FileFilter) ?: []
assert results.size() == 2 : "expected a results JSON per @PerfTest under target/dyno-results, found ${results*.name}"
assert results.any { it.text.contains('join.builder') } : 'no results file mentions the join.builder timer'

def log = new File(basedir, 'build.log').text
// Dyno's skip summary ran under this build's launcher, and counted no skipped test.
def skipped = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dyno-results/skipped.json'))
assert skipped.count == 0 : "skipped.json counts ${skipped.count} skipped tests: ${skipped.skipped}"
assert log.contains('=== Dyno: no test skipped ===') : 'the build did not print the skip summary'
assert !log.contains('SLF4J(W)') : 'the build printed an SLF4J warning'
// The run summary CI shows: written beside the results, one line per perf test.
def summary = new File(basedir, 'target/dyno-results/summary.md')
assert summary.isFile() : 'no run summary at target/dyno-results/summary.md'
assert summary.text.startsWith('## Dyno: 2 perf tests: 2 passed') : "unexpected summary: ${summary.text.take(200)}"
return true
