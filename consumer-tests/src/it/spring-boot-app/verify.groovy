// Dyno ran inside a Spring Boot 3 build whose own enforcer checks dependency convergence.
def suite = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/surefire-reports/TEST-com.example.PriceServicePerfTest.xml'))
assert suite.@tests.toInteger() == 1 && suite.@skipped.toInteger() == 0 && suite.@failures.toInteger() == 0 && suite.@errors.toInteger() == 0
// Under Boot's JUnit 5.12, a workload stops with the test that started it (the second test checks).
def lifecycle = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/surefire-reports/TEST-com.example.WorkloadLifecyclePerfTest.xml'))
assert lifecycle.@tests.toInteger() == 2 && lifecycle.@skipped.toInteger() == 0 && lifecycle.@failures.toInteger() == 0 && lifecycle.@errors.toInteger() == 0
// On Boot's Testcontainers 1.21 and docker-java 3.4, a running container's CPU limit changes.
def docker = new groovy.xml.XmlSlurper().parse(new File(basedir, 'target/surefire-reports/TEST-com.example.ContainerCpuLimitPerfTest.xml'))
assert docker.@tests.toInteger() == 1 && docker.@failures.toInteger() == 0 && docker.@errors.toInteger() == 0
if (System.getenv('DYNO_REQUIRE_DOCKER') == 'true') {
    assert docker.@skipped.toInteger() == 0 : 'DYNO_REQUIRE_DOCKER=true, but the container test was skipped'
}
def results = new File(basedir, 'target/dyno-results').listFiles({ it.name.endsWith('.json') && it.name != 'skipped.json' } as FileFilter) ?: []
assert results.size() >= 2 : "expected a results JSON per @PerfTest under target/dyno-results, found ${results*.name}"
def log = new File(basedir, 'build.log').text
// Dyno's skip summary ran under Boot's launcher (JUnit 5.12), and counted what surefire counted.
def skipped = new groovy.json.JsonSlurper().parse(new File(basedir, 'target/dyno-results/skipped.json'))
assert skipped.count == docker.@skipped.toInteger() : "skipped.json counts ${skipped.count}: ${skipped.skipped}"
assert log.contains(skipped.count == 0 ? '=== Dyno: no test skipped ===' : '=== Dyno: 1 test skipped') : 'no skip summary'
assert log.contains('DependencyConvergence passed') : 'the enforcer did not check dependency convergence'
assert !log.contains('SLF4J(W)') : 'the build printed an SLF4J warning'
return true
