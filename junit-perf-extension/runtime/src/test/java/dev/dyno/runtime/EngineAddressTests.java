package dev.dyno.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

@DisplayName("dyno.docker.hosts entries")
class EngineAddressTests {

    @Test
    @DisplayName("default, a socket and TCP with and without TLS certificates, in the order given")
    void parses(@TempDir Path certs) throws IOException {
        for (String file : List.of("ca.pem", "cert.pem", "key.pem")) {
            Files.writeString(certs.resolve(file), "");
        }
        List<EngineAddress> engines = EngineAddress.parseAll(" default , unix:///var/run/docker.sock,tcp://10.0.0.5:2375,"
                + "tcp://127.0.0.1:23750?certs=" + certs);
        assertThat(engines).extracting(EngineAddress::isDefault).containsExactly(true, false, false, false);
        assertThat(engines.subList(1, 4)).extracting(EngineAddress::uri).containsExactly(
                URI.create("unix:///var/run/docker.sock"), URI.create("tcp://10.0.0.5:2375"),
                URI.create("tcp://127.0.0.1:23750"));
        assertThat(engines).extracting(EngineAddress::certificates)
                .containsExactly(Optional.empty(), Optional.empty(), Optional.empty(), Optional.of(certs));
        assertThat(engines.get(3)).hasToString("tcp://127.0.0.1:23750 (TLS, certificates in " + certs + ")");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "tcp://127.0.0.1                     | 'tcp://127.0.0.1' is not allowed; expected tcp://host:port",
        "http://127.0.0.1:2375               | 'http://127.0.0.1:2375' is not allowed; expected default (the engine",
        "docker.example:2375                 | 'docker.example:2375' is not allowed; expected default (the engine",
        "tcp://127.0.0.1:1?tls=1             | 'tcp://127.0.0.1:1?tls=1' is not allowed; expected ?certs=/dir as the only query",
        "tcp://127.0.0.1:1?certs=/nowhere    | 'tcp://127.0.0.1:1?certs=/nowhere' is not allowed; expected a certificate directory with ca.pem, cert.pem and key.pem; /nowhere/ca.pem is not readable",
        "'default, tcp://1.2.3.4:5, default' | 'default' is not allowed; expected each engine at most once",
        "' , '                               | ' , ' is not allowed; expected at least one engine",
    })
    void refuses(String value, String message) {
        assertThatThrownBy(() -> EngineAddress.parseAll(value)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("dyno.docker.hosts = '" + value + "': ")
                .hasMessageContaining(message.strip());
    }
}
