package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The network a workload sees.
 *
 * <p>{@link #HOST} is the default and what a careful perf test wants: a service binds a port of
 * the host it runs on, and load reaches it at the {@link Endpoint} the runtime reports, with no
 * proxy in the measured path. {@link #BRIDGE} gives a container a network of its own and
 * publishes the ports the spec names ({@link WorkloadSpec#withPublishedPorts}): for engines
 * where host networking is not what the service should see, or not offered (Docker Desktop).
 *
 * <pre>{@code
 * WorkloadSpec.ofCommand("python3", "train.py").withNetwork(NetworkMode.NONE);
 * }</pre>
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum NetworkMode {

    /** The host's network: a service listening on 127.0.0.1:8080 is reachable at {@code endpoint(8080)}. */
    HOST,

    /** No network at all besides an isolated loopback (the process runtime uses a network namespace). */
    NONE,

    /**
     * A network of the run's own (a Docker bridge network, one per runtime), with the spec's
     * {@link WorkloadSpec#publishedPorts() published ports} reached at {@code endpoint(port)}: the
     * engine's host and the port it published. The process runtime runs such a workload on the
     * host's network, where each port is reached as itself.
     *
     * @since 0.2
     */
    BRIDGE
}
