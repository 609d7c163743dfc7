package dev.dyno.runtime;

import dev.dyno.metrics.MalformedMetricsJsonException;
import dev.dyno.metrics.MetricsJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * What both runtimes' workloads share: output, readiness, metrics, samples and the stop-once
 * life cycle. Subclasses say how to read the process or container.
 */
abstract class AbstractWorkload implements RunningWorkload {

    /** After the main process exits, how long to wait for children still holding its output open. */
    static final long DRAIN_AFTER_EXIT_MILLIS = 500;

    /**
     * How often a wait asks anew whether the main process exited when no event said so: a safety
     * net only. A process's exit is reported by {@link Process#onExit()} and a container's by its
     * log stream ending, each of which wakes the wait at once; what no event reports (a log stream
     * that broke off while the container runs on and then exits, an engine that ends the stream a
     * moment before it reports the container stopped) is seen on the next of these.
     */
    static final long EXIT_RECHECK_NANOS = 250_000_000L;

    /** After a failed HTTP probe, the next comes after this, doubling each time up to {@link #PROBE_BACKOFF_MAX_NANOS}. */
    static final long PROBE_BACKOFF_FIRST_NANOS = 1_000_000L;
    static final long PROBE_BACKOFF_MAX_NANOS = 10_000_000L;

    /** The {@link MetricsJson#MARKER} anywhere in a line: until it has appeared, stdout need not be parsed. */
    private static final Pattern METRICS_MARKER = Pattern.compile(Pattern.quote(MetricsJson.MARKER));

    private static final HttpClient PROBE = HttpClient.newBuilder()
            .connectTimeout(Duration.ofMillis(500))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    protected final WorkloadSpec spec;
    protected final String name;
    protected final RunId runId;
    protected final OutputCapture output;
    /** Where the JVM's recording is on this machine once it stopped: written there, or copied there from a container. */
    protected final Path jvmRecordingFile;
    private volatile JvmRecording jvmRecording;
    private final Consumer<AbstractWorkload> whenStopped;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile long exitSeenAtNanos;
    private UsageCounters previous;
    private ResourceSample lastSample;

    AbstractWorkload(WorkloadSpec spec, String name, RunId runId, Path dir, Consumer<AbstractWorkload> whenStopped) {
        this.spec = spec;
        this.name = name;
        this.runId = runId;
        this.whenStopped = whenStopped;
        this.jvmRecordingFile = dir.resolve(JvmRecording.FILE_NAME);
        this.output = new OutputCapture(dir, RETAINED_OUTPUT_CHARS,
                spec.readiness() instanceof Readiness.LogLine line ? line.pattern()
                        : spec.readiness() instanceof Readiness.MetricsJsonBlock ? METRICS_MARKER : null);
    }

    /** Whether the main process (or container) is running. */
    abstract boolean mainRunning();

    /** The exit code if it has exited. */
    abstract OptionalInt exitCodeNow();

    /** When it started, the origin of the first sample's average. */
    abstract Instant startedAt();

    /** Cumulative counters now. */
    abstract UsageCounters readCounters();

    /** Applies a checked CPU limit. */
    abstract void applyCpuLimit(double cores);

    /** Ends it: gracefully (SIGTERM, then SIGKILL after a grace) or at once, and removes its traces. */
    abstract void terminate(boolean graceful);

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final WorkloadSpec spec() {
        return spec;
    }

    @Override
    public final RunId runId() {
        return runId;
    }

    @Override
    public final boolean isRunning() {
        return !stopped.get() && mainRunning();
    }

    @Override
    public final OptionalInt exitCode() {
        return exitCodeNow();
    }

    @Override
    public final String stdout() {
        return output.text(OutputCapture.Stream.STDOUT);
    }

    @Override
    public final String stderr() {
        return output.text(OutputCapture.Stream.STDERR);
    }

    @Override
    public final Path stdoutFile() {
        return output.file(OutputCapture.Stream.STDOUT);
    }

    @Override
    public final Path stderrFile() {
        return output.file(OutputCapture.Stream.STDERR);
    }

    @Override
    public final Optional<MetricsJson> metrics() {
        Optional<MetricsJson> found = MetricsJson.find(stdout());
        if (found.isPresent() || !output.truncated(OutputCapture.Stream.STDOUT)) {
            return found;
        }
        try {
            // the block scrolled out of the retained tail: the log file has all of it
            return MetricsJson.find(Files.readString(stdoutFile(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("could not read " + stdoutFile(), e);
        }
    }

    @Override
    public final JvmRecording jvmRecording() {
        if (!spec.jvmRecording()) {
            return JvmRecording.notRequested();
        }
        JvmRecording collected = jvmRecording;
        return collected != null ? collected : JvmRecording.notYetCollected();
    }

    @Override
    public final void setCpuLimit(double cores) {
        WorkloadSpec.checkCpuLimit(cores);
        if (stopped.get() || !mainRunning()) {
            throw new IllegalStateException("cannot change the CPU limit of workload '" + name + "': it "
                    + (stopped.get() ? "was stopped" : "exited with code " + exitCodeNow().orElse(-1)));
        }
        applyCpuLimit(cores);
    }

    @Override
    public final synchronized ResourceSample sample() {
        if (stopped.get()) {
            throw new IllegalStateException("cannot sample workload '" + name + "': it was stopped");
        }
        UsageCounters now = readCounters();
        if (previous != null && lastSample != null && !now.at().isAfter(previous.at())) {
            // no reading since the last sample (a remote engine's stats come once a second): that window's figures stand
            return lastSample;
        }
        Instant from = previous == null ? startedAt() : previous.at();
        long cpuFrom = previous == null ? 0 : previous.cpuNanos();
        long wallNanos = Duration.between(from, now.at()).toNanos();
        double cores = wallNanos > 0 ? Math.max(0, now.cpuNanos() - cpuFrom) / (double) wallNanos : 0;
        previous = now;
        lastSample = new ResourceSample(now.at(), cores, Duration.ofNanos(now.cpuNanos()), now.periods(),
                now.throttledPeriods(), Duration.ofNanos(now.throttledNanos()), now.memoryBytes());
        return lastSample;
    }

    @Override
    public final void awaitReady() {
        Readiness readiness = spec.readiness();
        if (readiness instanceof Readiness.Started) {
            return;
        }
        if (!awaitReadyOrFinished(readiness, spec.readinessTimeout(), "readiness")) {
            throw new WorkloadNotReadyException("WorkloadSpec.readiness = " + readiness + " did not come true for "
                    + "workload '" + name + "' within WorkloadSpec.readinessTimeout = " + spec.readinessTimeout()
                    + "; it was stopped." + output.lastLines(10));
        }
        if (!isReady(readiness)) {
            throw new WorkloadNotReadyException("workload '" + name + "' exited with code "
                    + exitCodeNow().orElse(-1) + " before WorkloadSpec.readiness = " + readiness + " came true."
                    + metricsProblem(readiness) + output.lastLines(10));
        }
    }

    @Override
    public final boolean satisfies(Readiness readiness) {
        return isReady(java.util.Objects.requireNonNull(readiness, "readiness"));
    }

    @Override
    public final boolean awaitSatisfies(Readiness readiness, Duration timeout) {
        java.util.Objects.requireNonNull(readiness, "readiness");
        awaitReadyOrFinished(readiness, timeout, "readiness");
        return isReady(readiness);
    }

    @Override
    public final int awaitExit(Duration timeout) {
        if (!awaitReadyOrFinished(Readiness.exit(), timeout, "exit")) {
            throw new WorkloadException("workload '" + name + "' was still running after " + timeout + output.lastLines(5));
        }
        return exitCodeNow().orElseThrow(() -> new WorkloadException("workload '" + name + "' has no exit code"));
    }

    /**
     * The one wait of a workload: until {@code readiness} holds or the workload has finished,
     * false if {@code timeout} passed first ({@link Readiness#exit()}: until it finished).
     *
     * <p>Nothing here polls on an interval. The output wakes the wait as it arrives: a log line or
     * a {@link MetricsJson#MARKER} block is seen the moment its line is read; the main process's
     * exit and the ends of its streams wake it too, so an exit before readiness is reported at
     * once. Whether it finished (for a container, a call to its engine) is asked only after such an
     * ending, or every {@link #EXIT_RECHECK_NANOS} as a safety net. An HTTP probe is a request, so
     * it is sent again as soon as the last one failed, after a back-off of 1 ms doubling to 10 ms.
     */
    private boolean awaitReadyOrFinished(Readiness readiness, Duration timeout, String what) {
        boolean probing = readiness instanceof Readiness.Http;
        long backoff = PROBE_BACKOFF_FIRST_NANOS;
        // at most a year, so that the deadline cannot overflow (Duration.toNanos itself fails past 292 years)
        long deadline = System.nanoTime() + Math.min(timeout.getSeconds(), 365L * 86_400) * 1_000_000_000L
                + timeout.getNano();
        long endingsAsked = -1;
        long askExitAt = 0;
        try {
            while (true) {
                long changes = output.changes();
                if (!(readiness instanceof Readiness.Exit) && isReady(readiness)) {
                    return true;
                }
                long now = System.nanoTime();
                long endings = output.endings();
                if (endings != endingsAsked || now - askExitAt >= 0) {
                    endingsAsked = endings;
                    if (finished()) {
                        return true;
                    }
                    askExitAt = now + EXIT_RECHECK_NANOS;
                    long exitSeen = exitSeenAtNanos;
                    long drainEnds = exitSeen + drainAfterExitMillis() * 1_000_000 + 1;
                    if (exitSeen != 0 && drainEnds - askExitAt < 0) {
                        askExitAt = drainEnds; // its children may hold the output open: finished then regardless
                    }
                    now = System.nanoTime();
                }
                if (deadline - now <= 0) {
                    return false;
                }
                long wait = Math.min(deadline - now, askExitAt - now);
                if (probing) {
                    wait = Math.min(wait, backoff);
                    backoff = Math.min(backoff * 2, PROBE_BACKOFF_MAX_NANOS);
                }
                output.awaitChange(changes, wait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WorkloadException("interrupted while waiting for the " + what + " of workload '" + name + "'", e);
        }
    }

    @Override
    public final void stop() {
        end(true);
    }

    @Override
    public final void kill() {
        end(false);
    }

    @Override
    public final void close() {
        stop();
    }

    /** Starts failed or not ready: kill, then rethrow. */
    final RunningWorkload readyOrKilled() {
        try {
            awaitReady();
            return this;
        } catch (RuntimeException | Error e) {
            kill();
            throw e;
        }
    }

    final boolean stopped() {
        return stopped.get();
    }

    private void end(boolean graceful) {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        boolean killedWhileRunning = spec.jvmRecording() && !graceful && mainRunning();
        try {
            terminate(graceful);
        } finally {
            output.close();
            if (spec.jvmRecording()) {
                jvmRecording = JvmRecording.collect(jvmRecordingFile, killedWhileRunning,
                        JvmRecording.jvmStarted(stderr(), stderrFile()));
            }
            whenStopped.accept(this);
        }
    }

    /** Exited, and its output read (or its children have held the output open for a while). */
    private boolean finished() {
        if (mainRunning()) {
            return false;
        }
        long now = System.nanoTime();
        if (exitSeenAtNanos == 0) {
            exitSeenAtNanos = now;
        }
        return output.drained() || now - exitSeenAtNanos > drainAfterExitMillis() * 1_000_000;
    }

    /**
     * After the main process exited, how long its output may still take to arrive before the
     * workload counts as finished anyway: {@value #DRAIN_AFTER_EXIT_MILLIS} ms, for a child that
     * keeps the pipe open.
     */
    long drainAfterExitMillis() {
        return DRAIN_AFTER_EXIT_MILLIS;
    }

    private boolean isReady(Readiness readiness) {
        if (readiness instanceof Readiness.LogLine line) {
            return output.lineSeen(line.pattern());
        }
        if (readiness instanceof Readiness.Exit) {
            return finished();
        }
        if (readiness instanceof Readiness.MetricsJsonBlock) {
            if (!output.lineSeen(METRICS_MARKER)) {
                return false;
            }
            String out = stdout();
            if (!out.contains(MetricsJson.MARKER)) {
                return false;
            }
            try {
                return MetricsJson.find(out).isPresent();
            } catch (MalformedMetricsJsonException e) {
                return false; // the rest of the block may still be on its way
            }
        }
        if (readiness instanceof Readiness.Http http) {
            return httpOk(endpoint(http.port()).uri(http.uri().getScheme(), http.pathAndQuery()));
        }
        return true;
    }

    private String metricsProblem(Readiness readiness) {
        if (!(readiness instanceof Readiness.MetricsJsonBlock)) {
            return "";
        }
        try {
            return MetricsJson.find(stdout()).isPresent() ? "" : " No '" + MetricsJson.MARKER + "' line in its stdout.";
        } catch (MalformedMetricsJsonException e) {
            return " " + e.getMessage();
        }
    }

    private static boolean httpOk(URI uri) {
        try {
            HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(1)).GET().build();
            return PROBE.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops workloads in parallel: a run of 20 containers should not take 20 stop times to tear down. */
    static void stopAll(java.util.Collection<? extends AbstractWorkload> workloads) {
        List<AbstractWorkload> all = new java.util.ArrayList<>(workloads);
        if (all.size() <= 1) {
            all.forEach(AbstractWorkload::stop);
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, all.size()), task -> {
            Thread thread = new Thread(task, "dyno-stop");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<Future<?>> stops = new java.util.ArrayList<>();
            for (AbstractWorkload workload : all) {
                stops.add(pool.submit(workload::stop));
            }
            RuntimeException first = null;
            for (Future<?> stop : stops) {
                try {
                    stop.get();
                } catch (ExecutionException e) {
                    if (first == null) {
                        first = new WorkloadException("could not stop a workload", e.getCause());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (first != null) {
                throw first;
            }
        } finally {
            pool.shutdown();
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + name + ", id " + id() + ", run " + runId + "]";
    }
}
