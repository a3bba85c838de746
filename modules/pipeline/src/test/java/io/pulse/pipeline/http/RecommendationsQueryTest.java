package io.pulse.pipeline.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.contracts.ItemScore;
import io.pulse.model.FeatureSpec;
import io.pulse.model.InterestCatalogues;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.processing.InterestSettings;
import io.pulse.pipeline.processing.Recommender;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The query and answer of {@code GET /users/{id}/recommendations?k=N}. */
class RecommendationsQueryTest {

    @Test
    void shouldTakeKFromTheQueryOrTheDefault() {
        assertThat(PulseHttpServer.recommendationsK(null, 10)).isEqualTo(10);
        assertThat(PulseHttpServer.recommendationsK("forwarded=1", 10)).isEqualTo(10);
        assertThat(PulseHttpServer.recommendationsK("k=1", 10)).isEqualTo(1);
        assertThat(PulseHttpServer.recommendationsK("k=1000&forwarded=1", 10)).isEqualTo(1000);
        assertThat(PulseHttpServer.recommendationsK("forwarded=1&k=25", 10)).isEqualTo(25);
    }

    @Test
    void shouldDefaultToTenWhenNoRecommendationsArePerEvent() {
        // interests.recommendations.k = 0: recommendations only on request, where an empty answer would help no one
        Recommender onRequestOnly = new Recommender(new InterestSettings(3, 0, 50, true, 0.9),
                PipelineMetrics.inMemory());
        Recommender perEvent = new Recommender(new InterestSettings(3, 20, 50, true, 0.9), PipelineMetrics.inMemory());

        assertThat(PulseHttpServer.recommendationsK(null, onRequestOnly.defaultK())).isEqualTo(10);
        assertThat(PulseHttpServer.recommendationsK("k=3", onRequestOnly.defaultK())).isEqualTo(3);
        assertThat(PulseHttpServer.recommendationsK(null, perEvent.defaultK())).isEqualTo(20);
    }

    @Test
    void shouldRefuseAKOutsideOneToAThousandNamingTheRule() {
        for (String query : List.of("k=0", "k=-3", "k=1001", "k=ten", "k=", "k=2.5")) {
            assertThatThrownBy(() -> PulseHttpServer.recommendationsK(query, 10)).as(query)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("k must be an integer from 1 to 1000");
        }
    }

    @Test
    void shouldRenderTheItemsAsThePredictionsItemScores() {
        LstmModel model = ModelBundles.toModel(ModelBundles.seededRandom("m", 7L, 8, FeatureSpec.v2(6, 3, 2),
                InterestCatalogues.catalogue(30, 4)));

        ObjectNode json = UserView.recommendations("u-1", model, 2,
                List.of(new ItemScore("item-3", 1.5), new ItemScore("item-9", 0.25)), false, "host:1");

        assertThat(json.get("userId").asText()).isEqualTo("u-1");
        assertThat(json.get("servedBy").asText()).isEqualTo("host:1");
        assertThat(json.get("modelVersion").asText()).isEqualTo(model.version());
        assertThat(json.get("k").asInt()).isEqualTo(2);
        assertThat(json.get("recommendations")).hasSize(2);
        assertThat(json.get("recommendations").get(0).get("itemId").asText()).isEqualTo("item-3");
        assertThat(json.get("recommendations").get(0).get("score").asDouble()).isEqualTo(1.5);
        assertThat(json.has("note")).isFalse();
        assertThat(UserView.recommendations("u-1", model, 2, List.of(), true, "host:1").get("note").asText())
                .contains("re-warmed");
    }
}
