package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dyno.metrics.MetricsSnapshot;
import dev.dyno.metrics.Recorder;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Open-model load against targets that can and cannot carry it: 100 req/s offered for 2 s, to a
 * target that carries about 20 req/s (one worker or connection, 50 ms an answer) and to one that
 * carries far more.
 */
@DisplayName("Whether the target kept up")
@Timeout(60)
class TargetPaceTests {

    private static final double OFFERED = 100;
    private static final Duration PLANNED = Duration.ofSeconds(2);
    private static final Duration DRAIN = Duration.ofSeconds(1);
    /**
     * Generous for a busy 2-core machine, and still far below what the backlog would need without
     * the bound: 200 requests at 20 req/s take 10 s.
     */
    private static final Duration AT_MOST = PLANNED.plus(DRAIN).plusMillis(2500);

    private static LoadTarget oneWorker50ms() {
        return LoadTarget.call("one worker, 50 ms a call", 1, () -> {
            Thread.sleep(50);
            return null;
        });
    }

    private static LoadTarget fourWorkers1ms() {
        return LoadTarget.call("four workers, 1 ms a call", 4, () -> {
            Thread.sleep(1);
            return null;
        });
    }

    private record Measured(LoadRun run, List<String> progress, MetricsSnapshot metrics, Duration took) {
        PhaseStats phase() {
            return run.phase("ramp-1");
        }
    }

    /** A one-stage ramp at a constant 100 req/s, run as @LoadProfile runs it, with a drain bound of 1 s. */
    private static Measured ramp(LoadTarget target) {
        Recorder recorder = Recorder.create();
        List<String> progress = new CopyOnWriteArrayList<>();
        LoadPlan plan = new LoadPlan(new LoadPlan.RampPlan(List.of(new LoadPlan.Stage("ramp-1", OFFERED, OFFERED, PLANNED))),
                null, null, List.of(), false, 1000, Duration.ofMillis(5), DRAIN, 1, 0, "process");
        try (target;
             LoadGenerator generator = new LoadGenerator(target, recorder, LoadGenerator.Settings.DEFAULT
                     .withDrainTimeout(DRAIN).withTick(Duration.ofMillis(250)));
             ResourceTracker tracker = new ResourceTracker(null, null, recorder, () -> "-", Duration.ofSeconds(1))) {
            long start = System.nanoTime();
            LoadRun run = new LoadExperiment(plan, generator, recorder, tracker, progress::add).run(target.description());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            progress.forEach(line -> System.out.println("[TargetPaceTests] " + line));
            return new Measured(run, progress, recorder.snapshot(), took);
        }
    }

    @Test
    @DisplayName("a Java target with one worker at 50 ms a call, offered 100 req/s: flagged with both rates, ended at the drain bound, the rest abandoned")
    void slowJavaTarget() {
        Measured m = ramp(oneWorker50ms());
        PhaseStats phase = m.phase();
        TargetPace pace = phase.pace();
        System.out.println("[TargetPaceTests] slow Java target: " + pace.describe() + "; run took " + m.took().toMillis() + " ms");

        assertThat(m.took()).isGreaterThanOrEqualTo(PLANNED.plus(DRAIN).minusMillis(100)).isLessThan(AT_MOST);
        assertThat(phase.duration()).isGreaterThanOrEqualTo(PLANNED.plus(DRAIN).minusMillis(100)).isLessThan(AT_MOST);
        assertThat(pace.offeredRps()).isEqualTo(OFFERED);
        assertThat(pace.achievedRps()).isBetween(10.0, 30.0);
        assertThat(pace.keptUp()).isFalse();
        assertThat(phase.requests()).isEqualTo(200);
        assertThat(phase.abandoned()).isPositive().isEqualTo(m.run().abandoned());
        assertThat(pace.answered() + phase.abandoned()).isEqualTo(phase.requests());
        assertThat(pace.waitedForConnections()).isTrue();

        assertThat(m.progress()).anySatisfy(line -> assertThat(line).startsWith("WARNING phase ramp-1: the target is not"
                + " keeping up: ").contains("of the 100 req/s offered"));
        assertThat(m.progress()).anySatisfy(line -> assertThat(line).startsWith("ramp-1: schedule done, ")
                .contains("waiting at most 1.00s for them"));
        assertThat(m.progress()).contains("WARNING phase ramp-1: " + pace.describe());
        assertThat(pace.describe()).contains(phase.abandoned() + " abandoned when the drain bound ended the wait");

        assertThat(m.metrics().attributes()).containsEntry("load.target.pace", "phase ramp-1: " + pace.describe());
        assertThat(m.metrics().gauge("ramp-1.offered_rps").orElseThrow().value()).isEqualTo(OFFERED);
        assertThat(m.metrics().gauge("ramp-1.achieved_rps").orElseThrow().value()).isEqualTo(pace.achievedRps());
        assertThat(m.metrics().counter("ramp-1.abandoned")).isEqualTo(phase.abandoned());
        assertThat(m.metrics().counter("ramp-1.queued")).isEqualTo(pace.queued()).isPositive();

        // A busy machine can make the generator late too; the failure then says so in a note.
        GeneratorHealth generator = m.run().generator();
        String note = generator.behindSchedule() ? "\nnote: " + generator.describe() : "";
        assertThatThrownBy(() -> LoadAssertions.assertThat(m.run()).targetKeptUp())
                .hasMessage(ShouldKeepUp.shouldKeepUp(m.run(), TargetPace.DEFAULT_TOLERANCE, List.of(phase), note)
                        .create(new org.assertj.core.description.TextDescription(""),
                                new org.assertj.core.presentation.StandardRepresentation()));
    }

    @Test
    @DisplayName("negative control: a Java target with four workers at 1 ms a call keeps up with 100 req/s and is not flagged")
    void fastJavaTarget() {
        Measured m = ramp(fourWorkers1ms());
        PhaseStats phase = m.phase();
        System.out.println("[TargetPaceTests] fast Java target: " + phase.pace().describe() + "; run took "
                + m.took().toMillis() + " ms");

        assertThat(m.took()).isLessThan(PLANNED.plus(DRAIN));
        assertThat(phase.pace().keptUp()).isTrue();
        assertThat(phase.pace().achievedRps()).isBetween(90.0, 110.0);
        assertThat(phase.abandoned()).isZero();
        assertThat(phase.pace().waitedForConnections()).isFalse();
        // The generator's own lateness on a busy machine is warned about apart ("WARNING the generator …").
        assertThat(m.progress()).noneMatch(line -> line.startsWith("WARNING phase") || line.contains("schedule done"));
        assertThat(m.metrics().attributes()).doesNotContainKey("load.target.pace");
        LoadAssertions.assertThat(m.run()).targetKeptUp();
        LoadAssertions.assertThat(phase).keptUp();
    }

    @Test
    @DisplayName("an HTTP target on one connection to a server that takes 50 ms an answer: requests wait for the connection, and the run says so")
    void slowHttpTargetOnOneConnection() throws IOException {
        try (StallingServer server = new StallingServer()) {
            server.takeForEachAnswer(50);
            Measured m = ramp(LoadTarget.http(HttpRequestSpec.get(server.uri()).withConnections(1)));
            TargetPace pace = m.phase().pace();
            System.out.println("[TargetPaceTests] slow HTTP target, one connection: " + pace.describe() + "; run took "
                    + m.took().toMillis() + " ms");

            assertThat(m.took()).isLessThan(AT_MOST);
            assertThat(pace.keptUp()).isFalse();
            assertThat(pace.achievedRps()).isBetween(10.0, 30.0);
            assertThat(m.phase().abandoned()).isPositive();
            assertThat(pace.waitedForConnections()).isTrue();
            assertThat(pace.queueWait().percentile(99)).isGreaterThan(Duration.ofMillis(500));
            assertThat(pace.describe()).contains("for a free connection or worker")
                    .contains("the connections (@Http(connections)) or worker threads could not carry the offered rate");
        }
    }

    @Test
    @DisplayName("negative control: an HTTP target on four connections to a server that answers at once keeps up")
    void fastHttpTarget() throws IOException {
        try (StallingServer server = new StallingServer()) {
            Measured m = ramp(LoadTarget.http(HttpRequestSpec.get(server.uri()).withConnections(4)));
            TargetPace pace = m.phase().pace();
            System.out.println("[TargetPaceTests] fast HTTP target: " + pace.describe());

            assertThat(pace.keptUp()).isTrue();
            assertThat(m.phase().abandoned()).isZero();
            assertThat(m.phase().ok()).isEqualTo(200);
            assertThat(m.progress()).noneMatch(line -> line.startsWith("WARNING phase"));
        }
    }
}
