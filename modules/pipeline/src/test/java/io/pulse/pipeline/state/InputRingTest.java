package io.pulse.pipeline.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InputRingTest {

    private static final FeatureSpec V1 = FeatureSpec.v1();
    private static final FeatureSpec WITH_TERMINAL = V1.withEntities(List.of(new EntityWindowSpec("terminal",
            "attr.terminal", List.of(Duration.ofHours(12), Duration.ofDays(7)), Duration.ofDays(3),
            Duration.ofDays(1))));

    @Test
    void shouldKeepEachFeatureWithinHalfItsQuantisationStep() {
        InputRing ring = new InputRing(V1);
        float[] raw = input(V1);

        ring.add(raw);
        float[] back = new float[V1.inputSize()];
        ring.get(0, back);

        List<String> names = V1.names();
        assertThat(back[2]).isEqualTo(1f); // the event type's one-hot
        assertThat(back[names.indexOf("hour_sin")]).isCloseTo(raw[names.indexOf("hour_sin")], within(0.5f / 127f));
        assertThat(back[names.indexOf("log_gap")]).isCloseTo(raw[names.indexOf("log_gap")], within(0.075f));
        assertThat(back[names.indexOf("log_amount")]).isCloseTo(raw[names.indexOf("log_amount")], within(0.06f));
    }

    @Test
    void shouldQuantiseEachSpecsRingWithItsOwnScalesWhenSpecsAlternate() {
        // the scales are remembered for the spec met last: rings of two specs made in turn must not share them
        float[] expected = roundTrip(new InputRing(V1), V1);
        for (int i = 0; i < 3; i++) {
            InputRing terminal = new InputRing(WITH_TERMINAL);
            assertThat(terminal.entryBytes()).isEqualTo(1 + WITH_TERMINAL.entityOffset() - InputRing.TYPE_BLOCK);
            assertThat(roundTrip(terminal, WITH_TERMINAL)).containsExactly(
                    Arrays.copyOf(expected, WITH_TERMINAL.entityOffset()));
            assertThat(roundTrip(new InputRing(V1), V1)).containsExactly(expected);
        }
    }

    /** A raw v1 input: a CLICK-like one-hot, then a spread of values in each feature's range. */
    private static float[] input(FeatureSpec spec) {
        float[] raw = new float[spec.inputSize()];
        raw[2] = 1f;
        for (int i = InputRing.TYPE_BLOCK; i < spec.names().size(); i++) {
            raw[i] = (float) Math.sin(i * 0.7) * (spec.names().get(i).endsWith("_sin")
                    || spec.names().get(i).endsWith("_cos") ? 1f : 6f);
        }
        return raw;
    }

    private static float[] roundTrip(InputRing ring, FeatureSpec spec) {
        ring.add(input(spec));
        float[] back = new float[spec.inputSize()];
        ring.get(0, back);
        return Arrays.copyOf(back, spec.hasEntities() ? spec.entityOffset() : spec.inputSize());
    }
}
