package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * One step of a stress profile: a row of the guide's table {@code RPS | Pods | Success | Avg Latency | Status}.
 *
 * @param rps       the arrival rate of the step
 * @param replicas  the most replicas seen during the step; -1 when nothing counts them
 * @param stats     what the step measured
 * @param verdict   good, degrading or breaking
 * @param narrowing whether the step was run to narrow the knee after the breaking point was found
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record StressStep(double rps, int replicas, PhaseStats stats, Verdict verdict, boolean narrowing) {

    /** How a step went. */
    public enum Verdict {
        /** Every request answered, latency near the first step's. */
        GOOD("✅ Good"),
        /** Within the breaking criteria, but with failures or latency well above the first step's. */
        DEGRADING("Degrading"),
        /** Success below the minimum, or mean latency above the maximum. */
        BREAKING("❌ Breaking");

        private final String label;

        Verdict(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Whether the step held (good or degrading). */
    public boolean held() {
        return verdict != Verdict.BREAKING;
    }
}
