package dev.dyno;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import dev.dyno.metrics.Recorder;
import dev.dyno.spi.PerfContext;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.opentest4j.AssertionFailedError;

@DisplayName("A capability built on @PerfTest")
class PerfContextTests {

    @TempDir
    Path results;

    private EngineExecutionResults run(Class<?> testCase) {
        return EngineTestKit.engine("junit-jupiter").selectors(selectClass(testCase))
                .configurationParameter(PerfTest.RESULTS_DIR_PROPERTY, results.toString()).execute();
    }

    @Test
    @DisplayName("records into the test's recorder and has its own thresholds checked")
    void recordsAndExpects() {
        run(CapabilityTestCase.class).testEvents().assertThatEvents()
                .haveExactly(1, event(test("passes"), org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully()))
                .haveExactly(1, event(test("breaches"), finishedWithFailure(instanceOf(AssertionFailedError.class),
                        message("1 of 1 thresholds breached:\n  ✗ experiment.runs >= 5 (actual 3)"))));
    }

    @Test
    @DisplayName("rejects a malformed capability threshold before the experiment runs")
    void malformedBeforeProvisioning() {
        MalformedCapabilityTestCase.provisioned.set(false);
        run(MalformedCapabilityTestCase.class).testEvents().assertThatEvents().haveExactly(1, event(test("malformed"),
                finishedWithFailure(instanceOf(ExtensionConfigurationException.class),
                        message(m -> m.startsWith("@Experiment(thresholds) value \"experiment.runs >= five\"")))));
        assertThat(MalformedCapabilityTestCase.provisioned).isFalse();
    }

    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @PerfTest
    @ExtendWith(ExperimentExtension.class)
    @interface Experiment {
        int runs();

        String[] thresholds() default {};
    }

    /** A capability in miniature: validates, "provisions", records. */
    static class ExperimentExtension implements BeforeEachCallback {
        @Override
        public void beforeEach(ExtensionContext context) {
            Experiment experiment = AnnotationSupport.findAnnotation(context.getRequiredTestMethod(), Experiment.class)
                    .orElseThrow();
            PerfContext.expect(context, "@Experiment(thresholds)", experiment.thresholds());
            MalformedCapabilityTestCase.provisioned.set(true);
            for (int i = 0; i < experiment.runs(); i++) {
                PerfContext.recorder(context).increment("experiment.runs");
            }
        }
    }

    static class CapabilityTestCase {
        @Experiment(runs = 5, thresholds = "experiment.runs >= 5")
        void passes(Recorder recorder) {
            assertThat(recorder.counter("experiment.runs").count()).isEqualTo(5);
        }

        @Experiment(runs = 3, thresholds = "experiment.runs >= 5")
        void breaches() {
        }
    }

    static class MalformedCapabilityTestCase {
        static final AtomicBoolean provisioned = new AtomicBoolean();

        @Experiment(runs = 1, thresholds = "experiment.runs >= five")
        void malformed() {
        }
    }
}
