package io.pulse.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ModelBundles;
import io.pulse.trainer.publish.CurrentModel;
import io.pulse.trainer.train.InterestConfig;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A training round's entity declaration ({@code pulse train --entity}): recorded with the round's settings, combined
 * with interest heads into one spec, and a current model reading other entity types is not compared on this round's
 * features.
 * (The round itself is run by the CLI's {@code TrainEntitiesCommandTest}.)
 */
class TrainJobEntitiesTest {

    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");
    private static final Duration CHURN = Duration.ofDays(7);

    @Test
    void shouldRecordTheEntitiesWithTheRoundsSettings() {
        EntityWindowSpec device = new EntityWindowSpec("device", "attr.device_id", List.of(Duration.ofHours(6)),
                Duration.ZERO, Duration.ofHours(1));
        TrainJobConfig config = TrainJobConfig.defaults().withEntities(List.of(TERMINAL, device));

        assertThat(config.entities()).containsExactly(TERMINAL, device);
        assertThat(config.asMap()).containsEntry("entities",
                "terminal=attr.terminal:horizons=PT24H,PT168H,PT720H:delay=PT168H:bucket=PT24H"
                        + " device=attr.device_id:horizons=PT6H:delay=PT0S:bucket=PT1H");
        assertThat(TrainJobConfig.defaults().entities()).isEmpty();
        assertThat(TrainJobConfig.defaults().asMap()).doesNotContainKey("entities");
    }

    @Test
    void shouldBuildOneSpecWithTheDenseFeaturesTheEntityBlockAndTheEmbeddings() {
        TrainJobConfig both = TrainJobConfig.defaults().withInterests(new InterestConfig(8, 4, 1, null))
                .withEntities(List.of(TERMINAL));
        FeatureSpec dense = FeatureSpec.v1().withEntities(List.of(TERMINAL));

        FeatureSpec spec = both.interests().spec(dense);

        assertThat(both.asMap()).containsKey("entities");
        assertThat(spec.hasInterests()).isTrue();
        assertThat(spec.entities()).containsExactly(TERMINAL);
        assertThat(spec.names()).isEqualTo(dense.names());
        assertThat(spec.lstmInputSize()).isEqualTo(dense.inputSize() + 8 + 4);
    }

    @Test
    void shouldCompareACurrentModelWithoutEntitiesOrWithTheSameOnesButNotOneReadingOthers() {
        FeatureSpec terminals = FeatureSpec.v1().withEntities(List.of(TERMINAL));
        CurrentModel v1 = CurrentModel.of(ModelBundles.seededRandom("m", 1L, 8), "file", CHURN);
        CurrentModel same = CurrentModel.of(ModelBundles.seededRandom("m", 2L, 8, terminals, null), "file", CHURN);
        CurrentModel merchant = CurrentModel.of(ModelBundles.seededRandom("m", 3L, 8,
                FeatureSpec.v1().withEntities(List.of(EntityWindowSpec.daily("merchant"))), null), "file", CHURN);

        // a version-1 model reads the version-1 prefix of any round's features
        assertThat(TrainJob.sameEntities(v1, List.of(TERMINAL)).comparable()).isTrue();
        assertThat(TrainJob.sameEntities(same, List.of(TERMINAL)).comparable()).isTrue();
        CurrentModel other = TrainJob.sameEntities(merchant, List.of(TERMINAL));
        assertThat(other.comparable()).isFalse();
        assertThat(other.exists()).isTrue();
        assertThat(other.incompatibility()).contains("merchant=attr.merchant", "terminal=attr.terminal");
        assertThat(TrainJob.sameEntities(same, List.of()).comparable()).isFalse();
    }
}
