// dyno-core alone ran a perf test to the end: surefire counted both tests, the results file exists,
// and the heavy libraries were not on the test class path (the second test asserts it from inside).
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.ParserPerfTest.xml')
assert report.isFile() : "no surefire report at $report: did the tests run?"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() == 2 : "expected 2 tests, surefire counted ${suite.@tests}"
assert suite.@skipped.toInteger() == 0 && suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0

def results = new File(basedir, 'target/dyno-results').listFiles({ it.name.endsWith('.json') && it.name != 'skipped.json' } as FileFilter) ?: []
assert results.size() == 1 : "expected one results JSON under target/dyno-results, found ${results*.name}"
assert results[0].text.contains('"parse"') : 'the results file does not hold the parse timer'
def log = new File(basedir, 'build.log').text
assert log.contains('=== Dyno: ParserPerfTest.parsesTwentyBatches') : 'no console summary of the perf test'
return true
