package dev.dyno;

import dev.dyno.config.DynoConfiguration;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;

/**
 * Reads the {@link DynoConfiguration} before anything else of a {@link PerfTest} runs, so that a bad
 * value fails the test before anything is provisioned, and makes it {@link DynoConfiguration#current()}
 * on the test's thread for the user's {@code @BeforeEach}, test and {@code @AfterEach} methods.
 */
class DynoConfigurationExtension implements BeforeEachCallback, AfterEachCallback {

    private static final Namespace NAMESPACE = Namespace.create(DynoConfigurationExtension.class);
    private static final String PREVIOUS = "previous";

    @Override
    public void beforeEach(ExtensionContext context) {
        DynoConfiguration previous = DynoConfiguration.enter(DynoConfiguration.of(context));
        // a test that runs tests (EngineTestKit) gets its own configuration back afterwards
        context.getStore(NAMESPACE).put(PREVIOUS, previous == null ? NONE : previous);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        Object previous = context.getStore(NAMESPACE).remove(PREVIOUS);
        if (previous != null) {
            DynoConfiguration.exit(previous instanceof DynoConfiguration configuration ? configuration : null);
        }
    }

    private static final Object NONE = new Object();
}
