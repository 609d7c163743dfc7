package dev.dyno.spi;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * What an extension keeps in a test's {@link ExtensionContext.Store} and must close when the test
 * ends: workloads, runtimes, generators. JUnit 5.13 and later close a stored {@link AutoCloseable};
 * earlier versions (Spring Boot 3.5 manages JUnit 5.12) close only a
 * {@link ExtensionContext.Store.CloseableResource}, and would leave workloads running until the JVM
 * exits. Being both, a resource is closed once on every version: 5.13 and later take the
 * {@code AutoCloseable} path and never warn about the deprecated interface.
 *
 * @since 0.2
 */
@API(status = INTERNAL, since = "0.2")
@SuppressWarnings("deprecation")
public interface ClosedWithTest extends AutoCloseable, ExtensionContext.Store.CloseableResource {

    /** Releases the resource; must not throw, so that the rest of the store is closed too. */
    @Override
    void close();

    /** Wraps {@code resource} so that it is closed with the test; {@link Holder#get()} gives it back. */
    static <T extends AutoCloseable> Holder<T> holding(T resource) {
        return new Holder<>(resource);
    }

    /**
     * An {@link AutoCloseable} of someone else's, such as a {@code WorkloadRuntime}, closed with the test.
     *
     * @since 0.2
     */
    @API(status = INTERNAL, since = "0.2")
    final class Holder<T extends AutoCloseable> implements ClosedWithTest {
        private final T resource;

        private Holder(T resource) {
            this.resource = resource;
        }

        public T get() {
            return resource;
        }

        @Override
        public void close() {
            try {
                resource.close();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException("could not close " + resource, e);
            }
        }
    }
}
