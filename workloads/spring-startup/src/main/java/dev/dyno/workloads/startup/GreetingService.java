package dev.dyno.workloads.startup;

import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Service;

/** Makes greetings and numbers them. */
@Service
public class GreetingService {

    private final GreetingProperties properties;
    private final AtomicLong served = new AtomicLong();

    public GreetingService(GreetingProperties properties) {
        this.properties = properties;
    }

    public Greeting greet(String name) {
        return new Greeting(served.incrementAndGet(), String.format(properties.template(), name));
    }

    /** One greeting, as the endpoint answers it. */
    public record Greeting(long id, String content) {
    }
}
