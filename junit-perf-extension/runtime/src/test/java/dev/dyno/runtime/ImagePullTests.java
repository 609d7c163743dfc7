package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.InternalServerErrorException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ImagePullTests {

    @Test
    @DisplayName("the engine's message is reported without docker-java's status and JSON wrapping")
    void engineMessage() {
        InternalServerErrorException e = new InternalServerErrorException(
                "{\"message\":\"Get \\\"https://registry.invalid/v2/\\\": no such host\"}\n");

        assertThat(ImagePull.engineMessage(e)).isEqualTo("Get \"https://registry.invalid/v2/\": no such host");
        assertThat(ImagePull.engineMessage(new IllegalStateException(" plain "))).isEqualTo("plain");
    }

    @Test
    @DisplayName("a missing image is named as the engine knows it, and as the spec named it where Testcontainers substituted it")
    void missingImageNames() {
        assertThat(DockerRuntime.missingImage("eclipse-temurin:17-jre", "mirror.invalid/eclipse-temurin:17-jre", "denied"))
                .startsWith("image mirror.invalid/eclipse-temurin:17-jre (eclipse-temurin:17-jre after Testcontainers' "
                        + "image name substitution) is not present on the Docker engine and pulling it failed: denied; ")
                .contains("`docker pull mirror.invalid/eclipse-temurin:17-jre`");
    }

    @Test
    @DisplayName("Dyno's default image is one a user can pull; this build names its own local image through dyno.docker.image")
    void defaultImage() {
        assertThat(DockerRuntime.DEFAULT_IMAGE).isEqualTo("eclipse-temurin:17-jre");
        assertThat(System.getProperty(DockerRuntime.DEFAULT_IMAGE_PROPERTY)).as("set by the parent pom for surefire")
                .isEqualTo("dyno/jre17-python:local");
    }
}
