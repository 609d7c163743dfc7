package dev.dyno.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@DisplayName("InterruptHeld: an action runs uninterrupted, and the interrupt comes back")
class InterruptHeldTests {

    @AfterEach
    void clear() {
        Thread.interrupted();
    }

    @Test
    @DisplayName("a file is written on an interrupted thread, which is interrupted again afterwards")
    void writesWhileInterrupted(@TempDir Path dir) throws IOException {
        Thread.currentThread().interrupt();
        boolean[] interruptedInside = {true};
        InterruptHeld.run(() -> {
            interruptedInside[0] = Thread.currentThread().isInterrupted();
            // a file channel closes instead of writing on an interrupted thread
            Files.writeString(dir.resolve("result.json"), "{}");
        });
        assertThat(interruptedInside[0]).isFalse();
        assertThat(dir.resolve("result.json")).hasContent("{}");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    @DisplayName("the interrupt comes back when the action throws, and the exception goes on")
    void restoresOnFailure() {
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> InterruptHeld.run(() -> {
            throw new IOException("disk full");
        })).isInstanceOf(IOException.class).hasMessage("disk full");
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
    }

    @Test
    @DisplayName("a thread that was not interrupted is not interrupted afterwards")
    void noInterruptMadeUp() {
        InterruptHeld.run(() -> { });
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }
}
