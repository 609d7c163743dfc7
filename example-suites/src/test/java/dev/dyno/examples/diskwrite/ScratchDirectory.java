package dev.dyno.examples.diskwrite;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** A directory of the test's own, deleted with everything in it when it is closed. */
record ScratchDirectory(Path path) implements AutoCloseable {

    /** The prefix of every scratch directory's name, to find what a test left behind. */
    static final String PREFIX = "dyno-disk-write-";

    static ScratchDirectory in(Path parent) throws IOException {
        return new ScratchDirectory(Files.createTempDirectory(parent, PREFIX));
    }

    /** Deletes the directory and its files; one that is already gone is fine. */
    @Override
    public void close() {
        List<Path> deepestFirst;
        try (Stream<Path> walk = Files.walk(path)) {
            deepestFirst = walk.sorted(Comparator.reverseOrder()).toList();
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new UncheckedIOException("could not list " + path + " to delete it", e);
        }
        for (Path p : deepestFirst) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                throw new UncheckedIOException("could not delete " + p, e);
            }
        }
    }
}
