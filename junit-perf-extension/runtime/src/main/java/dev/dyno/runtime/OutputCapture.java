package dev.dyno.runtime;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.regex.Pattern;

/**
 * One workload's output: each stream's last lines in memory (bounded by characters) and the whole
 * of it in a log file. Lines arrive from reader threads (processes) or a log consumer (containers).
 *
 * <p>It is also what a workload's waits wait on: every line, every stream's end and the main
 * process's exit ({@link #exited()}) count as a change and wake {@link #awaitChange}, so a
 * readiness condition is asked again the moment something it depends on may have changed.
 */
final class OutputCapture {

    enum Stream { STDOUT, STDERR }

    private final StreamCapture stdout;
    private final StreamCapture stderr;
    /** Patterns watched for, each with whether a line has matched it yet. */
    private final java.util.Map<String, Watch> watches = new java.util.concurrent.ConcurrentHashMap<>();
    private final CountDownLatch ended = new CountDownLatch(2);
    /** Guards the watches and the order of lines; its condition is signalled on every change. */
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    /** Lines, stream ends and exits seen so far. */
    private volatile long changes;
    /** Stream ends and exits seen so far: the moments the workload may have finished. */
    private volatile long endings;

    OutputCapture(Path dir, int retainedChars, Pattern watched) {
        this.stdout = new StreamCapture(dir.resolve("stdout.log"), retainedChars);
        this.stderr = new StreamCapture(dir.resolve("stderr.log"), retainedChars);
        if (watched != null) {
            watches.put(watched.pattern(), new Watch(watched));
        }
    }

    private static final class Watch {
        final Pattern pattern;
        volatile boolean seen;

        Watch(Pattern pattern) {
            this.pattern = pattern;
        }
    }

    void line(Stream stream, String line) {
        lock.lock();
        try {
            for (Watch watch : watches.values()) {
                if (!watch.seen && watch.pattern.matcher(line).find()) {
                    watch.seen = true;
                }
            }
            of(stream).append(line);
            changes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Whether a line matching {@code pattern} has been written to either stream. The first call
     * for a pattern searches the retained output; later lines are checked as they arrive.
     */
    boolean lineSeen(Pattern pattern) {
        Watch watch = watches.get(pattern.pattern());
        if (watch == null) {
            lock.lock();
            try {
                watch = watches.computeIfAbsent(pattern.pattern(), p -> new Watch(pattern));
                for (Stream stream : Stream.values()) {
                    for (String line : text(stream).split("\\R")) {
                        if (!watch.seen && pattern.matcher(line).find()) {
                            watch.seen = true;
                        }
                    }
                }
            } finally {
                lock.unlock();
            }
        }
        return watch.seen;
    }

    /** Called once per stream when it reaches its end. */
    void ended(Stream stream) {
        if (of(stream).end()) {
            ended.countDown();
            ending();
        }
    }

    /** Called when the workload's main process (or container) was seen to exit: wakes the waits. */
    void exited() {
        ending();
    }

    /** How many changes (lines, stream ends, exits) there have been: what {@link #awaitChange} compares with. */
    long changes() {
        return changes;
    }

    /** How many stream ends and exits there have been: a change of it means the workload may have finished. */
    long endings() {
        return endings;
    }

    /**
     * Waits until there have been more than {@code seen} changes, or {@code nanos} passed.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    void awaitChange(long seen, long nanos) throws InterruptedException {
        lock.lock();
        try {
            while (changes == seen && nanos > 0) {
                nanos = changed.awaitNanos(nanos);
            }
        } finally {
            lock.unlock();
        }
    }

    private void ending() {
        lock.lock();
        try {
            endings++;
            changes++;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    boolean drained() {
        return ended.getCount() == 0;
    }

    boolean awaitDrained(long millis) {
        try {
            return ended.await(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return drained();
        }
    }

    String text(Stream stream) {
        return of(stream).text();
    }

    boolean truncated(Stream stream) {
        return of(stream).truncated();
    }

    /** How many lines {@code stream} has received so far, retained or not. */
    long lineCount(Stream stream) {
        return of(stream).count();
    }

    Path file(Stream stream) {
        return of(stream).file;
    }

    /** The last lines of both streams, for error messages. */
    String lastLines(int count) {
        StringBuilder text = new StringBuilder();
        List<String> out = stdout.lastLines(count);
        List<String> err = stderr.lastLines(count);
        if (!out.isEmpty()) {
            text.append("\n--- last lines of stdout ---\n").append(String.join("\n", out));
        }
        if (!err.isEmpty()) {
            text.append("\n--- last lines of stderr ---\n").append(String.join("\n", err));
        }
        return text.length() == 0 ? " (no output)" : text.toString();
    }

    /** Ends both streams (idempotent), flushing and closing the files. */
    void close() {
        ended(Stream.STDOUT);
        ended(Stream.STDERR);
    }

    private StreamCapture of(Stream stream) {
        return stream == Stream.STDOUT ? stdout : stderr;
    }

    private static final class StreamCapture {
        private final Path file;
        private final int retainedChars;
        private final Deque<String> lines = new ArrayDeque<>();
        private int chars;
        private long count;
        private boolean truncated;
        private boolean ended;
        private BufferedWriter writer;
        private boolean writerFailed;

        StreamCapture(Path file, int retainedChars) {
            this.file = file;
            this.retainedChars = retainedChars;
        }

        synchronized void append(String line) {
            if (ended) {
                return;
            }
            lines.addLast(line);
            count++;
            chars += line.length() + 1;
            while (chars > retainedChars && lines.size() > 1) {
                chars -= lines.removeFirst().length() + 1;
                truncated = true;
            }
            write(line);
        }

        private void write(String line) {
            if (writerFailed) {
                return;
            }
            try {
                if (writer == null) {
                    writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                }
                writer.write(line);
                writer.write('\n');
                // flushed per line so the file is complete even if this JVM is killed
                writer.flush();
            } catch (IOException e) {
                writerFailed = true; // keep the in-memory tail; a full disk must not kill the workload's reader
            }
        }

        /** @return true the first time */
        synchronized boolean end() {
            if (ended) {
                return false;
            }
            ended = true;
            try {
                if (writer == null) {
                    writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8); // an empty log, not a missing one
                }
                writer.close();
            } catch (IOException e) {
                writerFailed = true;
            }
            return true;
        }

        synchronized String text() {
            StringBuilder text = new StringBuilder(chars);
            for (String line : lines) {
                text.append(line).append('\n');
            }
            return text.toString();
        }

        synchronized boolean truncated() {
            return truncated;
        }

        synchronized long count() {
            return count;
        }

        synchronized List<String> lastLines(int count) {
            List<String> all = new ArrayList<>(lines);
            return all.subList(Math.max(0, all.size() - count), all.size());
        }
    }
}
