package io.pulse.pipeline.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.telemetry.LiveFeed.TimelinePoint;
import java.time.Instant;
import java.util.List;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void shouldKeepEveryPointsInterestsButOnlyTheNewestRecommendations() {
        LiveFeed feed = new LiveFeed(10, 3);

        for (int i = 0; i < 5; i++) {
            feed.onPrediction(event("u-1", i), prediction("u-1", i), T0.toEpochMilli(), T0.toEpochMilli());
        }

        List<TimelinePoint> timeline = feed.timeline("u-1");
        assertThat(timeline).extracting(p -> p.event().getEventId()).containsExactly("e-2", "e-3", "e-4");
        assertThat(timeline).extracting(p -> p.prediction().getInterestShift()).containsExactly(0.2, 0.3, 0.4);
        assertThat(timeline).extracting(p -> p.prediction().getNextCategories().get(0).getCategory())
                .containsExactly("c-2", "c-3", "c-4");
        assertThat(timeline).extracting(p -> p.prediction().getRecommendations().size()).containsExactly(0, 0, 1);
        assertThat(timeline.get(2).prediction().getRecommendations().get(0).getItemId()).isEqualTo("item-4");
    }

    @Test
    void shouldCopyEveryOtherFieldWhenDroppingRecommendations() {
        Prediction prediction = prediction("u-1", 7);

        Prediction copy = LiveFeed.withoutRecommendations(prediction);

        assertThat(copy.getRecommendations()).isEmpty();
        assertThat(prediction.getRecommendations()).hasSize(1);
        for (Schema.Field field : Prediction.getClassSchema().getFields()) {
            if (!field.name().equals("recommendations")) {
                Object original = prediction.get(field.pos());
                if (original instanceof Number) {
                    assertThat(copy.get(field.pos())).as(field.name()).isEqualTo(original);
                } else {
                    // shared, not copied: the copy costs one object
                    assertThat(copy.get(field.pos())).as(field.name()).isSameAs(original);
                }
            }
        }
    }

    @Test
    void shouldBoundTheUsersWithATimeline() {
        LiveFeed feed = new LiveFeed(2, 3);

        for (String user : List.of("u-1", "u-2", "u-3")) {
            feed.onPrediction(event(user, 0), prediction(user, 0), T0.toEpochMilli(), T0.toEpochMilli());
        }

        assertThat(feed.timeline("u-1")).isEmpty();
        assertThat(feed.timeline("u-2")).hasSize(1);
        assertThat(feed.timeline("u-3")).hasSize(1);
    }

    private static UserEvent event(String user, int i) {
        return UserEvent.newBuilder().setEventId("e-" + i).setUserId(user).setType(EventType.VIEW)
                .setEventTime(T0.plusSeconds(i)).setItemId("item-" + i).setCategory("c-" + i).build();
    }

    private static Prediction prediction(String user, int i) {
        Instant at = T0.plusSeconds(i);
        return Prediction.newBuilder().setEventId("e-" + i).setUserId(user).setEventTime(at).setPredictedAt(at)
                .setModelName("pulse").setModelVersion("v2").setNextAction(List.of(new ActionProbability("VIEW", 1.0)))
                .setChurnProbability(0.1).setChurnHorizonMillis(1_000L).setFraudScore(0.0).setEventsSeen(i)
                .setNextCategories(List.of(new CategoryProbability("c-" + i, 0.9)))
                .setRecommendations(List.of(new ItemScore("item-" + i, 1.0 + i))).setInterestShift(i / 10.0).build();
    }
}
