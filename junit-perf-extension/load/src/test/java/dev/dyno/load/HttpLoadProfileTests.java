package dev.dyno.load;

import static dev.dyno.load.TestCertificates.HOST;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.dyno.PerfTest;
import dev.dyno.config.DynoConfiguration;
import dev.dyno.load.LoadProfile.Check;
import dev.dyno.load.LoadProfile.Feed;
import dev.dyno.load.LoadProfile.Http;
import dev.dyno.load.LoadProfile.Load;
import dev.dyno.load.LoadProfile.Request;
import dev.dyno.load.LoadProfile.Soak;
import dev.dyno.load.LoadProfile.Spike;
import dev.dyno.load.LoadProfile.Stress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * {@code @LoadProfile} against a named HTTP service: a weighted request mix, feeds, secrets from the
 * environment and response checks, end to end through the extension. The named host
 * {@value TestCertificates#HOST} reaches a loopback server through {@value DynoConfiguration#LOAD_RESOLVE_PROPERTY}.
 */
@DisplayName("@LoadProfile against a named HTTP service")
@Timeout(120)
class HttpLoadProfileTests {

    static final String SECRET_VARIABLE = "DYNO_TEST_SECRET";
    static final AtomicReference<LoadRun> LAST_RUN = new AtomicReference<>();

    @TempDir
    Path temp;

    record Outcome(Events events, String console, String results) {
    }

    private Outcome run(String method, String... parameters) throws IOException {
        LAST_RUN.set(null);
        Path results = Files.createTempDirectory(temp, method);
        java.lang.reflect.Method selected = Arrays.stream(Cases.class.getDeclaredMethods())
                .filter(m -> m.getName().equals(method)).findFirst().orElseThrow();
        var request = EngineTestKit.engine("junit-jupiter").selectors(selectMethod(Cases.class, selected))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString())
                .configurationParameter(LoadProfileExtensionTests.OnlyInTestKit.PARAMETER, "true");
        for (int i = 0; i < parameters.length; i += 2) {
            request.configurationParameter(parameters[i], parameters[i + 1]);
        }
        PrintStream out = System.out;
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Events events;
        try {
            System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
            events = request.execute().testEvents();
        } finally {
            System.setOut(out);
        }
        String written;
        try (Stream<Path> files = Files.walk(results)) {
            written = files.filter(Files::isRegularFile).map(f -> {
                try {
                    return Files.readString(f);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.joining("\n"));
        }
        System.out.print(console.toString(StandardCharsets.UTF_8));
        return new Outcome(events, console.toString(StandardCharsets.UTF_8), written);
    }

    private static String secret() {
        String secret = System.getenv(SECRET_VARIABLE);
        org.junit.jupiter.api.Assumptions.assumeTrue(secret != null && secret.length() > 8,
                SECRET_VARIABLE + " is set by this module's surefire configuration");
        return secret;
    }

    private static String resolve(RawHttpServer server, int port) {
        return HOST + ":" + port + ":127.0.0.1:" + server.port();
    }

    private static String answer(String body, String... headers) {
        return "HTTP/1.1 200 OK\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
                + Arrays.stream(headers).map(h -> h + "\r\n").collect(Collectors.joining()) + "\r\n" + body;
    }

    @Test
    @DisplayName("sends a 70/30 mix of two request kinds with CSV values and an environment secret; per-kind timers are recorded, and the secret is nowhere in the console or the results")
    void mixFeedAndSecret() throws IOException {
        String secret = secret();
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            Outcome outcome = run("mix", DynoConfiguration.LOAD_RESOLVE_PROPERTY, resolve(server, 8080));

            outcome.events().assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
            List<String> requests = server.requests();
            assertThat(requests).hasSize(1000);
            Map<String, Long> byLine = requests.stream().collect(Collectors.groupingBy(r -> r.substring(0, r.indexOf('\r')),
                    LinkedHashMap::new, Collectors.counting()));
            assertThat(byLine.keySet()).containsExactlyInAnyOrder("GET /items/1 HTTP/1.1", "GET /items/2 HTTP/1.1",
                    "GET /items/3 HTTP/1.1", "POST /orders HTTP/1.1");
            assertThat(byLine.get("POST /orders HTTP/1.1")).isEqualTo(300);
            assertThat(requests).filteredOn(r -> r.startsWith("POST")).extracting(r -> r.substring(r.indexOf("\r\n\r\n") + 4))
                    .containsOnly("{\"item\":\"1\",\"name\":\"apple\"}", "{\"item\":\"2\",\"name\":\"pear\"}",
                            "{\"item\":\"3\",\"name\":\"plum\"}");
            assertThat(requests).allSatisfy(r -> assertThat(r).contains("\r\nAuthorization: Bearer " + secret + "\r\n")
                    .contains("\r\nHost: " + HOST + ":8080\r\n"));
            assertThat(outcome.console()).contains("host " + HOST + ":8080 → 127.0.0.1 (dyno.load.resolve",
                    "traffic: " + HOST + ":8080 at 127.0.0.1 port " + server.port() + ": 4 connections",
                    "70% items GET /items/{id}, 30% orders POST /orders").doesNotContain(secret);
            assertThat(outcome.results()).contains("users.items.latency", "users.orders.latency", "load.http.traffic",
                    "mix on http://" + HOST + ":8080: 70% items GET /items/{id}").doesNotContain(secret);
        }
    }

    @Test
    @DisplayName("passes each kind of check on an answer that satisfies it")
    void checksPass() throws IOException {
        String body = "{\"status\":\"ok\",\"items\":[{\"id\":7}]}";
        try (RawHttpServer server = new RawHttpServer(answer(body, "ETag: \"v1\""))) {
            Outcome outcome = run("checked", DynoConfiguration.LOAD_RESOLVE_PROPERTY, resolve(server, 8080));

            outcome.events().assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
            assertThat(LAST_RUN.get().phase("users").ok()).isEqualTo(20);
            assertThat(LAST_RUN.get().checkFailureCount()).isZero();
            assertThat(LAST_RUN.get().checkFailures()).isEmpty();
        }
    }

    @Test
    @DisplayName("fails each kind of check as CHECK_FAILED, keeping the first five answers with the secret masked")
    void checksFail() throws IOException {
        String secret = secret();
        String body = "{\"status\":\"ok\",\"echo\":\"" + secret + "\"," + "\"padding\":\"" + "x".repeat(300) + "\"}";
        try (RawHttpServer server = new RawHttpServer(answer(body, "ETag: \"v1\""))) {
            Outcome outcome = run("failingChecks", DynoConfiguration.LOAD_RESOLVE_PROPERTY, resolve(server, 8080));

            outcome.events().assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
            LoadRun run = LAST_RUN.get();
            assertThat(run.phase("users").failures()).containsExactly(Map.entry(dev.dyno.load.Outcome.CHECK_FAILED, 40L));
            assertThat(run.checkFailureCount()).isEqualTo(40);
            assertThat(run.checkFailures()).hasSize(LoadProfile.Check.EXAMPLES)
                    .extracting(CheckFailure::request, CheckFailure::check)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("contains", "body contains \"gone\""),
                            org.assertj.core.groups.Tuple.tuple("matches", "body matches /\"status\":\"x+\"/"),
                            org.assertj.core.groups.Tuple.tuple("json", "JSON /status == \"down\""),
                            org.assertj.core.groups.Tuple.tuple("header", "header X-Missing present"),
                            org.assertj.core.groups.Tuple.tuple("contains", "body contains \"gone\""));
            assertThat(run.checkFailures().get(0).answer()).startsWith("{\"status\":\"ok\",\"echo\":\"***\"")
                    .endsWith("… (truncated)").hasSize(CheckFailure.MAX_ANSWER + "… (truncated)".length());
            assertThat(run.checkFailures().get(3).answer()).contains("ETag: \"v1\"");
            assertThat(outcome.console()).contains("40 answers failed a check; first: contains: body contains \"gone\"")
                    .doesNotContain(secret);
            assertThat(outcome.results()).contains("check failures", "load.check.failed").doesNotContain(secret);
        }
    }

    @Test
    @DisplayName("insecure TLS works against a certificate for another host, with a warning line and a report attribute")
    void insecureIsReported() throws Exception {
        TestCertificates certificates = new TestCertificates(Files.createTempDirectory(temp, "certificates"));
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK,
                certificates.serverContext(certificates.otherHost, null), false)) {
            Outcome outcome = run("insecure", DynoConfiguration.LOAD_RESOLVE_PROPERTY, resolve(server, 8443));

            outcome.events().assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
            assertThat(LAST_RUN.get().phase("users").ok()).isEqualTo(10);
            assertThat(outcome.console()).contains("WARNING: TLS is insecure: any certificate and any host name is accepted");
            assertThat(outcome.results()).contains("load.tls.insecure", "certificates and host names were NOT checked");
        }
    }

    @Test
    @DisplayName("accepts a URL of a remote host and its request mix as a plan, without sending or resolving anything")
    void remotePlan() throws Exception {
        LoadPlan plan = LoadPlan.of(Cases.class.getDeclaredMethod("remote").getAnnotation(LoadProfile.class), 1,
                Cases.class, name -> "token");
        assertThat(plan.target()).isEqualTo(new LoadPlan.UrlTarget(java.net.URI.create("https://staging.example.test")));
        assertThat(plan.http().kinds()).extracting(HttpPlan.Kind::name, HttpPlan.Kind::weight)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("items", 3), org.assertj.core.groups.Tuple.tuple("orders", 1));
        assertThat(plan.http().resolve()).extracting(HttpPlan.ResolveRule::toString)
                .containsExactly("staging.example.test:443:127.0.0.1 (http.resolve)");
        assertThat(plan.http().rows()).containsExactly(Map.of("id", "7", "name", "fig"),
                Map.of("id", "8", "name", "{\"short\":\"kiwi\"}"));
        assertThat(plan.http().secrets()).containsExactly("token");
        assertThat(HttpRequestFactory.smoothWeightedCycle(new int[] {70, 30})).containsExactly(0, 1, 0, 0, 0, 1, 0, 0, 1, 0);
    }

    @Test
    @DisplayName("rejects bad input before anything is sent, naming the attribute or key, the value and what is allowed")
    void badInput() throws IOException {
        expectFailure("noHost", m -> m.equals("@LoadProfile(http.url) value \"https:///health\" is not allowed: expected a URL"
                + " with a host name or address, such as \"https://staging.example.test/health\" or"
                + " \"http://127.0.0.1:8080/health\""));
        expectFailure("missingFeedFile", m -> m.equals("@LoadProfile(http.feed.file) value \"no-such-items.csv\" is not"
                + " allowed: expected a readable .csv or .jsonl file, relative to the working directory; there is none at "
                + Path.of("no-such-items.csv").toAbsolutePath()));
        expectFailure("unfilledVariable", m -> m.equals("@LoadProfile(http.path) value \"/items/{id}\" is not allowed:"
                + " expected a template whose {id} has a value: give http.feed = @Feed(file = \"...\") or"
                + " @Feed(method = \"...\") with a column id"));
        expectFailure("missingColumn", m -> m.startsWith("@LoadProfile(http.requests[0].path) value \"/items/{sku}\" is not"
                + " allowed: expected a template whose {sku} has a value, but row 1 of the feed"));
        expectFailure("unsetEnvironment", m -> m.equals("@LoadProfile(http.headers) value \"${env:DYNO_NO_SUCH_VARIABLE}\""
                + " is not allowed: expected a template whose ${env:DYNO_NO_SUCH_VARIABLE} is set: the environment variable"
                + " DYNO_NO_SUCH_VARIABLE is not set in this test JVM"));
        expectFailure("twoChecks", m -> m.equals("@LoadProfile(http.checks[0]) value \"bodyContains and header\" is not"
                + " allowed: expected exactly one of bodyContains, bodyMatches, jsonPointer (with equalTo) or header"));
        expectFailure("reservedName", m -> m.startsWith("@LoadProfile(http.requests[0].name) value \"latency\" is not allowed"));
        Path missing = temp.resolve("missing.p12");
        Outcome trust = run("insecure", DynoConfiguration.LOAD_TLS_TRUST_STORE_PROPERTY, missing.toString());
        trust.events().assertThatEvents().haveExactly(1, event(finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                message("dyno.load.tls.trustStore = \"" + missing + "\": allowed is a readable JKS or PKCS12 trust store,"
                        + " but there is no readable file " + missing))));
    }

    private void expectFailure(String method, java.util.function.Predicate<String> expected) throws IOException {
        run(method).events().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class), message(expected))));
    }

    // --- @LoadProfile(agents = N): load agents in JVMs of their own, their interval logs merged

    /** This JVM's agent processes, by their command line (from /proc: ProcessHandle's is empty for a long class path). */
    private static List<ProcessHandle> agentProcesses() {
        return ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).filter(p -> {
            try {
                return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"), StandardCharsets.ISO_8859_1)
                        .contains(LoadAgent.class.getName());
            } catch (IOException gone) {
                return false;
            }
        }).toList();
    }

    @Test
    @DisplayName("agents = 2: two agent JVMs send the declared mix, feed and secret, every other request each, from one start; the merged counts and histograms are the whole schedule's, thresholds see them, and no agent is left running")
    void spikeFromTwoAgents() throws IOException {
        String secret = secret();
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            Outcome outcome = run("spikeFromAgents", DynoConfiguration.LOAD_RESOLVE_PROPERTY, resolve(server, 8080));

            outcome.events().assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
            LoadRun run = LAST_RUN.get();
            assertThat(run.phases()).extracting(PhaseStats::name).containsExactly("baseline", "spike", "recovery");
            // 20, 100 and 20 req/s for 2 s each, sent as 10, 50 and 10 by each agent: every request is counted once
            assertThat(run.phases()).extracting(PhaseStats::requests).containsExactly(40L, 200L, 40L);
            assertThat(run.phase("spike").ok()).isEqualTo(200);
            assertThat(run.phase("spike").latency().count()).isEqualTo(200);
            assertThat(run.phase("spike").targetRps()).isEqualTo(100.0);
            // the report's timeline: a step per phase, in order, each about its 2 s
            List<dev.dyno.view.Step> steps = LoadReport.steps(run);
            assertThat(steps).extracting(dev.dyno.view.Step::name).containsExactly("phase baseline", "phase spike",
                    "phase recovery");
            assertThat(steps).allSatisfy(step -> assertThat(step.duration()).isBetween(java.time.Duration.ofMillis(1900),
                    java.time.Duration.ofSeconds(10)));
            assertThat(steps.get(1).start()).isAfterOrEqualTo(steps.get(0).start().plusMillis(1900));
            assertThat(server.requests()).hasSize(280)
                    .allSatisfy(r -> assertThat(r).contains("\r\nAuthorization: Bearer " + secret + "\r\n"));
            assertThat(server.requests()).filteredOn(r -> r.startsWith("POST /orders")).hasSize(84);
            assertThat(outcome.console()).contains("spike profile from 2 agents (", "each sending every 2nd request of every phase's schedule")
                    .doesNotContain(secret);
            assertThat(outcome.results()).contains("load.agents", "spike.items.latency").doesNotContain(secret);
            assertThat(agentProcesses()).isEmpty();
        }
    }

    @Test
    @DisplayName("agents = 2, agentRuntime = \"docker\", over two engines (dyno.docker.hosts): one agent a container of each, with this JVM's class path copied in and the annotation's ${env:…} variables passed; the merged run is the whole schedule, the report says which engine ran which agent, and no container is left")
    void agentsInContainers() throws IOException {
        dev.dyno.runtime.Runtimes.assumeDocker();
        // the second engine of .ci/second-engine, on this machine: its containers reach the server on 127.0.0.1 too
        String second = System.getProperty("dyno.test.second-engine", "tcp://127.0.0.1:23750?certs=/tmp/dyno-engine2/certs");
        try (dev.dyno.runtime.DockerRuntime probe = dev.dyno.runtime.DockerRuntime.open(DynoConfiguration.current()
                .with(DynoConfiguration.DOCKER_HOSTS_PROPERTY, second))) {
            probe.runId();
        } catch (dev.dyno.runtime.RuntimeUnavailableException e) {
            dev.dyno.config.DynoAssumptions.abort("needs the second engine (bash .ci/second-engine start): " + e.getMessage());
        }
        String secret = secret();
        var client = org.testcontainers.DockerClientFactory.instance().client();
        Map<String, String> ours = Map.of(dev.dyno.runtime.DockerRuntime.OWNER_PID_LABEL,
                String.valueOf(ProcessHandle.current().pid()));
        int containersBefore = client.listContainersCmd().withShowAll(true).withLabelFilter(ours).exec().size();
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            Outcome outcome = run("spikeFromAgentsInContainers", DynoConfiguration.LOAD_RESOLVE_PROPERTY,
                    resolve(server, 8080),
                    // the engine test kit does not read system properties: the build's image, passed on
                    DynoConfiguration.DOCKER_IMAGE_PROPERTY, System.getProperty(DynoConfiguration.DOCKER_IMAGE_PROPERTY,
                            dev.dyno.runtime.DockerRuntime.DEFAULT_IMAGE),
                    DynoConfiguration.DOCKER_HOSTS_PROPERTY, "default, " + second);

            outcome.events().assertThatEvents().haveExactly(1, event(finishedSuccessfully()));
            LoadRun run = LAST_RUN.get();
            assertThat(run.phases()).extracting(PhaseStats::requests).containsExactly(20L, 100L, 20L);
            assertThat(run.phase("spike").ok()).isEqualTo(100);
            assertThat(server.requests()).hasSize(140)
                    .allSatisfy(r -> assertThat(r).contains("\r\nX-Token: " + secret + "\r\n"))
                    .extracting(r -> r.substring(0, r.indexOf(' ', 4))).containsOnly("GET /items/7", "GET /items/8");
            String secondEngine = second.substring(0, second.indexOf('?'));
            assertThat(outcome.console()).containsPattern("spike profile from 2 agents \\(agent 1: Docker engine unix://\\S+ "
                    + "\\(on this machine\\); agent 2: Docker engine " + java.util.regex.Pattern.quote(secondEngine)
                    + " \\(remote; endpoints on 127.0.0.1\\)\\)");
        }
        assertThat(client.listContainersCmd().withShowAll(true).withLabelFilter(ours).exec()).as("containers of this JVM")
                .hasSize(containersBefore);
    }

    @Test
    @DisplayName("agents = 2: an agent killed mid-run fails the test at once with its name and exit code, and the other agent is stopped")
    void killedAgentFailsTheRun() throws Exception {
        java.util.concurrent.atomic.AtomicBoolean killed = new java.util.concurrent.atomic.AtomicBoolean();
        try (RawHttpServer server = new RawHttpServer(RawHttpServer.OK)) {
            Thread killer = new Thread(() -> {
                long deadline = System.nanoTime() + 30_000_000_000L;
                while (server.requests().size() < 20 && System.nanoTime() < deadline) {
                    java.util.concurrent.locks.LockSupport.parkNanos(10_000_000);
                }
                agentProcesses().stream().findFirst().ifPresent(agent -> killed.set(agent.destroyForcibly()));
            });
            killer.start();
            Outcome outcome = run("soakFromAgents", DynoConfiguration.LOAD_RESOLVE_PROPERTY, resolve(server, 8080));
            killer.join();
            assertThat(killed.get()).as("an agent process was found and killed").isTrue();

            outcome.events().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                    message(m -> m.matches("(?s).*load-agent-\\d died with exit code \\d+ during the soak profile, so the run"
                            + " has no result; its last output:.*")))));
            assertThat(agentProcesses()).isEmpty();
        }
    }

    @Test
    @DisplayName("agents: a stress profile, a LoadTarget method, 65 agents or an unknown agentRuntime is rejected before anything starts, naming the attribute, the value and what is allowed")
    void agentsRejectWhatTheyCannotSend() throws IOException {
        run("stressFromAgents").events().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@LoadProfile(agents) value \"2\" is not allowed: expected 0 with a stress profile: agents send"
                        + " open-model profiles of fixed schedule (spike, soak, ramp); a stress search decides each step"
                        + " from the last, in one JVM"))));
        run("tooManyAgents").events().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@LoadProfile(agents) value \"65\" is not allowed: expected 0 (the load is sent from this JVM)"
                        + " or a number of agents from 1 to 64"))));
        run("agentsOnTheMoon").events().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message("@LoadProfile(agentRuntime) value \"moon\" is not allowed: expected \"process\" (JVMs of this"
                        + " machine) or \"docker\" (containers of the configured engine)"))));
        run("methodTargetFromAgents").events().assertThatEvents().haveExactly(1, event(finishedWithFailure(
                instanceOf(ExtensionConfigurationException.class),
                message(m -> m.startsWith("@LoadProfile(agents) value \"2\" is not allowed: expected 0 with target = "
                        + "\"...\": a LoadTarget is Java code in this JVM")))));
    }

    @ExtendWith(LoadProfileExtensionTests.OnlyInTestKit.class)
    static class Cases {
        static final String ITEMS_CSV = "src/test/resources/dev/dyno/load/items.csv";

        static List<Map<String, Object>> ids() {
            return List.of(Map.of("id", 7), Map.of("id", 8));
        }

        @LoadProfile(http = @Http(url = "http://" + HOST + ":8080", connections = 4,
                headers = "Authorization: Bearer ${env:DYNO_TEST_SECRET}",
                feed = @Feed(file = ITEMS_CSV),
                requests = {
                    @Request(name = "items", weight = 70, path = "/items/{id}"),
                    @Request(name = "orders", weight = 30, method = "POST", path = "/orders",
                            body = "{\"item\":\"{id}\",\"name\":\"{name}\"}")}),
                load = @Load(name = "users", requests = 1000, concurrency = 4),
                thresholds = {"users.items.latency count == 700", "users.orders.latency count == 300",
                    "users.items.ok == 700", "users.orders.failed == 0"})
        void mix(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(http = @Http(url = "http://" + HOST + ":8080", path = "/items/{id}", feed = @Feed(method = "ids"),
                checks = {@Check(bodyContains = "\"ok\""), @Check(bodyMatches = "\"status\":\"o.\""),
                    @Check(jsonPointer = "/items/0/id", equalTo = "7"), @Check(header = "ETag")}),
                load = @Load(name = "users", requests = 20, concurrency = 2))
        void checked(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(http = @Http(url = "http://" + HOST + ":8080", connections = 1,
                headers = "X-Token: ${env:DYNO_TEST_SECRET}",
                requests = {
                    @Request(name = "contains", path = "/a", checks = @Check(bodyContains = "gone")),
                    @Request(name = "matches", path = "/b", checks = @Check(bodyMatches = "\"status\":\"x+\"")),
                    @Request(name = "json", path = "/c", checks = @Check(jsonPointer = "/status", equalTo = "down")),
                    @Request(name = "header", path = "/d", checks = @Check(header = "X-Missing"))}),
                load = @Load(name = "users", requests = 40, concurrency = 1))
        void failingChecks(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(http = @Http(url = "https://" + HOST + ":8443/", insecure = true, connections = 2),
                load = @Load(name = "users", requests = 10, concurrency = 2))
        void insecure(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(http = @Http(url = "https://staging.example.test", resolve = "staging.example.test:443:127.0.0.1",
                headers = "Authorization: Bearer ${env:STAGING_TOKEN}",
                feed = @Feed(file = "src/test/resources/dev/dyno/load/items.jsonl", order = "random"),
                requests = {@Request(name = "items", weight = 3, path = "/items/{id}"),
                    @Request(name = "orders", method = "POST", path = "/orders", body = "{\"item\":\"{id}\"}")}),
                load = @Load(name = "users", requests = 10, concurrency = 1))
        void remote() {
        }

        @LoadProfile(http = @Http(url = "https:///health"), load = @Load(name = "users", requests = 1, concurrency = 1))
        void noHost() {
        }

        @LoadProfile(http = @Http(url = "http://127.0.0.1:1", path = "/items/{id}", feed = @Feed(file = "no-such-items.csv")),
                load = @Load(name = "users", requests = 1, concurrency = 1))
        void missingFeedFile() {
        }

        @LoadProfile(http = @Http(url = "http://127.0.0.1:1", path = "/items/{id}"),
                load = @Load(name = "users", requests = 1, concurrency = 1))
        void unfilledVariable() {
        }

        @LoadProfile(http = @Http(url = "http://127.0.0.1:1", feed = @Feed(file = ITEMS_CSV),
                requests = @Request(name = "items", path = "/items/{sku}")),
                load = @Load(name = "users", requests = 1, concurrency = 1))
        void missingColumn() {
        }

        @LoadProfile(http = @Http(url = "http://127.0.0.1:1", headers = "X-Token: ${env:DYNO_NO_SUCH_VARIABLE}"),
                load = @Load(name = "users", requests = 1, concurrency = 1))
        void unsetEnvironment() {
        }

        @LoadProfile(http = @Http(url = "http://127.0.0.1:1", checks = @Check(bodyContains = "a", header = "b")),
                load = @Load(name = "users", requests = 1, concurrency = 1))
        void twoChecks() {
        }

        @LoadProfile(http = @Http(url = "http://127.0.0.1:1", requests = @Request(name = "latency")),
                load = @Load(name = "users", requests = 1, concurrency = 1))
        void reservedName() {
        }

        @LoadProfile(agents = 2, http = @Http(url = "http://" + HOST + ":8080", connections = 4,
                headers = "Authorization: Bearer ${env:DYNO_TEST_SECRET}",
                feed = @Feed(file = ITEMS_CSV),
                requests = {
                    @Request(name = "items", weight = 70, path = "/items/{id}"),
                    @Request(name = "orders", weight = 30, method = "POST", path = "/orders",
                            body = "{\"item\":\"{id}\",\"name\":\"{name}\"}")}),
                spike = @Spike(baselineRps = 20, spikeRps = 100, phase = "2s"),
                thresholds = {"spike.requests == 200", "spike.latency count == 200", "spike.items.latency count == 140",
                    "baseline.ok == 40", "recovery.failed == 0"})
        void spikeFromAgents(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(agents = 2, agentRuntime = "docker",
                http = @Http(url = "http://" + HOST + ":8080", path = "/items/{id}", feed = @Feed(method = "ids"),
                headers = "X-Token: ${env:DYNO_TEST_SECRET}"),
                spike = @Spike(baselineRps = 10, spikeRps = 50, phase = "2s"))
        void spikeFromAgentsInContainers(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(agents = 2, http = @Http(url = "http://" + HOST + ":8080"), soak = @Soak(rps = 50, duration = "20s", window = "5s"))
        void soakFromAgents(LoadRun run) {
            LAST_RUN.set(run);
        }

        @LoadProfile(agents = 2, http = @Http(url = "http://127.0.0.1:1"),
                stress = @Stress(startRps = 1, stepRps = 1, maxRps = 2))
        void stressFromAgents() {
        }

        @LoadProfile(agents = 65, http = @Http(url = "http://127.0.0.1:1"), spike = @Spike(baselineRps = 1, spikeRps = 2))
        void tooManyAgents() {
        }

        @LoadProfile(agents = 2, agentRuntime = "moon", http = @Http(url = "http://127.0.0.1:1"),
                spike = @Spike(baselineRps = 1, spikeRps = 2))
        void agentsOnTheMoon() {
        }

        LoadTarget quick() {
            return LoadTarget.call("quick", 1, () -> null);
        }

        @LoadProfile(agents = 2, target = "quick", spike = @Spike(baselineRps = 1, spikeRps = 2))
        void methodTargetFromAgents() {
        }
    }
}
