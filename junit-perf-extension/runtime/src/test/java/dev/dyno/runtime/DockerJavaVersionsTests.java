package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("CPU updates on either line of docker-java")
class DockerJavaVersionsTests {

    /** docker-java 3.7's shape (Testcontainers 2): Long setters. */
    public interface LongSetters {
        LongSetters withCpuQuota(Long quota);
    }

    /** docker-java 3.4's shape (Testcontainers 1.x, Spring Boot 3.5): Integer setters. */
    public interface IntegerSetters {
        IntegerSetters withCpuQuota(Integer quota);
    }

    /** Neither: a setter this code does not know how to call. */
    public interface StringSetters {
        StringSetters withCpuQuota(String quota);
    }

    @Test
    @DisplayName("call the Long setter where docker-java has it")
    void longSetter() {
        List<Object> calls = new ArrayList<>();
        LongSetters command = new LongSetters() {
            @Override
            public LongSetters withCpuQuota(Long quota) {
                calls.add(quota);
                return this;
            }
        };
        DockerWorkload.withNumber(LongSetters.class, command, "withCpuQuota", 50_000);
        assertThat(calls).containsExactly(50_000L);
    }

    @Test
    @DisplayName("call the Integer setter where docker-java has that one instead")
    void integerSetter() {
        List<Object> calls = new ArrayList<>();
        IntegerSetters command = new IntegerSetters() {
            @Override
            public IntegerSetters withCpuQuota(Integer quota) {
                calls.add(quota);
                return this;
            }
        };
        DockerWorkload.withNumber(IntegerSetters.class, command, "withCpuQuota", 150_000);
        assertThat(calls).containsExactly(150_000);
    }

    @Test
    @DisplayName("name the setter when neither exists")
    void neither() {
        StringSetters command = quota -> null;
        assertThatThrownBy(() -> DockerWorkload.withNumber(StringSetters.class, command, "withCpuQuota", 1))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("withCpuQuota(Long) or withCpuQuota(Integer)");
    }
}
