package dev.dyno.workloads.startup;

import java.time.Instant;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A minimal Spring Boot web application, as a JVM application start-up workload for CPU boost
 * tests: component scanning, configuration binding, proxies, Jackson and an embedded Tomcat, the
 * start-up work of a real service.
 *
 * <pre>
 * java -jar workloads/spring-startup/target/spring-startup.jar --server.port=8080
 * curl 'http://127.0.0.1:8080/greeting?name=Dyno'
 * </pre>
 *
 * When it is ready it logs Spring Boot's {@code Started SpringStartupApplication in X seconds}
 * and prints {@code === METRICS_JSON ===} with its start-up times in seconds ({@link StartupReport});
 * with {@code --dyno.exit-after-ready=true} it then exits, so it can be run to completion.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class SpringStartupApplication {

    public static void main(String[] args) {
        StartupReport.mainEntered(Instant.now());
        SpringApplication.run(SpringStartupApplication.class, args);
    }
}
