package dev.dyno.longtail;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("The machine's CPU time, as the long-tail runs measure their noise")
class MachineLoadTests {

    @TempDir
    Path dir;

    @Test
    @DisplayName("is unknown, not zero, when /proc/stat cannot be read")
    void unreadableIsUnknown() {
        assertThat(MachineLoad.read(dir.resolve("missing"))).isEmpty();
    }

    @Test
    @DisplayName("is unknown, not zero, when /proc/stat's first line is not what the parser knows")
    void malformedIsUnknown() throws IOException {
        Path stat = Files.writeString(dir.resolve("stat"), "cpu  12 x 7\n");
        assertThat(MachineLoad.read(stat)).isEmpty();
    }

    @Test
    @DisplayName("adds user, nice, system, irq, softirq and steal ticks")
    void parses() throws IOException {
        Path stat = Files.writeString(dir.resolve("stat"), "cpu  100 2 30 9000 40 5 6 7 0 0\ncpu0 1 2 3 4 5 6 7 8\n");
        assertThat(MachineLoad.read(stat)).contains(new MachineLoad(100 + 2 + 30 + 5 + 6 + 7, 7));
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    @DisplayName("reads this machine's /proc/stat")
    void readsThisMachine() {
        assertThat(MachineLoad.read()).hasValueSatisfying(load -> assertThat(load.busyTicks()).isPositive());
    }

    @Test
    @DisplayName("gives a run whose noise is unknown a noise of NaN, never the 0 of a quiet machine")
    void unknownNoiseIsNotQuiet() {
        PolicyRun unknown = new PolicyRun("DEFAULT", 0, 2, Duration.ofSeconds(3), List.of(), Optional.empty());
        PolicyRun quiet = new PolicyRun("DEFAULT", 0, 2, Duration.ofSeconds(3), List.of(), Optional.of(Duration.ZERO));

        assertThat(unknown.noise()).isNaN();
        assertThat(quiet.noise()).isZero();
    }
}
