package dev.dyno.longtail;

import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Lets the nested {@code …TestCase} fixtures run only when a test starts them through the
 * engine test kit with {@value #PARAMETER}, not when a build's test filter
 * ({@code -Dtest='dev.dyno.longtail.**'}) picks them up as tests of their own.
 */
class FixtureCondition implements ExecutionCondition {

    static final String PARAMETER = "dyno.longtail.fixtures";

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return context.getConfigurationParameter(PARAMETER).isPresent()
                ? ConditionEvaluationResult.enabled("started by the engine test kit")
                : ConditionEvaluationResult.disabled("a fixture: runs only through the engine test kit");
    }
}
