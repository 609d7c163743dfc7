package dev.dyno.longtail;

import java.util.List;

/**
 * {@link BuiltInPolicy#DEFAULT}, the baseline: every task starts at once, in the task set's order,
 * at the OS defaults; the kernel's scheduler (CFS here) decides the rest. What schedcp compares against.
 */
final class DefaultPolicy implements SchedulingPolicy {

    static final String NAME = "default";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public List<TaskLaunch> plan(TaskSet taskSet, PlanContext context) {
        return taskSet.tasks().stream().map(t -> TaskLaunch.of(t).because("started with all the others")).toList();
    }
}
