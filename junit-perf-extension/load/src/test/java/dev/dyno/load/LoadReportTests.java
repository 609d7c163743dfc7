package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.dyno.load.StressStep.Verdict;
import dev.dyno.metrics.Recorder;
import dev.dyno.view.Chart;
import dev.dyno.view.Marker;
import dev.dyno.view.Series;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The load report")
class LoadReportTests {

    private static final GeneratorHealth ON_TIME = new GeneratorHealth(timer(Duration.ofNanos(40_000)), 100, 0,
            Duration.ofMillis(5));

    private static dev.dyno.metrics.TimerSnapshot timer(Duration... values) {
        Recorder recorder = Recorder.create();
        for (Duration value : values) {
            recorder.timer("latency").record(value);
        }
        return recorder.timer("latency").snapshot();
    }

    private static StressStep step(double rps, Verdict verdict, Duration... latencies) {
        long requests = Math.round(rps * 2);
        long ok = verdict == Verdict.BREAKING ? requests / 2 : requests;
        PhaseStats stats = new PhaseStats("stress-" + ArrivalRatePacer.fmt(rps) + "rps", rps, 0, requests, ok,
                requests - ok, 0, ok < requests ? Map.of(Outcome.TIMEOUT, requests - ok) : Map.of(), timer(latencies),
                timer(latencies), Duration.ofSeconds(2), PhaseStatsAssertTests.pace(rps, rps, requests, 0));
        return new StressStep(rps, -1, stats, verdict, false);
    }

    private static LoadRun stress(List<StressStep> steps, BreakingPoint breakingPoint) {
        return new LoadRun("stress", "in process", steps.stream().map(StressStep::stats).toList(), steps, breakingPoint,
                List.of(), null, ON_TIME, List.of(), null);
    }

    private static Chart chart(List<Chart> charts, String title) {
        return charts.stream().filter(c -> c.title().equals(title)).findFirst().orElseThrow();
    }

    @Test
    @DisplayName("a tick's offered rate is the requests scheduled since the last tick over the time between them, its"
            + " latencies the percentiles of its answers in ms, NaN when none succeeded")
    void timelineTicks() {
        LoadTimeline timeline = new LoadTimeline();
        long start = System.nanoTime();
        Histogram latency = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
        for (int ms = 1; ms <= 100; ms++) {
            latency.recordValue(TimeUnit.MILLISECONDS.toNanos(ms));
        }
        timeline.tick(start + 500_000_000L, 0, new Histogram(3), 0, 0);
        timeline.tick(start + 1_000_000_000L, 20, latency, 100, 10);
        timeline.tick(start + 3_000_000_000L, 30, new Histogram(3), 0, 4);

        List<LoadTimeline.Tick> ticks = timeline.ticks();
        assertThat(ticks).hasSize(3);
        assertThat(ticks.get(1).offeredRps()).isCloseTo(40, within(1e-9));
        assertThat(ticks.get(1).achievedRps()).isCloseTo(200, within(1e-9));
        assertThat(ticks.get(1).failedRps()).isCloseTo(20, within(1e-9));
        assertThat(ticks.get(1).p50Ms()).isCloseTo(50, within(0.1));
        assertThat(ticks.get(1).p90Ms()).isCloseTo(90, within(0.1));
        assertThat(ticks.get(1).p99Ms()).isCloseTo(99, within(0.1));
        assertThat(ticks.get(1).maxMs()).isCloseTo(100, within(0.1));
        assertThat(ticks.get(2).offeredRps()).isCloseTo(5, within(1e-9));
        assertThat(ticks.get(2).hasLatency()).isFalse();
        assertThat(Duration.between(ticks.get(1).at(), ticks.get(2).at())).isEqualTo(Duration.ofSeconds(2));

        String csv = LoadReport.timelineCsv(ticks, ticks.get(0).at());
        assertThat(csv.lines().toList()).hasSize(4);
        assertThat(csv.lines().toList().get(0)).isEqualTo("time_s,offered_rps,achieved_rps,failed_rps,p50_ms,p90_ms,p99_ms,max_ms");
        assertThat(csv.lines().toList().get(3)).isEqualTo("2.500,5.000,0.000,2.000,,,,");
    }

    @Test
    @DisplayName("a stress run's latency and rates by offered rate mark the breaking point with its rate, and compare the"
            + " first, the last good and the breaking step on a scale of nines")
    void stressCharts() {
        List<StressStep> steps = new ArrayList<>();
        steps.add(step(10, Verdict.GOOD, Duration.ofMillis(5), Duration.ofMillis(8)));
        steps.add(step(20, Verdict.GOOD, Duration.ofMillis(6), Duration.ofMillis(9)));
        steps.add(step(30, Verdict.DEGRADING, Duration.ofMillis(20), Duration.ofMillis(40)));
        steps.add(step(40, Verdict.BREAKING, Duration.ofMillis(200), Duration.ofMillis(900)));
        LoadRun run = stress(steps, new BreakingPoint(40, 30, "success 50.0% < 95%"));

        List<Chart> charts = LoadReport.charts(run, Instant.now());

        // no ticks, no charts over time: this run was not timed
        assertThat(charts).extracting(Chart::title).containsExactly("stress: latency by offered rate",
                "stress: achieved by offered rate", "latency by percentile, by phase");
        Marker breaking = Marker.vertical(40, "breaking point 40 req/s");
        Chart latency = chart(charts, "stress: latency by offered rate");
        assertThat(latency.markers()).containsExactly(breaking);
        assertThat(latency.series().get(0).x()).containsExactly(10, 20, 30, 40);
        assertThat(latency.series()).extracting(Series::name).containsExactly("p50", "p90", "p99", "max");
        assertThat(latency.series().get(3).y()).containsExactly(new double[] {8, 9, 40, 900}, within(1.0));
        Chart rates = chart(charts, "stress: achieved by offered rate");
        assertThat(rates.markers()).containsExactly(breaking);
        assertThat(rates.series().get(0).y()).containsExactly(10, 20, 30, 40);
        assertThat(rates.series().get(1).y()).containsExactly(new double[] {10, 20, 30, 20}, within(1e-9));
        Chart distributions = chart(charts, "latency by percentile, by phase");
        assertThat(distributions.x().scale()).isEqualTo(dev.dyno.view.Axis.Scale.NINES);
        assertThat(distributions.series()).extracting(Series::name)
                .containsExactly("stress-10rps", "stress-30rps", "stress-40rps");
        assertThat(distributions.series()).allSatisfy(s -> assertThat(s.group()).isEqualTo(s.name()));
        // not timed: no phase has a start, so no steps
        assertThat(LoadReport.steps(run)).isEmpty();
    }

    @Test
    @DisplayName("a stress run that held to its maximum marks no breaking point and compares its first and last step")
    void stressWithoutBreakingPoint() {
        LoadRun run = stress(List.of(step(10, Verdict.GOOD, Duration.ofMillis(5), Duration.ofMillis(8)),
                step(20, Verdict.GOOD, Duration.ofMillis(5), Duration.ofMillis(8)),
                step(30, Verdict.GOOD, Duration.ofMillis(6), Duration.ofMillis(9))), null);

        List<Chart> charts = LoadReport.charts(run, Instant.now());

        assertThat(charts).allSatisfy(c -> assertThat(c.markers()).isEmpty());
        assertThat(chart(charts, "latency by percentile, by phase").series()).extracting(Series::name)
                .containsExactly("stress-10rps", "stress-30rps");
    }

    @Test
    @DisplayName("attaches each phase as JSON and CSV and its latency as an HdrHistogram percentile file")
    void attachments() {
        LoadRun run = stress(List.of(step(10, Verdict.GOOD, Duration.ofMillis(5), Duration.ofMillis(8))), null);

        assertThat(LoadReport.attachments(run, Instant.now())).extracting(a -> a.name() + " " + a.mediaType())
                .containsExactly("load phases.json application/json", "load phases.csv text/csv",
                        "stress-10rps latency (ms).hgrm text/plain");
        assertThat(new String(LoadReport.attachments(run, Instant.now()).get(2).content(),
                java.nio.charset.StandardCharsets.UTF_8)).contains("Percentile", "1/(1-Percentile)");
    }
}
