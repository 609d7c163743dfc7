package dev.dyno.runtime;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * The network a workload sees.
 *
 * <p>There is deliberately no bridge network: services bind a loopback port of the host they
 * run on, and load reaches them at the {@link Endpoint} the runtime reports, with no userland
 * proxy in the measured path.
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
    NONE
}
