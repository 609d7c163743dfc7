package dev.dyno.load;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import org.apiguardian.api.API;

/**
 * Where a stress profile broke: the lowest arrival rate that broke, the highest that held (after
 * narrowing the gap between them), and why.
 *
 * @param rps         the lowest rate found to break
 * @param lastGoodRps the highest rate found to hold; 0 when even the first step broke
 * @param reason      what broke, such as {@code "success 81.0% < 95%"}
 * @since 0.1
 */
@API(status = EXPERIMENTAL, since = "0.1")
public record BreakingPoint(double rps, double lastGoodRps, String reason) {

    @Override
    public String toString() {
        return "breaking point " + ArrivalRatePacer.fmt(rps) + " req/s (" + reason + "); last good "
                + ArrivalRatePacer.fmt(lastGoodRps) + " req/s";
    }
}
