package io.pulse.pipeline.entities;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

/** The repartition topics' values: events (with their feature block) and fraud labels round trip. */
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
    void shouldRoundTripAFraudLabel() {
        EntityMessage back = roundTrip(EntityMessage.fraudLabel("u-2", new String[] {"T-9"}, 1234L));

        assertThat(back.isEvent()).isFalse();
        assertThat(back.entityId(0)).isEqualTo("T-9");
        assertThat(back.transactionMillis()).isEqualTo(1234L);
        assertThat(back.eventBytes()).isNull();
    }
}
