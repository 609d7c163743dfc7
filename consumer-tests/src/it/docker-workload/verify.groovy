// The workload test really ran (not skipped), wrote its results, and no SLF4J warning was printed.
def report = new File(basedir, 'target/surefire-reports/TEST-com.example.ContainerWorkloadPerfTest.xml')
assert report.isFile() : "no surefire report at $report: did the tests run?"
def suite = new groovy.xml.XmlSlurper().parse(report)
assert suite.@tests.toInteger() == 1 && suite.@skipped.toInteger() == 0 : "expected 1 test run, not skipped: $suite.@tests run, $suite.@skipped skipped"
assert suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0

def results = new File(basedir, 'target/dyno-results').listFiles({ it.name.endsWith('.json') && it.name != 'skipped.json' } as FileFilter) ?: []
assert results.size() == 1 : "expected one results JSON under target/dyno-results, found ${results*.name}"

assert !new File(basedir, 'build.log').text.contains('SLF4J(W)') : 'the build printed an SLF4J warning'
return true
