package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import dev.dyno.runtime.RunningWorkload;
import dev.dyno.runtime.WorkloadRuntime;
import org.apiguardian.api.API;

/**
 * Counts the replicas of the service under load, sampled once a second during a run, so the
 * report shows scaling beside latency (the guide's HPA table). Implement it to read what scales
 * your service, such as a Kubernetes Deployment's ready replicas; name the class in
 * {@link LoadProfile#scaling()} (it needs a public no-argument constructor).
 *
 * <pre>{@code
 * public class DeploymentReplicas implements ScalingObserver {
 *     public int replicas() { return kubernetes.readyReplicas("llm-inference"); }
 * }
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
@FunctionalInterface
public interface ScalingObserver extends AutoCloseable {

    /** The label key that the default observer counts: {@code app=<service>}. */
    String APP_LABEL = "app";

    /** Replicas now; negative when unknown. */
    int replicas();

    @Override
    default void close() {
    }

    /**
     * Running workloads of {@code runtime} labelled {@code key=value}: processes and containers
     * alike, since every runtime labels what it starts.
     */
    static ScalingObserver labelled(WorkloadRuntime runtime, String key, String value) {
        return () -> (int) runtime.workloads().stream()
                .filter(RunningWorkload::isRunning)
                .filter(w -> value.equals(w.spec().labels().get(key)))
                .count();
    }
}
