package dev.dyno.stats;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * In which order a {@link Comparison} runs baseline and variant. Both orders interleave the two
 * sides, one of each per round, so drift of the machine (a neighbour's build, a warming JIT,
 * thermal throttling) falls on both sides alike instead of on whichever ran second.
 *
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public enum Order {

    /** Rounds alternate which side goes first: AB, BA, AB, … — cancels a fixed first-runs-slower effect. */
    ALTERNATING,

    /** Each round runs the two sides in an order drawn from the comparison's seeded random source. */
    RANDOMIZED_BLOCKS
}
