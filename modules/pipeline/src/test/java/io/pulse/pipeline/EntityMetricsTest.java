package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Timer;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ModelBundles;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entity metrics of the application's own topology: per type the keys and bytes of its store (RocksDB's
 * estimates, read on scrape), the top entity's share of its events, and the round trip from routing back to scoring.
 */
class EntityMetricsTest {

    private static final Map<String, String> TERMINALS = Map.of(PulseConfig.ENTITIES_TYPES, "terminal");

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private TopologyFixture start() {
        fixture = new TopologyFixture(stateDir, TERMINALS);
        ModelBundle bundle = ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), 11L, 16,
                FeatureSpec.v1().withEntities(List.of(EntityWindowSpec.daily("terminal"))), null);
        fixture.modelWeights.pipeInput(bundle.getName(), bundle);
        return fixture;
    }

    private static UserEvent payment(String userId, String terminal, int minute) {
        UserEvent.Builder event = TopologyFixture.event(userId, EventType.PURCHASE, Duration.ofMinutes(minute))
                .setAmount(10.0 + minute);
        if (terminal != null) {
            event.setAttributes(Map.of("terminal", terminal));
        }
        return event.build();
    }

    private double gauge(String name) {
        return fixture.metrics.registry().get(name).tag("type", "terminal").gauge().value();
    }

    @Test
    void shouldCountTheKeysAndBytesOfTheTerminalStore() {
        TopologyFixture f = start();
        assertThat(gauge("pulse.entity.store.keys")).isZero();
        f.send(payment("u-0", "T-0", 0));
        assertThat(gauge("pulse.entity.store.keys")).isEqualTo(1.0);
        double bytesAfterOne = gauge("pulse.entity.store.bytes");

        for (int i = 1; i < 40; i++) {
            f.send(payment("u-" + i, "T-" + i, i));
            f.send(payment("v-" + i, "T-" + i, i)); // a second event at the terminal adds no key
        }
        f.send(payment("u-x", null, 50)); // no terminal: no state, no key

        assertThat(gauge("pulse.entity.store.keys")).isEqualTo(40.0);
        assertThat(bytesAfterOne).isPositive();
        assertThat(gauge("pulse.entity.store.bytes")).isGreaterThan(bytesAfterOne);
    }

    @Test
    void shouldReportTheHotTerminalsShareOfASkewedStream() {
        TopologyFixture f = start();
        assertThat(gauge("pulse.entity.top.key.share")).isNaN();

        for (int i = 0; i < 60; i++) {
            // 24 of 60 events (40 %) at T-hot, the rest at a terminal each; events without a terminal do not count
            f.send(payment("u-" + i, i % 5 < 2 ? "T-hot" : "T-" + i, i));
            f.send(payment("v-" + i, null, i));
        }

        assertThat(gauge("pulse.entity.top.key.share")).isEqualTo(0.4);
    }

    @Test
    void shouldTimeTheRoundTripOfEveryEventThatTookIt() {
        TopologyFixture f = start();
        for (int i = 0; i < 12; i++) {
            f.send(payment("u-" + (i % 3), i % 4 == 0 ? null : "T-" + (i % 2), i));
        }

        Timer roundTrip = f.metrics.registry().get("pulse.entity.round.trip").tag("types", "terminal").timer();
        // every event takes the round trip, with or without a terminal (keyed by its user on the way)
        assertThat(roundTrip.count()).isEqualTo(12);
        assertThat(f.predictions.readValuesToList()).hasSize(12);
    }
}
