package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FeatureSpecTest {

    @Test
    void shouldRoundTripThroughJsonWithExactFloats() {
        float[] mean = new float[32];
        float[] std = new float[32];
        for (int i = 0; i < 32; i++) {
            mean[i] = (float) Math.PI * i / 7f;
            std[i] = 0.1f + (float) Math.E * i;
        }
        FeatureSpec spec = FeatureSpec.v1().withNormalisation(mean, std);

        FeatureSpec parsed = FeatureSpec.fromJson(spec.toJson());

        assertThat(parsed).isEqualTo(spec);
        assertThat(parsed.mean()).containsExactly(mean);
        assertThat(parsed.std()).containsExactly(std);
        assertThat(FeatureSpec.fromJson(FeatureSpec.v1().toJson())).isEqualTo(FeatureSpec.v1());
    }

    @Test
    void shouldNormaliseWithMeanAndStd() {
        float[] mean = new float[32];
        float[] std = new float[32];
        java.util.Arrays.fill(std, 1f);
        mean[8] = 2f;
        std[8] = 4f;
        FeatureSpec spec = FeatureSpec.v1().withNormalisation(mean, std);
        float[] raw = new float[32];
        raw[8] = 10f;
        raw[0] = 1f;
        float[] out = new float[32];

        spec.normalise(raw, out);

        assertThat(out[8]).isEqualTo(2f);
        assertThat(out[0]).isEqualTo(1f);
        FeatureSpec.v1().normalise(raw, raw);
        assertThat(raw[8]).isEqualTo(10f);
    }

    @Test
    void shouldRefuseAnUnknownVersion() {
        String json = FeatureSpec.v1().toJson().replace("\"version\":1", "\"version\":2");
        assertThatThrownBy(() -> FeatureSpec.fromJson(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2 cannot be reproduced");
    }

    @Test
    void shouldRefuseFeatureNamesTheEncoderDoesNotProduce() {
        String swapped = FeatureSpec.v1().toJson().replace("\"hour_sin\",\"hour_cos\"", "\"hour_cos\",\"hour_sin\"");
        assertThatThrownBy(() -> FeatureSpec.fromJson(swapped)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names differ from what encoder version 1 produces");
        String extra = FeatureSpec.v1().toJson().replace("\"out_of_order\"", "\"out_of_order\",\"device\"");
        assertThatThrownBy(() -> FeatureSpec.fromJson(extra)).hasMessageContaining("names differ");
    }

    @Test
    void shouldRefuseBadNormalisationAndMalformedJson() {
        String zeroStd = FeatureSpec.v1().toJson().replaceFirst("\"std\":\\[1.0", "\"std\":[0.0");
        assertThatThrownBy(() -> FeatureSpec.fromJson(zeroStd)).hasMessageContaining("std > 0");
        String shortMean = FeatureSpec.v1().toJson().replaceFirst("\"mean\":\\[0.0,", "\"mean\":[");
        assertThatThrownBy(() -> FeatureSpec.fromJson(shortMean)).hasMessageContaining("\"mean\" has 31 values");
        assertThatThrownBy(() -> FeatureSpec.fromJson("{not json")).hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> FeatureSpec.fromJson("[]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> FeatureSpec.v1().withNormalisation(new float[3], new float[3]))
                .hasMessageContaining("length 32");
    }
}
