package dev.dyno.runtime;

/**
 * Run in a forked JVM by {@link WorkloadRuntimeContract}: starts a sleeping workload, says so, and
 * then either blocks until it is killed with SIGKILL (leaving the workload for the next runtime to
 * reap) or, with a second argument {@code exit}, exits without closing the runtime (leaving it to
 * the shutdown hook).
 */
public final class OrphanedWorkloadMain {

    static final String STARTED = "STARTED";

    private OrphanedWorkloadMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        WorkloadRuntime runtime = Runtimes.open(args[0]);
        // on a network of its own (a container's is the run's bridge network), which must be reaped as well
        RunningWorkload sleeper = runtime.start(WorkloadSpec.ofCommand("sleep", "300").withPublishedPorts(8080));
        System.out.println(STARTED + " " + runtime.runId() + " " + sleeper.id());
        System.out.flush();
        if (args.length > 1 && args[1].equals("exit")) {
            System.exit(0);
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
