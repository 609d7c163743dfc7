package dev.dyno.gpu;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Marks a fixture class that only {@link GpuWorkersExtensionTests} runs, through the engine test
 * kit; where a build selects it directly (such as {@code -Dtest='Gpu*'}), it is disabled, not failed.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(TestKitFixture.Condition.class)
@interface TestKitFixture {

    /** The configuration parameter the tests pass to the engine test kit. */
    String PARAMETER = "dyno.test.gpu-fixtures";

    class Condition implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(PARAMETER).isPresent()
                    ? ConditionEvaluationResult.enabled("run by GpuWorkersExtensionTests")
                    : ConditionEvaluationResult.disabled("a fixture of GpuWorkersExtensionTests, run through the engine test kit");
        }
    }
}
