package dev.dyno.workloads.startup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Prints the start-up's metrics when the application is ready, in Dyno's convention ({@code *_time}
 * in seconds): {@code jvm_boot_time} (process start to {@code main}), {@code application_start_time}
 * ({@code SpringApplication.run} to started, the "Started … in" figure), {@code application_ready_time}
 * (to ready) and {@code total_time} (process start to ready).
 */
@Component
public class StartupReport {

    /** Set to {@code true} to exit once the metrics are printed. */
    public static final String EXIT_AFTER_READY = "dyno.exit-after-ready";

    private static volatile Instant mainEntered;

    private final ObjectMapper json;
    private final Environment environment;
    private volatile Duration started;

    public StartupReport(ObjectMapper json, Environment environment) {
        this.json = json;
        this.environment = environment;
    }

    static void mainEntered(Instant instant) {
        mainEntered = instant;
    }

    @EventListener
    public void onStarted(ApplicationStartedEvent event) {
        started = event.getTimeTaken();
    }

    @EventListener
    public void onReady(ApplicationReadyEvent event) throws JsonProcessingException {
        Instant now = Instant.now();
        Instant processStart = processStart().orElse(mainEntered != null ? mainEntered : now);
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("test_name", "spring_startup");
        metrics.put("cpu_allocated", Runtime.getRuntime().availableProcessors());
        metrics.put("container_start_time", seconds(Duration.between(Instant.EPOCH, processStart)));
        if (mainEntered != null) {
            metrics.put("jvm_boot_time", seconds(Duration.between(processStart, mainEntered)));
        }
        if (started != null) {
            metrics.put("application_start_time", seconds(started));
        }
        if (event.getTimeTaken() != null) {
            metrics.put("application_ready_time", seconds(event.getTimeTaken()));
        }
        metrics.put("bean_definitions", event.getApplicationContext().getBeanDefinitionCount());
        metrics.put("spring_boot_version", SpringBootVersion.getVersion());
        metrics.put("total_time", seconds(Duration.between(processStart, now)));
        // One write, so a reader never sees the marker without its object.
        System.out.print(System.lineSeparator() + "=== METRICS_JSON ===" + System.lineSeparator()
                + json.writeValueAsString(metrics) + System.lineSeparator());
        System.out.flush();
        if (environment.getProperty(EXIT_AFTER_READY, Boolean.class, false)) {
            System.exit(SpringApplication.exit(event.getApplicationContext()));
        }
    }

    private static double seconds(Duration duration) {
        return duration.toNanos() / 1e9;
    }

    /**
     * This process's start, from Linux's {@code /proc}: the boot clock now ({@code /proc/uptime})
     * less the process's start on it ({@code starttime}, in 100ths of a second). Not
     * {@code ProcessHandle.Info.startInstant()}, which adds {@code starttime} to the boot time
     * truncated to a whole second and so can be up to a second early.
     */
    static Optional<Instant> processStart() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"), StandardCharsets.US_ASCII);
            String uptime = Files.readString(Path.of("/proc/uptime"), StandardCharsets.US_ASCII);
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
            double age = Double.parseDouble(uptime.trim().split("\\s+")[0]) - Long.parseLong(fields[19]) / 100.0;
            return Optional.of(Instant.now().minusNanos(Math.round(Math.max(0, age) * 1e9)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
