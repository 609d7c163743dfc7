package dev.dyno.workloads.startup;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code greeting.*} settings, bound at start-up.
 *
 * @param template the greeting, with {@code %s} for the name
 */
@ConfigurationProperties("greeting")
public record GreetingProperties(@DefaultValue("Hello, %s!") String template) {
}
