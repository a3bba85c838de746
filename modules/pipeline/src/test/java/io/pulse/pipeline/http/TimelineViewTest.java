package io.pulse.pipeline.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.InterestCatalogues;
import io.pulse.pipeline.telemetry.LiveFeed.TimelinePoint;
import io.pulse.pipeline.telemetry.LiveFeed.UserTimeline;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineViewTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void shouldRenderEveryPointsCategoriesAndShiftAndTheNewestRecommendations() throws Exception {
        List<Point> points = List.of(
                point(0, "item-3", "1>4>leaf", "v2", List.of(category("1>4", 0.7), category("1>1", 0.2)), 0.0,
                        List.of(item("item-9", 1.5))),
                point(1, "item-5", "1>2", "v2", List.of(category("1>2", 0.55), category("1>4", 0.3)), 0.31,
                        List.of(item("item-7", 2.25), item("item-11", 1.0), item("not-in-catalogue", 0.5))));

        JsonNode json = render(points, true);

        assertThat(json.get("userId").asText()).isEqualTo("u-1");
        assertThat(json.get("servedBy").asText()).isEqualTo("host:8080");
        assertThat(json.get("interestHeads").asBoolean()).isTrue();
        // the newest point's recommendations, best first, with their catalogue categories (item i is in 1>(1 + i % 4))
        assertThat(json.get("recommendations").toString()).isEqualTo("[{\"itemId\":\"item-7\",\"score\":2.25,"
                + "\"category\":\"1>4\"},{\"itemId\":\"item-11\",\"score\":1.0,\"category\":\"1>4\"},"
                + "{\"itemId\":\"not-in-catalogue\",\"score\":0.5,\"category\":null}]");
        JsonNode first = json.get("points").get(0);
        assertThat(first.get("eventTime").asText()).isEqualTo("2026-03-01T10:00:00Z");
        assertThat(first.get("itemId").asText()).isEqualTo("item-3");
        assertThat(first.get("category").asText()).isEqualTo("1>4>leaf");
        assertThat(first.get("nextCategories").toString())
                .isEqualTo("[{\"category\":\"1>4\",\"probability\":0.7},{\"category\":\"1>1\",\"probability\":0.2}]");
        assertThat(first.get("interestShift").asDouble()).isEqualTo(0.0);
        assertThat(first.get("nextAction").get("VIEW").asDouble()).isEqualTo(0.6);
        assertThat(first.has("recommendations")).isFalse();
        JsonNode second = json.get("points").get(1);
        assertThat(second.get("nextCategories").get(0).get("category").asText()).isEqualTo("1>2");
        assertThat(second.get("interestShift").asDouble()).isEqualTo(0.31);
    }

    @Test
    void shouldListRecommendationsWithoutCategoriesWhenTheirModelIsGone() throws Exception {
        List<Point> points = List.of(point(0, "item-3", "1>4", "v2", List.of(category("1>4", 0.7)), 0.1,
                List.of(item("item-7", 2.25))));

        JsonNode json = render(points, false);

        assertThat(json.get("recommendations").toString()).isEqualTo("[{\"itemId\":\"item-7\",\"score\":2.25}]");
    }

    @Test
    void shouldSayThatAModelWithoutInterestHeadsHasNoneAndRenderItsPointsWithEmptyInterests() throws Exception {
        List<Point> points = List.of(
                point(0, "item-3", "1>4", "v2", List.of(category("1>4", 0.7)), 0.2, List.of(item("item-7", 2.0))),
                point(1, null, null, "v1", List.of(), null, List.of()));

        JsonNode json = render(points, false);

        assertThat(json.get("interestHeads").asBoolean()).isFalse();
        assertThat(json.get("recommendations").isEmpty()).isTrue();
        JsonNode newest = json.get("points").get(1);
        assertThat(newest.get("itemId").isNull()).isTrue();
        assertThat(newest.get("category").isNull()).isTrue();
        assertThat(newest.get("nextCategories").isEmpty()).isTrue();
        assertThat(newest.get("interestShift").isNull()).isTrue();
        assertThat(newest.get("modelVersion").asText()).isEqualTo("v1");
        assertThat(json.get("points").get(0).get("interestShift").asDouble()).isEqualTo(0.2);
    }

    @Test
    void shouldCountAModelWithInterestHeadsButNoCategoriesAskedAsHavingThem() throws Exception {
        JsonNode json = render(List.of(point(0, "item-1", "1>2", "v2", List.of(), 0.05, List.of())), true);

        assertThat(json.get("interestHeads").asBoolean()).isTrue();
        assertThat(json.get("points").get(0).get("interestShift").asDouble()).isEqualTo(0.05);
    }

    /** Renders the points as the feed holds them: each point's own fields, the last prediction's recommendations. */
    private static JsonNode render(List<Point> points, boolean withCatalogue) throws Exception {
        UserTimeline timeline = new UserTimeline(points.stream().map(Point::timelinePoint).toList(),
                points.get(points.size() - 1).prediction().getRecommendations());
        String text = TimelineView.render("u-1", "host:8080", timeline,
                withCatalogue ? InterestCatalogues.catalogue(12, 4) : null).toString();
        return MAPPER.readTree(text);
    }

    private record Point(UserEvent event, Prediction prediction) {
        TimelinePoint timelinePoint() {
            return TimelinePoint.of(event, prediction);
        }
    }

    private static Point point(int minute, String itemId, String category, String version,
            List<CategoryProbability> categories, Double shift, List<ItemScore> recommendations) {
        Instant at = T0.plusSeconds(60L * minute);
        UserEvent event = UserEvent.newBuilder().setEventId("e-" + minute).setUserId("u-1").setType(EventType.VIEW)
                .setEventTime(at).setItemId(itemId).setCategory(category).build();
        Prediction prediction = Prediction.newBuilder().setEventId("e-" + minute).setUserId("u-1").setEventTime(at)
                .setPredictedAt(at).setModelName("pulse").setModelVersion(version)
                .setNextAction(List.of(new ActionProbability("VIEW", 0.6), new ActionProbability("CLICK", 0.4)))
                .setChurnProbability(0.25).setChurnHorizonMillis(86_400_000L).setFraudScore(0.01)
                .setNextCategories(categories).setRecommendations(recommendations).setInterestShift(shift).build();
        return new Point(event, prediction);
    }

    private static CategoryProbability category(String id, double probability) {
        return new CategoryProbability(id, probability);
    }

    private static ItemScore item(String id, double score) {
        return new ItemScore(id, score);
    }
}
