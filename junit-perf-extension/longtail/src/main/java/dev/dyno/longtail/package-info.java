/**
 * {@link dev.dyno.longtail.LongTailScheduler @LongTailScheduler}: long-tail task sets (N short
 * and M long commands, or schedcp's {@code test_cases_parallel.json} cases) run under scheduling
 * policies ({@link dev.dyno.longtail.BuiltInPolicy}, or your own {@link dev.dyno.longtail.SchedulingPolicy}),
 * with makespans, the lower bound, skew, long-tail detection and each policy's improvement over
 * the default in a {@link dev.dyno.longtail.LongTailRun}.
 */
package dev.dyno.longtail;
