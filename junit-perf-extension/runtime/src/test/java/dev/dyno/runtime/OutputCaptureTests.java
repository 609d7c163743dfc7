package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class OutputCaptureTests {

    @TempDir
    Path dir;

    @Test
    @DisplayName("memory keeps the newest lines within the bound; the log file keeps every line")
    void boundedTailWholeFile() throws IOException {
        OutputCapture capture = new OutputCapture(dir, 50, null);
        for (int i = 0; i < 100; i++) {
            capture.line(OutputCapture.Stream.STDOUT, "line " + i);
        }
        capture.close();

        assertThat(capture.text(OutputCapture.Stream.STDOUT)).endsWith("line 99\n").hasSizeLessThanOrEqualTo(50);
        assertThat(capture.truncated(OutputCapture.Stream.STDOUT)).isTrue();
        assertThat(Files.readAllLines(capture.file(OutputCapture.Stream.STDOUT))).hasSize(100).startsWith("line 0");
        assertThat(capture.file(OutputCapture.Stream.STDERR)).isEmptyFile();
    }

    @Test
    @DisplayName("a watched pattern is noticed even after its line has scrolled out of memory")
    void watchedLineSurvivesScrolling() {
        OutputCapture capture = new OutputCapture(dir, 20, Pattern.compile("ready on port \\d+"));
        capture.line(OutputCapture.Stream.STDERR, "ready on port 8080");
        for (int i = 0; i < 10; i++) {
            capture.line(OutputCapture.Stream.STDERR, "noise " + i);
        }

        assertThat(capture.text(OutputCapture.Stream.STDERR)).doesNotContain("ready");
        assertThat(capture.lineSeen(Pattern.compile("ready on port \\d+"))).isTrue();
    }

    @Test
    @DisplayName("a pattern asked about later is found in the retained lines, then watched for in new ones")
    void laterPattern() {
        OutputCapture capture = new OutputCapture(dir, 1_000, null);
        capture.line(OutputCapture.Stream.STDOUT, "Started App in 1.2 seconds");
        Pattern started = Pattern.compile("Started .* in");
        Pattern listening = Pattern.compile("listening");

        assertThat(capture.lineSeen(started)).isTrue();
        assertThat(capture.lineSeen(listening)).isFalse();
        capture.line(OutputCapture.Stream.STDERR, "now listening");
        assertThat(capture.lineSeen(listening)).isTrue();
    }

    @Test
    @DisplayName("output is drained once both streams have ended, and not before")
    void drained() {
        OutputCapture capture = new OutputCapture(dir, 100, null);
        capture.ended(OutputCapture.Stream.STDOUT);
        assertThat(capture.drained()).isFalse();

        capture.ended(OutputCapture.Stream.STDERR);

        assertThat(capture.drained()).isTrue();
    }

    @Test
    @Timeout(20)
    @DisplayName("a wait for a change is woken by a line from another thread, by a stream's end and by an exit")
    void waitsAreWokenByOutputAndExit() throws InterruptedException {
        OutputCapture capture = new OutputCapture(dir, 1_000, Pattern.compile("ready"));

        long before = capture.changes();
        Thread printer = new Thread(() -> capture.line(OutputCapture.Stream.STDOUT, "ready"));
        printer.start();
        capture.awaitChange(before, Long.MAX_VALUE); // a minute's wait and more: only the line ends it
        assertThat(capture.lineSeen(Pattern.compile("ready"))).isTrue();
        printer.join();

        long endingsBefore = capture.endings();
        long afterLine = capture.changes();
        new Thread(() -> capture.ended(OutputCapture.Stream.STDERR)).start();
        capture.awaitChange(afterLine, Long.MAX_VALUE);
        assertThat(capture.endings()).isEqualTo(endingsBefore + 1);

        long afterEnd = capture.changes();
        new Thread(capture::exited).start();
        capture.awaitChange(afterEnd, Long.MAX_VALUE);
        assertThat(capture.endings()).isEqualTo(endingsBefore + 2);
    }

    @Test
    @Timeout(20)
    @DisplayName("a wait for a change returns at once when one came before it began, and after its time otherwise")
    void waitForAChangeThatAlreadyCame() throws InterruptedException {
        OutputCapture capture = new OutputCapture(dir, 1_000, null);
        long before = capture.changes();
        capture.line(OutputCapture.Stream.STDERR, "early");

        capture.awaitChange(before, Long.MAX_VALUE);
        capture.awaitChange(capture.changes(), 1_000_000);

        assertThat(capture.changes()).isEqualTo(before + 1);
    }
}
