package io.pulse.pipeline.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.EventType;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class PredictionsTest {

    private static final Instant T0 = Instant.parse("2026-12-05T10:00:00.123Z");

    @Test
    void shouldOrderTheActionsMostProbableFirstKeepingTiesInLabelOrder() {
        float[] probabilities = {0.1f, 0.4f, 0.1f, 0.4f, 0.0f};

        assertThat(Predictions.mostProbableFirst(probabilities, 5)).containsExactly(1, 3, 0, 2, 4);
        assertThat(Predictions.mostProbableFirst(new float[] {0.5f}, 1)).containsExactly(0);
        assertThat(Predictions.mostProbableFirst(new float[0], 0)).isEmpty();
    }

    @Test
    void shouldWriteTheSamePredictionAsTheSchemaBuilderWithTheRecordsSorted() {
        LstmModel model = ModelBundles.toModel(ModelBundles.seededRandom("pulse", 7L, 8));
        Scores scores = Scores.forModel(model);
        for (int i = 0; i < scores.nextAction.length; i++) {
            scores.nextAction[i] = (i * 7 % 5) / 10f; // ties included
        }
        scores.churn = 0.25f;
        scores.fraud = 0.75f;
        UserEvent event = UserEvent.newBuilder().setEventId("e-1").setUserId("u-1").setType(EventType.VIEW)
                .setEventTime(T0).setItemId("item-1").setCategory("c-1").build();

        Prediction written = Predictions.of(event, model, scores, 12, T0.toEpochMilli() + 5, 86_400_000L);

        // the reference: the record built with Avro's builder, the interest fields at the schema's defaults (empty,
        // empty, null), its actions sorted by the standard library's stable sort
        List<ActionProbability> next = new ArrayList<>();
        for (int i = 0; i < scores.nextAction.length; i++) {
            next.add(new ActionProbability(model.nextActionLabels().get(i), (double) scores.nextAction[i]));
        }
        next.sort(Comparator.comparingDouble(ActionProbability::getProbability).reversed());
        Prediction expected = Prediction.newBuilder().setEventId("e-1").setUserId("u-1").setEventTime(T0)
                .setPredictedAt(T0.plusMillis(5)).setModelName(model.name()).setModelVersion(model.version())
                .setNextAction(next).setChurnProbability(0.25).setChurnHorizonMillis(86_400_000L)
                .setFraudScore(0.75).setEventsSeen(12L).setNextCategories(List.of()).setRecommendations(List.of())
                .setInterestShift(null).build();
        assertThat(written).isEqualTo(expected);
        assertThat(written.getNextCategories()).isEmpty();
        assertThat(written.getRecommendations()).isEmpty();
        assertThat(written.getInterestShift()).isNull();
    }
}
