/**
 * {@link dev.dyno.cpuboost.CpuBoost @CpuBoost}: start-up experiments with a temporary CPU boost,
 * restored live at a deadline or at readiness, compared with unboosted starts run interleaved, with
 * the guide's side-effect checks (concurrent starts, restoration, memory pressure), in a
 * {@link dev.dyno.cpuboost.CpuBoostRun}.
 */
package dev.dyno.cpuboost;
