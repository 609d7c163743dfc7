package dev.dyno.runtime;

import dev.dyno.config.EnvironmentFingerprint;

/**
 * Run in a forked JVM by {@link DockerPreflightTests}, whose environment the test chooses (such as
 * Testcontainers' defaults, Ryuk on): prints whether Docker can run and how long finding out
 * took, then opens {@code auto} twice and prints what it chose and what the results record.
 */
public final class DockerCheckMain {

    static final String REASON = "REASON ";
    static final String MILLIS = "MILLIS ";
    static final String CHOSEN = "CHOSEN ";
    static final String RECORDED = "RECORDED ";

    private DockerCheckMain() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        String reason = Runtimes.dockerUnavailableReason().orElse("none");
        System.out.println(MILLIS + (System.nanoTime() - start) / 1_000_000);
        System.out.println(REASON + reason);
        for (int i = 0; i < 2; i++) {
            try (WorkloadRuntime runtime = Runtimes.open("auto")) {
                System.out.println(CHOSEN + runtime.name());
            }
        }
        System.out.println(RECORDED + EnvironmentFingerprint.capture().get("dyno.runtime.reason"));
    }
}
