package dev.dyno.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("The arrival-rate pacer")
class ArrivalRatePacerTests {

    @Test
    @DisplayName("spaces a constant rate evenly from the phase start")
    void constantRate() {
        ArrivalRatePacer pacer = ArrivalRatePacer.constant(15, Duration.ofSeconds(30));
        assertThat(pacer.count()).isEqualTo(450);
        assertThat(pacer.offsetNanos(0)).isZero();
        assertThat(pacer.offsetNanos(1)).isCloseTo(66_666_666L, within(2L));
        assertThat(pacer.offsetNanos(449)).isCloseTo(29_933_333_333L, within(2L));
    }

    @Test
    @DisplayName("ramps linearly: request i is due where the integral of the rate reaches i")
    void rampUp() {
        // 0 → 10 req/s over 2 s: N(t) = 2.5 t², so 10 requests, the 5th at sqrt(2) s, the 10th at 2 s.
        ArrivalRatePacer pacer = ArrivalRatePacer.ramp(0, 10, Duration.ofSeconds(2));
        assertThat(pacer.count()).isEqualTo(10);
        assertThat(pacer.offsetNanos(5) / 1e9).isCloseTo(Math.sqrt(2), within(1e-6));
        assertThat(pacer.offsetNanos(10) / 1e9).isCloseTo(2.0, within(1e-6));
        assertThat(pacer.rateAt(1_000_000_000L)).isCloseTo(5.0, within(1e-9));
    }

    @Test
    @DisplayName("ramps down, with the intervals growing")
    void rampDown() {
        ArrivalRatePacer pacer = ArrivalRatePacer.ramp(20, 10, Duration.ofSeconds(2));
        assertThat(pacer.count()).isEqualTo(30);
        long first = pacer.offsetNanos(1) - pacer.offsetNanos(0);
        long last = pacer.offsetNanos(30) - pacer.offsetNanos(29);
        assertThat(first).isCloseTo(50_000_000L, within(1_000_000L));
        assertThat(last).isCloseTo(100_000_000L, within(3_000_000L));
        assertThat(pacer.offsetNanos(30) / 1e9).isCloseTo(2.0, within(1e-6));
    }

    @Test
    @DisplayName("is exact when a ramp has equal ends, where the quadratic formula divides by zero")
    void flatRamp() {
        ArrivalRatePacer ramp = ArrivalRatePacer.ramp(7, 7, Duration.ofSeconds(1));
        ArrivalRatePacer constant = ArrivalRatePacer.constant(7, Duration.ofSeconds(1));
        for (long i = 0; i < 7; i++) {
            assertThat(ramp.offsetNanos(i)).isCloseTo(constant.offsetNanos(i), within(1L));
        }
    }

    @Test
    @DisplayName("rejects rates at or below zero, naming the rate")
    void rejectsBadRates() {
        assertThatIllegalArgumentException().isThrownBy(() -> ArrivalRatePacer.constant(0, Duration.ofSeconds(1)))
                .withMessageContaining("rate 0.0 req/s").withMessageContaining("above zero");
        assertThatIllegalArgumentException().isThrownBy(() -> ArrivalRatePacer.constant(-5, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> ArrivalRatePacer.ramp(0, 0, Duration.ofSeconds(1)));
        assertThatIllegalArgumentException().isThrownBy(() -> ArrivalRatePacer.constant(1, Duration.ZERO))
                .withMessageContaining("duration");
    }

    @Test
    @DisplayName("shares split one schedule among agents request by request: together they send every request of it at its intended time, no more and no fewer, even where the rate does not divide")
    void sharesMakeTheWholeSchedule() {
        ArrivalRatePacer whole = ArrivalRatePacer.ramp(3, 17, Duration.ofMillis(2500));   // 25 requests
        for (int agents = 1; agents <= 7; agents++) {
            java.util.List<Long> together = new java.util.ArrayList<>();
            double rate = 0;
            for (int agent = 0; agent < agents; agent++) {
                ArrivalRatePacer share = whole.share(agent, agents);
                for (long i = 0; i < share.count(); i++) {
                    together.add(share.offsetNanos(i));
                }
                rate += share.meanRps();
            }
            java.util.Collections.sort(together);
            java.util.List<Long> expected = new java.util.ArrayList<>();
            for (long i = 0; i < whole.count(); i++) {
                expected.add(whole.offsetNanos(i));
            }
            assertThat(together).as("%d agents", agents).isEqualTo(expected);
            assertThat(rate).isCloseTo(whole.meanRps(), within(1e-9));
        }
        assertThat(ArrivalRatePacer.constant(1, Duration.ofSeconds(1)).share(1, 2).count()).as("a share with nothing to send").isZero();
        assertThatIllegalArgumentException().isThrownBy(() -> whole.share(2, 2)).withMessageContaining("share 2 of 2");
        assertThatIllegalArgumentException().isThrownBy(() -> whole.share(0, 2).share(0, 2));
    }
}
