package dev.dyno.longtail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Holds started tasks back until they are released together: each task's command is prefixed
 * with a shell that opens a named pipe for reading, which blocks until {@link #open()} opens it
 * for writing; then it {@code exec}s the task (same pid). Process starts take milliseconds each,
 * so without a gate the first of forty tasks would run for a quarter of a second alone.
 */
final class StartGate implements AutoCloseable {

    private static final String WAIT_SCRIPT = "exec 3<\"$0\" && exec 3<&- && exec \"$@\"";
    private static final long WAIT_FOR_BLOCKED_MILLIS = 3_000;

    private final Path fifo;
    private RandomAccessFile writer;

    private StartGate(Path fifo) {
        this.fifo = fifo;
    }

    static StartGate create(Path fifo) throws IOException {
        try {
            Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).redirectErrorStream(true).start();
            String output = new String(mkfifo.getInputStream().readAllBytes());
            if (!mkfifo.waitFor(10, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                throw new IOException("mkfifo " + fifo + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + fifo, e);
        }
        return new StartGate(fifo);
    }

    /** What goes before a task's command so that it waits at this gate. */
    List<String> prefix() {
        return List.of("bash", "-c", WAIT_SCRIPT, fifo.toString());
    }

    /** Waits (a few seconds at most) until each process is blocked at the gate. */
    void awaitWaiting(List<Long> pids) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_FOR_BLOCKED_MILLIS);
        for (long pid : pids) {
            while (!blocked(pid) && System.nanoTime() < deadline && ProcessHandle.of(pid).isPresent()) {
                Thread.sleep(1);
            }
        }
    }

    private static boolean blocked(long pid) {
        try {
            String wchan = Files.readString(Path.of("/proc", Long.toString(pid), "wchan")).strip();
            return wchan.equals("wait_for_partner") || wchan.equals("fifo_open");
        } catch (IOException e) {
            return false;
        }
    }

    /** Releases every task waiting at the gate (and any that arrives later); returns when, in nanoTime. */
    long open() throws InterruptedException {
        try {
            // read-write: on Linux that open never blocks, even if no task reached the gate
            writer = new RandomAccessFile(fifo.toFile(), "rw");
        } catch (IOException e) {
            throw new IllegalStateException("could not open the start gate " + fifo, e);
        }
        return System.nanoTime();
    }

    @Override
    public void close() {
        try {
            if (writer != null) {
                writer.close();
            }
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            // the run directory is removed next anyway
        }
    }
}
