package io.pulse.pipeline.entities;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/**
 * The round trip's repartition topics' values: events (with their feature block) and fraud labels round trip.
 */
class EntityMessageTest {

    private final Serde<EntityMessage> serde = EntityMessage.serde();

    private EntityMessage roundTrip(EntityMessage message) {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", message));
    }

    @Test
    void shouldRoundTripAnEventWithItsEntityIdsAndFeatures() {
        byte[] eventBytes = {0, 0, 0, 0, 7, 42, -1};
        float[] features = {0f, 1.5f, Float.NaN, -2f};

        EntityMessage back = roundTrip(EntityMessage.event("u-1", new String[] {"T-1", null}, 1234L, 12.5,
                eventBytes, features));

        assertThat(back.isEvent()).isTrue();
        assertThat(back.userId()).isEqualTo("u-1");
        assertThat(back.entityId(0)).isEqualTo("T-1");
        assertThat(back.entityId(1)).isNull();
        assertThat(back.keyFor(1)).isEqualTo("u-1"); // no entity: keyed by the user, never one hot "missing" key
        assertThat(back.eventMillis()).isEqualTo(1234L);
        assertThat(back.amount()).isEqualTo(12.5);
        assertThat(back.eventBytes()).containsExactly(eventBytes);
        assertThat(back.features()).containsExactly(features);
        assertThat(roundTrip(EntityMessage.event("u-1", new String[] {null}, 1L, Double.NaN, eventBytes,
                features)).amount()).isNaN();
    }

    @Test
    void shouldCarryAnEventsRoutingTimeAndReadTheFormerFormatWithoutIt() {
        byte[] eventBytes = {0, 0, 0, 0, 7, 42, -1};
        float[] features = {0.5f, 3f};
        EntityMessage routed = EntityMessage.event("u-1", new String[] {"T-1"}, 1234L, 12.5, eventBytes, features,
                1_700_000_000_123L);
        byte[] bytes = serde.serializer().serialize("t", routed);

        assertThat(roundTrip(routed).routedAtMillis()).isEqualTo(1_700_000_000_123L);
        assertThat(roundTrip(EntityMessage.fraudLabel("u-2", new String[] {"T-9"}, 1L)).routedAtMillis())
                .isEqualTo(EntityMessage.UNKNOWN);
        // format 1, as records in flight across an upgrade were written: no routing time after the features
        byte[] former = Arrays.copyOf(bytes, bytes.length - Long.BYTES);
        former[0] = 1;
        EntityMessage back = serde.deserializer().deserialize("t", former);
        assertThat(back.routedAtMillis()).isEqualTo(EntityMessage.UNKNOWN);
        assertThat(back.features()).containsExactly(features);
        assertThat(back.eventBytes()).containsExactly(eventBytes);
        assertThat(back.amount()).isEqualTo(12.5);
    }

    @Test
    void shouldRoundTripAFraudLabel() {
        EntityMessage back = roundTrip(EntityMessage.fraudLabel("u-2", new String[] {"T-9"}, 1234L));

        assertThat(back.isEvent()).isFalse();
        assertThat(back.entityId(0)).isEqualTo("T-9");
        assertThat(back.transactionMillis()).isEqualTo(1234L);
        assertThat(back.eventBytes()).isNull();
    }
}
