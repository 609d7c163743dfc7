package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a container agent is given: the class path it runs, and how the console names its share. */
@DisplayName("Load agents: the class path copied into a container, and the shares' names")
class LoadAgentsTests {

    @TempDir
    Path dir;

    @Test
    @DisplayName("a manifest-only jar, as Surefire starts its JVMs, is expanded into the entries its Class-Path lists; entries that do not exist are left out")
    void expandsManifestOnlyJars() throws IOException {
        Path classes = Files.createDirectories(dir.resolve("test classes"));
        Path library = Files.write(dir.resolve("library.jar"), new byte[0]);
        Path booter = dir.resolve("booter.jar");
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH,
                classes.toUri() + " " + library.toUri() + " " + dir.resolve("gone.jar").toUri());
        try (OutputStream out = Files.newOutputStream(booter); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }

        assertThat(LoadAgents.classPath(booter + File.pathSeparator + dir.resolve("missing.jar") + File.pathSeparator
                + library)).containsExactly(booter, classes, library);
    }

    @Test
    @DisplayName("names each agent's share with the right ordinal")
    void ordinals() {
        assertThat(LoadAgents.ordinal(2)).isEqualTo("2nd");
        assertThat(LoadAgents.ordinal(3)).isEqualTo("3rd");
        assertThat(LoadAgents.ordinal(4)).isEqualTo("4th");
        assertThat(LoadAgents.ordinal(11)).isEqualTo("11th");
        assertThat(LoadAgents.ordinal(12)).isEqualTo("12th");
        assertThat(LoadAgents.ordinal(21)).isEqualTo("21st");
        assertThat(LoadAgents.ordinal(22)).isEqualTo("22nd");
        assertThat(LoadAgents.ordinal(64)).isEqualTo("64th");
    }
}
