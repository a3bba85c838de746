package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.LstmModel;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The variants and what each computes per event. */
class VariantTest {

    @Test
    void shouldDifferBetweenTheTwoInterestVariantsOnlyInRecommendationsPerEvent() {
        assertThat(Variant.withInterestModel()).containsExactly(Variant.INTERESTS, Variant.INTERESTS_ON_REQUEST);
        assertThat(Variant.INTERESTS.settings()).isEmpty();
        assertThat(Variant.INTERESTS_ON_REQUEST.settings())
                .containsExactly(Map.entry(PulseConfig.INTERESTS_RECOMMENDATIONS_K, "0"));

        assertThat(Variant.INTERESTS.interestSettings().recommendationsK()).isEqualTo(10);
        assertThat(Variant.INTERESTS_ON_REQUEST.interestSettings().recommendationsK()).isZero();
        assertThat(Variant.INTERESTS_ON_REQUEST.interestSettings().categoriesK())
                .isEqualTo(Variant.INTERESTS.interestSettings().categoriesK()).isEqualTo(3);
        assertThat(Variant.INTERESTS_ON_REQUEST.interestSettings().seenSize())
                .isEqualTo(Variant.INTERESTS.interestSettings().seenSize());
    }

    @Test
    void shouldSayWhatEachInterestVariantComputesPerEvent() {
        assertThat(Variant.INTERESTS.perEventInterests()).isEqualTo("the top-3 next categories, the top-10"
                + " recommendations over all 12,000 items without the user's last 50 seen items, the interest shift");
        assertThat(Variant.INTERESTS_ON_REQUEST.perEventInterests()).isEqualTo("the top-3 next categories, no"
                + " recommendations (`interests.recommendations.k=0`: on request only), the seen set still kept, the"
                + " interest shift");
    }

    @Test
    void shouldRunPulseWithTheVersionOneModelOnlyInC() {
        assertThat(Variant.PASS_THROUGH.isPulse()).isFalse();
        assertThat(Variant.STATEFUL.isPulse()).isFalse();
        assertThat(Variant.FULL.isPulse()).isTrue();
        assertThat(Variant.FULL.usesInterestModel()).isFalse();
        assertThat(Variant.INTERESTS.isPulse()).isTrue();
        assertThat(Variant.INTERESTS_ON_REQUEST.isPulse()).isTrue();
        assertThat(Variant.NO_OP_MODEL.isPulse()).isTrue();
        assertThat(Variant.NO_OP_MODEL.usesInterestModel()).isFalse();
        assertThat(Variant.values()).extracting(Variant::letter).containsExactly("a", "b", "n", "c", "d", "e", "f",
                "g");
        assertThat(Variant.ofLetter("n")).isEqualTo(Variant.NO_OP_MODEL);
    }

    @Test
    void shouldConfigureOneEntityTypeOnlyInFAndGAndServeThemAModelReadingTheTerminal() {
        assertThat(Variant.values()).filteredOn(Variant::usesEntities).containsExactly(Variant.ENTITIES,
                Variant.ENTITIES_BROADCAST);
        assertThat(Variant.withEntities()).containsExactly(Variant.ENTITIES, Variant.ENTITIES_BROADCAST);
        assertThat(new PulseConfig(Variant.ENTITIES.settings()).entitiesBroadcast()).isFalse();
        assertThat(new PulseConfig(Variant.ENTITIES_BROADCAST.settings()).entitiesBroadcast()).isTrue();
        assertThat(Variant.standard()).doesNotContain(Variant.ENTITIES_BROADCAST);
        assertThat(Variant.ENTITIES.isPulse()).isTrue();
        assertThat(Variant.ENTITIES.usesInterestModel()).isFalse();
        assertThat(Variant.ENTITIES.settings()).containsExactly(Map.entry(PulseConfig.ENTITIES_TYPES, "terminal"));
        assertThat(Variant.standard()).doesNotContain(Variant.ENTITIES).contains(Variant.FULL);

        PulseConfig config = new PulseConfig(Variant.ENTITIES.settings());
        LstmModel model = Variant.entityModel(config);
        LstmModel withoutEntities = PulseTopology.fallbackModel(config).current();
        assertThat(model.featureSpec().entities()).isEqualTo(config.entities());
        assertThat(model.featureSpec().entities()).extracting(EntityWindowSpec::key).containsExactly("attr.terminal");
        assertThat(model.hiddenSize()).isEqualTo(withoutEntities.hiddenSize());
        assertThat(model.featureSpec().inputSize()).isEqualTo(withoutEntities.featureSpec().inputSize()
                + config.entities().get(0).featureCount());
    }
}
