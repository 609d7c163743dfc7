package dev.dyno.cpuboost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Containers carrying Dyno's run label, counted with the docker CLI: independent of the code under test. */
final class DockerCensus {

    private DockerCensus() {
    }

    /** Ids of every container, running or not, that carries Dyno's run label. */
    static java.util.Set<String> dynoContainers() throws IOException, InterruptedException {
        Process ps = new ProcessBuilder("docker", "ps", "-aq", "--no-trunc", "--filter", "label=dev.dyno.run").start();
        String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (ps.waitFor() != 0) {
            throw new IOException("docker ps failed: " + new String(ps.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        return out.lines().filter(l -> !l.isBlank()).map(String::strip).collect(java.util.stream.Collectors.toSet());
    }
}
