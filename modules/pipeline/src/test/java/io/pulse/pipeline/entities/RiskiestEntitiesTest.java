package io.pulse.pipeline.entities;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The dashboard's riskiest entities: ranked by delayed risk, then known frauds, then id; no fraud, no rank. */
class RiskiestEntitiesTest {

    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");
    private static final long DAY = Duration.ofDays(1).toMillis();
    private static final long T0 = 1_780_000_000_000L - 1_780_000_000_000L % DAY;

    /** {@code transactions} payments a day apart from T0, the first {@code frauds} of them labelled. */
    private static byte[] terminal(int transactions, int frauds) {
        EntityWindows windows = EntityWindows.empty(TERMINAL);
        for (int i = 0; i < transactions; i++) {
            windows.observe(T0 + i * DAY, 10.0);
        }
        for (int i = 0; i < frauds; i++) {
            windows.observeFraud(T0 + i * DAY);
        }
        return windows.toBytes();
    }

    @Test
    void shouldRankByRiskThenKnownFraudsThenIdAndLeaveOutEntitiesWithoutAFraud() {
        Map<String, byte[]> stores = new LinkedHashMap<>();
        stores.put("T-clean", terminal(10, 0));
        stores.put("T-half", terminal(4, 2));
        stores.put("T-all", terminal(2, 2));
        stores.put("T-b", terminal(4, 1));
        stores.put("T-a", terminal(4, 1));
        long now = T0 + 20 * DAY; // every transaction older than the 7-day label delay

        List<RiskiestEntities.Ranked> top = RiskiestEntities.top(TERMINAL, stores.entrySet().iterator(), now, 10);

        assertThat(top).extracting(RiskiestEntities.Ranked::id).containsExactly("T-all", "T-half", "T-a", "T-b");
        int h = RiskiestEntities.rankingHorizon(TERMINAL);
        assertThat(TERMINAL.horizons().get(h)).isEqualTo(Duration.ofDays(7));
        EntityWindows all = EntityWindows.fromBytes(TERMINAL, stores.get("T-all"));
        assertThat(top.get(0).risk()).isCloseTo(all.risk(h, now), within(1e-12)).isCloseTo(1.0, within(1e-6));
        assertThat(top.get(0).knownFrauds()).isEqualTo(all.knownFrauds(h, now));
        assertThat(top.get(0).lastKnownFraudMillis()).isEqualTo(T0 + DAY);
        assertThat(RiskiestEntities.top(TERMINAL, stores.entrySet().iterator(), now, 2))
                .extracting(RiskiestEntities.Ranked::id).containsExactly("T-all", "T-half");
        assertThat(RiskiestEntities.top(TERMINAL, stores.entrySet().iterator(), now, 0)).isEmpty();
    }
}
