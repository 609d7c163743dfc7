/**
 * Java Flight Recorder in a perf test: {@link dev.dyno.jfr.JfrRecording @JfrRecording} records the
 * test's own JVM during the method, turns what it saw into recorder metrics (allocation, GC pauses,
 * safepoints, monitor contention, JIT, class loading, CPU load), attaches the {@code .jfr} file and,
 * on failure, flame graphs; {@link dev.dyno.jfr.JfrAssertions} asserts on single events.
 *
 * <p>Nothing outside this package depends on it.
 */
package dev.dyno.jfr;
