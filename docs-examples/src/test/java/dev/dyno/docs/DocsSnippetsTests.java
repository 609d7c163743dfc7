package dev.dyno.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Every {@code ```java} block of README.md, CONTRIBUTING.md and docs/*.md is a region of compiled
 * code. The line right before the block names it:
 *
 * <pre>
 * &lt;!-- snippet: SortPerfTest#quickstart --&gt;
 * ```java
 * </pre>
 *
 * A bare class name is a test source of this module; a path with a {@code /} is relative to the
 * repository root ({@code example-suites/src/test/java/.../CpuBoostTest.java#restoration}). The
 * region is the lines between {@code // tag::NAME[]} and {@code // end::NAME[]}, without other
 * regions' tag lines, dedented. With {@value #UPDATE_PROPERTY}{@code =true} the blocks are rewritten
 * from the regions instead of compared.
 */
@DisplayName("Java snippets in the docs")
class DocsSnippetsTests {

    static final String UPDATE_PROPERTY = "dyno.docs.update";
    static final String UPDATE_COMMAND = "./mvnw -q -pl docs-examples -am verify -Dsurefire.failIfNoSpecifiedTests=false "
            + "-Dtest=DocsSnippetsTests -D" + UPDATE_PROPERTY + "=true";

    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*snippet:\\s*(\\S+?)#([\\w.-]+)\\s*-->\\s*$");
    private static final Pattern FENCE_OPEN = Pattern.compile("^(\\s*)```\\s*(\\S*).*$");
    private static final Pattern TAG = Pattern.compile("^\\s*//\\s*(tag|end)::([\\w.-]+)\\[]\\s*$");

    private final Path root = Path.of(System.getProperty("dyno.docs.root", "..")).toAbsolutePath().normalize();
    private final boolean update = Boolean.parseBoolean(System.getProperty(UPDATE_PROPERTY, "false"));

    @Test
    @DisplayName("every Java block is marked and equals the region it names")
    void everyJavaBlockIsACompiledRegion() throws IOException {
        List<String> problems = new ArrayList<>();
        List<String> rewritten = new ArrayList<>();
        int blocks = 0;
        for (Path markdown : markdownFiles()) {
            List<String> lines = Files.readAllLines(markdown, StandardCharsets.UTF_8);
            List<String> out = new ArrayList<>();
            boolean changed = false;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                out.add(line);
                Matcher fence = FENCE_OPEN.matcher(line);
                if (!fence.matches()) {
                    continue;
                }
                String indent = fence.group(1);
                int close = closingFence(lines, i);
                String where = root.relativize(markdown) + ":" + (i + 1);
                Matcher marker = i > 0 ? MARKER.matcher(lines.get(i - 1)) : null;
                if (!fence.group(2).equals("java")) {
                    if (marker != null && marker.matches()) {
                        problems.add(where + ": a snippet marker must be followed by a ```java block");
                    }
                    out.addAll(lines.subList(i + 1, close + 1));
                    i = close;
                    continue;
                }
                blocks++;
                List<String> shown = new ArrayList<>();
                for (String body : lines.subList(i + 1, close)) {
                    shown.add((body.startsWith(indent) ? body.substring(indent.length()) : body.strip()).stripTrailing());
                }
                if (marker == null || !marker.matches()) {
                    problems.add(where + ": a ```java block without a marker line right before it, such as "
                            + "<!-- snippet: SortPerfTest#quickstart --> (every Java block must be compiled code)");
                    out.addAll(lines.subList(i + 1, close + 1));
                } else {
                    Optional<List<String>> region = region(marker.group(1), marker.group(2), where, problems);
                    if (region.isPresent() && !region.get().equals(shown)) {
                        if (update) {
                            region.get().forEach(l -> out.add(l.isEmpty() ? "" : indent + l));
                            out.add(lines.get(close));
                            changed = true;
                            rewritten.add(where + " from " + marker.group(1) + "#" + marker.group(2));
                        } else {
                            problems.add(where + ": the block differs from " + marker.group(1) + "#" + marker.group(2)
                                    + firstDifference(shown, region.get()));
                            out.addAll(lines.subList(i + 1, close + 1));
                        }
                    } else {
                        out.addAll(lines.subList(i + 1, close + 1));
                    }
                }
                i = close;
            }
            if (changed) {
                Files.write(markdown, out, StandardCharsets.UTF_8);
            }
        }
        rewritten.forEach(r -> System.out.println("[docs] rewrote " + r));
        assertThat(blocks).as("```java blocks found under " + root).isPositive();
        assertThat(problems)
                .as("Java in the docs must be compiled regions; to copy the regions into the Markdown, run%n  %s%n",
                        UPDATE_COMMAND)
                .isEmpty();
    }

    private List<Path> markdownFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        for (String name : List.of("README.md", "CONTRIBUTING.md")) {
            if (Files.isRegularFile(root.resolve(name))) {
                files.add(root.resolve(name));
            }
        }
        Path docs = root.resolve("docs");
        if (Files.isDirectory(docs)) {
            try (Stream<Path> listing = Files.list(docs)) {
                listing.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    private static int closingFence(List<String> lines, int open) {
        for (int j = open + 1; j < lines.size(); j++) {
            if (lines.get(j).strip().equals("```")) {
                return j;
            }
        }
        throw new AssertionError("line " + (open + 1) + ": a code block that is never closed");
    }

    /** The named region of a source file, without tag lines, dedented. */
    private Optional<List<String>> region(String source, String tag, String where, List<String> problems) {
        Path file = source.contains("/") ? root.resolve(source) : findTestSource(source);
        if (file == null || !Files.isRegularFile(file)) {
            problems.add(where + ": no source " + source + " (a test class of docs-examples, or a path from the "
                    + "repository root)");
            return Optional.empty();
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> region = new ArrayList<>();
        boolean inside = false;
        boolean found = false;
        for (String line : lines) {
            Matcher m = TAG.matcher(line);
            if (m.matches()) {
                if (m.group(2).equals(tag)) {
                    inside = m.group(1).equals("tag");
                    found |= inside;
                }
                continue;
            }
            if (inside) {
                region.add(line);
            }
        }
        if (!found) {
            problems.add(where + ": " + source + " has no region // tag::" + tag + "[]");
            return Optional.empty();
        }
        int margin = region.stream().filter(l -> !l.isBlank())
                .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
        return Optional.of(region.stream().map(l -> l.isBlank() ? "" : l.substring(margin).stripTrailing()).toList());
    }

    private Path findTestSource(String className) {
        Path sources = root.resolve("docs-examples/src/test/java");
        try (Stream<Path> walk = Files.walk(sources)) {
            return walk.filter(p -> p.getFileName().toString().equals(className + ".java")).findFirst().orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstDifference(List<String> shown, List<String> region) {
        for (int k = 0; k < Math.max(shown.size(), region.size()); k++) {
            String a = k < shown.size() ? shown.get(k) : "(nothing)";
            String b = k < region.size() ? region.get(k) : "(nothing)";
            if (!a.equals(b)) {
                return String.format("; block line %d is%n      %s%n    the source has%n      %s", k + 1, a, b);
            }
        }
        return "";
    }
}
