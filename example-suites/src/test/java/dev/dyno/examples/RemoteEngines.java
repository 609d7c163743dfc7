package dev.dyno.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dyno.config.DynoAssumptions;
import dev.dyno.runtime.DockerRuntime;
import dev.dyno.runtime.Runtimes;

/**
 * For the example classes the build runs against a second Docker engine, over TCP with TLS
 * ({@code .ci/second-engine start}, the {@code remote-engine} execution): they run only where
 * {@code DOCKER_HOST=tcp://…} names an engine that is not this machine's socket.
 */
public final class RemoteEngines {

    private RemoteEngines() {
    }

    /** Aborts the calling test class, with the reason, unless Docker is an engine over TCP. */
    public static void assumeRemoteEngine() {
        String dockerHost = System.getenv("DOCKER_HOST");
        if (dockerHost == null || !dockerHost.startsWith("tcp://")) {
            DynoAssumptions.abort("runs in the build's remote-engine execution, with DOCKER_HOST=tcp://… (it is "
                    + dockerHost + " here)");
        }
        try (DockerRuntime engine = Runtimes.requireDocker()) {
            assertThat(engine.engineOnThisMachine()).as(engine.where()).isFalse();
        }
    }
}
