package dev.dyno;

import com.github.dockerjava.api.DockerClient;
import io.netty.channel.Channel;
import io.qameta.allure.Allure;
import org.apache.hc.core5.http.HttpHost;
import org.knowm.xchart.XYChart;
import org.testcontainers.containers.GenericContainer;

/** A deliberate violation for ArchitectureRulesCanFailTests: the core's top package using every banned library. */
public final class CoreUsingHeavyLibraries {

    private CoreUsingHeavyLibraries() {
    }

    static String describe(GenericContainer<?> container, DockerClient docker, HttpHost host, XYChart chart,
            Channel channel) {
        Allure.step(chart.getTitle());
        return container.getDockerImageName() + docker + host + channel;
    }
}
