package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import io.pulse.model.FeatureEncoder;
import io.pulse.model.FeatureSpec;
import io.pulse.model.Horizon;
import io.pulse.pipeline.state.InputRing;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import java.util.SplittableRandom;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class UserStateCodecTest {

    private static final FeatureSpec SPEC = FeatureSpec.v1();
    private static final long T0 = 1_772_000_000_000L;

    /** A user with a long, varied history: every window, a full input ring, alert bookkeeping set. */
    private static UserState representativeUser() {
        SplittableRandom random = new SplittableRandom(7);
        UserState state = UserState.newUser(64, SPEC);
        FeatureEncoder encoder = new FeatureEncoder(SPEC);
        float[] raw = new float[SPEC.inputSize()];
        EventType[] types = EventType.values();
        long t = T0;
        for (int i = 0; i < 500; i++) {
            t += (long) (random.nextDouble() * 7_200_000);
            EventType type = types[1 + random.nextInt(types.length - 1)];
            double amount = type == EventType.PAYMENT || type == EventType.PURCHASE ? random.nextDouble() * 500
                    : Double.NaN;
            encoder.encode(type, t, amount, Double.NaN, state.windows(), raw);
            state.recentInputs().add(raw);
        }
        for (int i = 0; i < 64; i++) {
            state.hidden()[i] = (float) (random.nextDouble() * 2 - 1);
            state.cell()[i] = (float) (random.nextDouble() * 6 - 3);
        }
        state.markProducedBy("20261123T101500Z-3f2a");
        state.rememberScores(0.42f, 0.07f, 3);
        state.setInactivityDueAtMillis(t + 86_400_000L);
        state.setLastChurnAlertMillis(t - 1000);
        state.setLastFraudAlertMillis(t - 2000);
        return state;
    }

    @Test
    void shouldKeepARepresentativeUserWithinTheStateBudget() {
        UserStateCodec codec = new UserStateCodec(SPEC);

        byte[] bytes = codec.encode(representativeUser());

        assertThat(bytes.length).isLessThanOrEqualTo(UserStateCodec.MAX_BYTES);
        assertThat(bytes.length).isEqualTo(codec.sizeOf(representativeUser()));
    }

    @Test
    void shouldRoundTripWithinHalfPrecision() {
        UserStateCodec codec = new UserStateCodec(SPEC);
        UserState original = representativeUser();

        UserState decoded = codec.decode(codec.encode(original));

        for (int i = 0; i < 64; i++) {
            assertThat(decoded.hidden()[i]).isCloseTo(original.hidden()[i], within(1e-3f));
            assertThat(decoded.cell()[i]).isCloseTo(original.cell()[i], within(3e-3f));
        }
        assertThat(decoded.producedBy("20261123T101500Z-3f2a")).isTrue();
        assertThat(decoded.lastChurn()).isCloseTo(0.42f, within(1e-3f));
        assertThat(decoded.lastTopAction()).isEqualTo(3);
        assertThat(decoded.inactivityDueAtMillis()).isEqualTo(original.inactivityDueAtMillis());
        assertThat(decoded.lastChurnAlertMillis()).isEqualTo(original.lastChurnAlertMillis());
        assertThat(decoded.lastFraudAlertMillis()).isEqualTo(original.lastFraudAlertMillis());
        assertThat(decoded.windows().eventsSeen()).isEqualTo(500);
        long at = decoded.windows().lastSeenMillis();
        assertThat(decoded.windows().countAll(Horizon.WEEK, at))
                .isCloseTo(original.windows().countAll(Horizon.WEEK, at), within(0.1));
        assertThat(decoded.recentInputs().size()).isEqualTo(InputRing.CAPACITY);
    }

    @Test
    void shouldReconstructRecentInputsWithinTheirQuantisationStep() {
        UserState state = representativeUser();
        InputRing ring = state.recentInputs();
        float[] raw = new float[SPEC.inputSize()];
        new FeatureEncoder(SPEC).encode(EventType.PAYMENT, state.windows().lastSeenMillis() + 60_000, 123.45,
                Double.NaN, state.windows(), raw);
        ring.add(raw);

        float[] back = new float[SPEC.inputSize()];
        ring.get(ring.size() - 1, back);

        for (int i = 0; i < raw.length; i++) {
            assertThat(back[i]).as(SPEC.names().get(i)).isCloseTo(raw[i], within(0.08f));
        }
        assertThat(back[EventType.PAYMENT.ordinal()]).isEqualTo(1f);
    }

    @Test
    void shouldReadTheLastSeenTimeWithoutDecodingTheStateInEveryFormatItReads() {
        UserStateCodec codec = new UserStateCodec(SPEC);
        UserState user = representativeUser();
        byte[] bytes = codec.encode(user);
        long lastSeen = user.windows().lastSeenMillis();

        assertThat(UserStateCodec.lastSeenMillis(bytes)).isEqualTo(lastSeen)
                .isEqualTo(codec.decode(bytes).windows().lastSeenMillis());
        // formats 1 and 2 share the header the windows follow (they differ after the windows)
        for (byte format : new byte[] {1, 2}) {
            byte[] older = bytes.clone();
            older[0] = format;
            assertThat(UserStateCodec.lastSeenMillis(older)).as("format %d", format).isEqualTo(lastSeen);
        }
        assertThat(UserStateCodec.lastSeenMillis(codec.encode(UserState.newUser(64, SPEC))))
                .as("a state that has seen no event").isEqualTo(Long.MIN_VALUE);

        byte[] unknown = bytes.clone();
        unknown[0] = 9;
        assertThatThrownBy(() -> UserStateCodec.lastSeenMillis(unknown)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format 9");
        assertThatThrownBy(() -> UserStateCodec.lastSeenMillis(java.util.Arrays.copyOf(bytes, 20)))
                .isInstanceOf(SerializationException.class).hasMessageContaining("20 bytes");
    }

    @Test
    void shouldRefuseAStateWrittenByAnUnknownFormat() {
        UserStateCodec codec = new UserStateCodec(SPEC);
        byte[] bytes = codec.encode(representativeUser());
        bytes[0] = 9;

        assertThatThrownBy(() -> codec.decode(bytes)).isInstanceOf(SerializationException.class)
                .hasMessageContaining("format 9");
    }
}
