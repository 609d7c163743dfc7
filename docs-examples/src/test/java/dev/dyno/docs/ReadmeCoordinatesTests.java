package dev.dyno.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Maven coordinates README.md prints are ones this build produces: every
 * {@code <dependency>} with {@code <groupId>dev.dyno</groupId>} in an xml block names a module of
 * the root pom, its version (where given) is the project's, and the module's artifact is built.
 */
@DisplayName("Maven coordinates in README.md")
class ReadmeCoordinatesTests {

    private static final Pattern XML_BLOCK = Pattern.compile("```xml\\R(.*?)```", Pattern.DOTALL);
    private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

    private final Path root = Path.of(System.getProperty("dyno.docs.root", "..")).toAbsolutePath().normalize();
    private final String version = System.getProperty("dyno.project.version");

    @Test
    @DisplayName("name modules of this build, at its version, whose artifacts exist")
    void coordinatesAreThoseOfThisBuild() throws Exception {
        assertThat(version).as("system property dyno.project.version (set by the docs-examples pom)").isNotBlank();
        Map<String, Path> modules = modules();
        List<Map<String, String>> printed = printedCoordinates();
        assertThat(printed).as("dev.dyno dependencies in README.md's xml blocks").isNotEmpty();
        for (Map<String, String> coordinate : printed) {
            String artifactId = coordinate.get("artifactId");
            assertThat(modules).as("README.md names dev.dyno:%s; the modules of the build are %s", artifactId,
                    modules.keySet()).containsKey(artifactId);
            if (coordinate.containsKey("version")) {
                assertThat(coordinate.get("version")).as("version of dev.dyno:%s in README.md", artifactId)
                        .isEqualTo(version);
            }
            Path module = modules.get(artifactId);
            String packaging = text(pom(module.resolve("pom.xml")), "packaging", "jar");
            if ("pom".equals(coordinate.get("type"))) {
                assertThat(packaging).as("packaging of %s, imported as <type>pom</type>", artifactId).isEqualTo("pom");
            }
            if (packaging.equals("jar")) {
                Path jar = module.resolve("target").resolve(artifactId + "-" + version + ".jar");
                assertThat(jar).as("the jar of dev.dyno:%s (built before docs-examples in the reactor)", artifactId)
                        .isRegularFile();
            }
        }
    }

    /** The root pom's modules and theirs (junit-perf-extension/ is a folder of modules), by artifactId. */
    private Map<String, Path> modules() throws Exception {
        Map<String, Path> modules = new LinkedHashMap<>();
        addModules(root, modules);
        return modules;
    }

    private void addModules(Path parent, Map<String, Path> modules) throws Exception {
        NodeList names = pom(parent.resolve("pom.xml")).getElementsByTagName("module");
        for (int i = 0; i < names.getLength(); i++) {
            Path module = parent.resolve(names.item(i).getTextContent().strip()).normalize();
            modules.put(text(pom(module.resolve("pom.xml")), "artifactId", null), module);
            addModules(module, modules);
        }
    }

    private List<Map<String, String>> printedCoordinates() throws IOException {
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        List<Map<String, String>> coordinates = new ArrayList<>();
        Matcher block = XML_BLOCK.matcher(readme);
        while (block.find()) {
            Matcher dependency = DEPENDENCY.matcher(block.group(1));
            while (dependency.find()) {
                Map<String, String> fields = new LinkedHashMap<>();
                for (String field : List.of("groupId", "artifactId", "version", "type")) {
                    Matcher m = Pattern.compile("<" + field + ">\\s*(.*?)\\s*</" + field + ">").matcher(dependency.group(1));
                    if (m.find()) {
                        fields.put(field, m.group(1));
                    }
                }
                if ("dev.dyno".equals(fields.get("groupId"))) {
                    coordinates.add(fields);
                }
            }
        }
        return coordinates;
    }

    private static Element pom(Path file) throws Exception {
        assertThat(file).as("a module's pom").isRegularFile();
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile()).getDocumentElement();
    }

    /** The text of a direct child of the project element (not the parent's). */
    private static String text(Element project, String child, String fallback) {
        for (Node node = project.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && e.getTagName().equals(child)) {
                return e.getTextContent().strip();
            }
        }
        assertThat(fallback).as("<%s> of a module's pom", child).isNotNull();
        return fallback;
    }
}
