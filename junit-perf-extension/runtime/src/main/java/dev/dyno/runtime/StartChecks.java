package dev.dyno.runtime;

import java.nio.file.Files;

/** Checks every runtime makes at start, before anything exists to clean up. */
final class StartChecks {

    private StartChecks() {
    }

    static void filesReadable(WorkloadSpec spec) {
        for (WorkloadSpec.FileCopy file : spec.files()) {
            if (!Files.exists(file.source()) || !Files.isReadable(file.source())) {
                throw new InvalidWorkloadSpecException("files", file.source(), "not a readable file or directory on "
                        + "this machine (to be copied to '" + file.target() + "')");
            }
        }
    }
}
