package io.pulse.pipeline.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.telemetry.LiveFeed.TimelinePoint;
import io.pulse.pipeline.telemetry.LiveFeed.UserTimeline;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LiveFeedTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @Test
    void shouldKeepEveryPointsInterestsButOnlyTheNewestRecommendations() {
        LiveFeed feed = new LiveFeed(10, 3);

        for (int i = 0; i < 5; i++) {
            feed.onPrediction(event("u-1", i), prediction("u-1", i), T0.toEpochMilli(), T0.toEpochMilli());
        }

        UserTimeline timeline = feed.timeline("u-1");
        assertThat(timeline.points()).extracting(TimelinePoint::eventId).containsExactly("e-2", "e-3", "e-4");
        assertThat(timeline.points()).extracting(TimelinePoint::interestShift).containsExactly(0.2f, 0.3f, 0.4f);
        assertThat(timeline.points()).extracting(p -> p.nextCategories()[0]).containsExactly("c-2", "c-3", "c-4");
        assertThat(timeline.recommendations()).extracting(ItemScore::getItemId).containsExactly("item-4");
    }

    @Test
    void shouldKeepWhatTheTimelineShowsOfTheEventAndItsPrediction() {
        UserEvent event = event("u-1", 7);
        event.setType(EventType.PURCHASE);
        event.setAmount(12.5);
        Prediction prediction = prediction("u-1", 7);
        prediction.setNextAction(List.of(new ActionProbability("PURCHASE", 0.75), new ActionProbability("VIEW", 0.25)));
        prediction.setChurnProbability(0.125);
        prediction.setFraudScore(0.5);

        TimelinePoint point = TimelinePoint.of(event, prediction);

        assertThat(point.eventTime()).isEqualTo(T0.plusSeconds(7));
        assertThat(point.eventId()).isEqualTo("e-7");
        assertThat(point.type()).isEqualTo(EventType.PURCHASE);
        assertThat(point.amount()).isEqualTo(12.5);
        assertThat(point.itemId()).isEqualTo("item-7");
        assertThat(point.category()).isEqualTo("c-7");
        assertThat(point.churn()).isEqualTo(0.125f);
        assertThat(point.fraud()).isEqualTo(0.5f);
        assertThat(point.actions()).containsExactly("PURCHASE", "VIEW");
        assertThat(point.actionProbabilities()).containsExactly(0.75f, 0.25f);
        assertThat(point.nextCategories()).containsExactly("c-7");
        assertThat(point.categoryProbabilities()).containsExactly(0.9f);
        assertThat(point.interestShift()).isEqualTo(0.7f);
        assertThat(point.interestHeads()).isTrue();
        assertThat(point.modelVersion()).isEqualTo("v2");
    }

    @Test
    void shouldMarkAMissingAmountAndAMissingInterestShift() {
        Prediction withoutInterests = prediction("u-1", 1);
        withoutInterests.setInterestShift(null);
        withoutInterests.setNextCategories(List.of());
        withoutInterests.setRecommendations(List.of());

        TimelinePoint point = TimelinePoint.of(event("u-1", 1), withoutInterests);

        assertThat(point.amount()).isNaN();
        assertThat(point.interestShift()).isNaN();
        assertThat(point.interestHeads()).isFalse();
        assertThat(point.nextCategories()).isEmpty();
    }

    @Test
    void shouldBoundTheUsersWithATimeline() {
        LiveFeed feed = new LiveFeed(2, 3);

        long at = T0.toEpochMilli();
        for (String user : List.of("u-1", "u-2", "u-3")) { // a minute apart: u-1 is no longer active when it drops out
            feed.onPrediction(event(user, 0), prediction(user, 0), at, at);
            at += LiveFeed.ACTIVE_MILLIS;
        }

        assertThat(feed.timeline("u-1").isEmpty()).isTrue();
        assertThat(feed.timeline("u-2").points()).hasSize(1);
        assertThat(feed.timeline("u-3").points()).hasSize(1);
    }

    @Test
    void shouldStartANewcomersTimelineEmptyWhenItReusesTheOneOfAUserWhoDroppedOut() {
        LiveFeed feed = new LiveFeed(2, 3);
        long at = T0.toEpochMilli();
        for (int i = 0; i < 3; i++) {
            feed.onPrediction(event("u-1", i), prediction("u-1", i), at, at);
        }
        feed.onPrediction(event("u-2", 10), prediction("u-2", 10), at, at);

        for (int i = 20; i < 26; i++) { // each newcomer, a minute later, pushes out the user before the last
            at += LiveFeed.ACTIVE_MILLIS;
            feed.onPrediction(event("n-" + i, i), prediction("n-" + i, i), at, at);
        }
        assertThat(feed.followedOneIn()).isEqualTo(1);

        assertThat(feed.timeline("u-1").isEmpty()).isTrue();
        assertThat(feed.timeline("n-25").points()).extracting(TimelinePoint::eventId).containsExactly("e-25");
        assertThat(feed.timeline("n-25").recommendations()).extracting(ItemScore::getItemId).containsExactly("item-25");
        assertThat(feed.timeline("n-24").points()).extracting(TimelinePoint::eventId).containsExactly("e-24");
    }

    @Test
    void shouldKeepNoTimelineWhenConfiguredForNone() {
        LiveFeed feed = new LiveFeed(0, 3);

        for (int i = 0; i < 3; i++) {
            feed.onPrediction(event("u-" + i, i), prediction("u-" + i, i), T0.toEpochMilli(), T0.toEpochMilli());
        }

        assertThat(feed.timeline("u-2").isEmpty()).isTrue();
        assertThat(feed.recentUsers()).contains("u-2");
    }

    @Test
    void shouldFollowEveryUserWhileTheActiveOnesFitInTheTimelines() {
        LiveFeed feed = new LiveFeed(4, 3);

        long at = T0.toEpochMilli();
        for (int i = 0; i < 400; i++, at += 500) { // four users taking turns for 200 s
            String user = "u-" + i % 4;
            feed.onPrediction(event(user, i), prediction(user, i), at, at);
        }

        assertThat(feed.followedOneIn()).isEqualTo(1);
        assertThat(feed.recentUsers()).containsExactly("u-3", "u-2", "u-1", "u-0");
        for (int u = 0; u < 4; u++) {
            assertThat(feed.timeline("u-" + u).points()).hasSize(3);
        }
    }

    @Test
    void shouldFollowAStableSampleWithFullTimelinesWhenMoreUsersAreActiveThanTimelines() {
        LiveFeed feed = new LiveFeed(20, 5);

        long at = T0.toEpochMilli();
        for (int i = 0; i < 200_000; i++, at++) { // 2,000 users taking turns, an event a millisecond, 200 s
            String user = "u-" + i % 2_000;
            feed.onPrediction(event(user, i), prediction(user, i), at, at);
        }

        int oneIn = feed.followedOneIn();
        assertThat(oneIn).isGreaterThan(1);
        int shift = Integer.numberOfTrailingZeros(oneIn);
        List<String> followed = IntStream.range(0, 2_000).mapToObj(u -> "u-" + u)
                .filter(user -> LiveFeed.isFollowed(user, shift)).toList();
        assertThat(followed).hasSizeBetween(1, 20); // every followed user fits
        for (String user : followed) {
            assertThat(feed.timeline(user).points()).hasSize(5); // and keeps a full timeline
        }
        assertThat(IntStream.range(0, 2_000).mapToObj(u -> "u-" + u).filter(user -> !followed.contains(user))
                .filter(user -> !feed.timeline(user).isEmpty())).isEmpty();
        assertThat(feed.recentUsers()).isNotEmpty().allMatch(followed::contains);
        // the rates count every event, followed or not
        assertThat(feed.seconds().get(feed.seconds().size() - 2).events()).isEqualTo(1_000);
    }

    @Test
    void shouldFollowMoreUsersAgainWhenFewAreActive() {
        LiveFeed feed = new LiveFeed(20, 5);
        long at = T0.toEpochMilli();
        for (int i = 0; i < 50_000; i++, at++) {
            String user = "u-" + i % 2_000;
            feed.onPrediction(event(user, i), prediction(user, i), at, at);
        }
        assertThat(feed.followedOneIn()).isGreaterThan(1);

        for (int i = 0; i < 24 * 60 && feed.followedOneIn() > 1; i++, at += 1_000) { // two users, an event a second
            String user = "quiet-" + i % 2;
            feed.onPrediction(event(user, i), prediction(user, i), at, at);
        }

        assertThat(feed.followedOneIn()).isEqualTo(1);
        String next = "u-7";
        feed.onPrediction(event(next, 1), prediction(next, 1), at, at);
        assertThat(feed.timeline(next).points()).hasSize(1);
    }

    @Test
    void shouldDrawNestedFairSamplesFromTheUserIds() {
        List<String> users = IntStream.range(0, 100_000).mapToObj(u -> "user-" + u).toList();

        for (int shift = 1; shift <= 6; shift++) {
            int s = shift;
            long followed = users.stream().filter(user -> LiveFeed.isFollowed(user, s)).count();
            double expected = users.size() / (double) (1 << shift);
            assertThat((double) followed).isCloseTo(expected, withPercentage(10));
            assertThat(users.stream().filter(user -> LiveFeed.isFollowed(user, s))
                    .allMatch(user -> LiveFeed.isFollowed(user, s - 1))).isTrue();
        }
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
