package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.UserInterests;
import io.pulse.model.Catalogue;
import io.pulse.model.FeatureSpec;
import io.pulse.model.InterestCatalogues;
import io.pulse.model.ItemCooccurrence;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.processing.InterestSettings;
import io.pulse.pipeline.processing.Recommender;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Interests: a model with interest heads adds next categories, recommendations and the interest shift. */
class InterestTopologyTest {

    private static final int ITEMS = 30;
    private static final int CATEGORIES = 4;

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private TopologyFixture startWithInterestModel(Map<String, String> overrides) {
        fixture = TopologyFixture.withInterestModel(stateDir, overrides, ITEMS, CATEGORIES);
        return fixture;
    }

    private static UserEvent viewOf(String user, String item, String category, int minute) {
        UserEvent.Builder event = TopologyFixture.event(user, EventType.VIEW, Duration.ofMinutes(minute));
        return event.setItemId(item).setCategory(category).build();
    }

    private UserState storedState(String user) {
        byte[] bytes = fixture.<String, byte[]>keyValueStore(StateStores.USER_STATE).get(user);
        assertThat(bytes).isNotNull();
        assertThat(bytes.length).isLessThanOrEqualTo(UserStateCodec.MAX_BYTES
                + UserStateCodec.interestBudget(50, CATEGORIES + 1));
        return new UserStateCodec(FeatureSpec.v1()).decode(bytes);
    }

    @Test
    void shouldRankTheCooccurrencePriorOfTheUsersRecentItemsIntoTheRecommendations() {
        fixture = new TopologyFixture(stateDir, Map.of());
        Catalogue catalogue = InterestCatalogues.catalogue(ITEMS, CATEGORIES);
        ModelBundle plain = ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), 7L, 16,
                FeatureSpec.v2(6, 3, 2), catalogue);
        // item-1 is followed by item-20 (5 times) and item-9 (twice); a heavy blend lets the prior decide
        int[] rowStart = new int[catalogue.items() + 1];
        for (int row = 2; row <= catalogue.items(); row++) {
            rowStart[row] = 2;
        }
        ItemCooccurrence prior = new ItemCooccurrence(catalogue.items(), rowStart, new int[] {20, 9},
                new float[] {5, 2}, ItemCooccurrence.MAX_RECENT_ITEMS, 0.5f, 100f);
        fixture.modelWeights.pipeInput(plain.getName(), ModelBundles.withCooccurrence(plain, prior));

        fixture.send(viewOf("u-1", "item-1", "1>2", 1));
        fixture.send(viewOf("u-1", "not-in-the-catalogue", "1>3", 2));
        fixture.send(viewOf("u-1", "item-20", "1>1", 3));

        List<Prediction> predictions = fixture.predictions.readValuesToList();
        assertThat(predictions.get(0).getRecommendations()).extracting(ItemScore::getItemId)
                .startsWith("item-20", "item-9");
        assertThat(predictions.get(1).getRecommendations()).extracting(ItemScore::getItemId)
                .as("the unknown item takes the newest place; item-1 still votes, with half the weight")
                .startsWith("item-20", "item-9");
        assertThat(predictions.get(2).getRecommendations()).extracting(ItemScore::getItemId)
                .as("item-20 is seen now; item-1 still votes for item-9").startsWith("item-9")
                .doesNotContain("item-20");
    }

    @Test
    void shouldWeighTheCategoriesOfTheUsersItemsIntoTheNextCategoriesWhenTheBundleSaysSo() {
        fixture = new TopologyFixture(stateDir, Map.of());
        ModelBundle plain = ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), 7L, 16,
                FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(ITEMS, CATEGORIES));
        fixture.modelWeights.pipeInput(plain.getName(), ModelBundles.withCategoryHistory(plain, 20f));

        // items 4, 8 and 12 are all in category 1>1 (item i in 1>(1 + i % 4)); the events name no category
        for (int i = 1; i <= 3; i++) {
            fixture.send(viewOf("u-1", "item-" + 4 * i, null, i));
        }

        List<Prediction> predictions = fixture.predictions.readValuesToList();
        assertThat(predictions).allSatisfy(p -> assertThat(p.getNextCategories().get(0).getCategory())
                .isEqualTo("1>1"));
        Prediction last = predictions.get(2);
        assertThat(last.getNextCategories().get(0).getProbability()).as("(1 + 3)^20 outweighs any head")
                .isGreaterThan(0.99);
    }

    @Test
    void shouldRecommendItemsOfTheUsersCategoriesWhenTheBundleGivesThemAnAffinity() {
        fixture = new TopologyFixture(stateDir, Map.of());
        ModelBundle plain = ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), 7L, 16,
                FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(ITEMS, CATEGORIES));
        fixture.modelWeights.pipeInput(plain.getName(), ModelBundles.withCategoryAffinity(plain, 100f));

        // items 4 and 8 are in category 1>1 (item i in 1>(1 + i % 4)); 100 × log 3 outweighs any logit
        fixture.send(viewOf("u-1", "item-4", null, 1));
        fixture.send(viewOf("u-1", "item-8", null, 2));

        List<Prediction> predictions = fixture.predictions.readValuesToList();
        assertThat(predictions.get(0).getRecommendations().subList(0, 6)).extracting(ItemScore::getItemId)
                .containsExactlyInAnyOrder("item-8", "item-12", "item-16", "item-20", "item-24", "item-28");
        assertThat(predictions.get(1).getRecommendations().subList(0, 5)).extracting(ItemScore::getItemId)
                .as("the category's unseen items first").containsExactlyInAnyOrder("item-12", "item-16", "item-20",
                        "item-24", "item-28");
    }

    @Test
    void shouldRecommendItemsOfTheUsersBrandsEvenWithTheSeenFilterOff() {
        // repeat consumption allowed: the seen items are still read, as the brand affinity's history
        fixture = new TopologyFixture(stateDir, Map.of(PulseConfig.INTERESTS_SEEN_FILTER, "false"));
        ModelBundle plain = ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), 7L, 16,
                FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(ITEMS, CATEGORIES));
        int[] itemBrand = new int[ITEMS + 1];
        for (int item = 1; item <= ITEMS; item++) {
            itemBrand[item] = item <= 5 ? 1 : item <= 10 ? 2 : 0; // items 1..5 brand 1, 6..10 brand 2, the rest none
        }
        fixture.modelWeights.pipeInput(plain.getName(), ModelBundles.withBrandAffinity(plain, itemBrand, 100f));

        // 100 × log 2 outweighs any logit: brand 1's items first, then after a brand-2 item the two brands
        fixture.send(viewOf("u-1", "item-2", null, 1));
        fixture.send(viewOf("u-1", "item-7", null, 2));

        List<Prediction> predictions = fixture.predictions.readValuesToList();
        assertThat(predictions.get(0).getRecommendations().subList(0, 5)).extracting(ItemScore::getItemId)
                .as("the brand's items, the seen one included").containsExactlyInAnyOrder("item-1", "item-2",
                        "item-3", "item-4", "item-5");
        assertThat(predictions.get(1).getRecommendations()).extracting(ItemScore::getItemId)
                .containsExactlyInAnyOrder("item-1", "item-2", "item-3", "item-4", "item-5", "item-6", "item-7",
                        "item-8", "item-9", "item-10");
    }

    @Test
    void shouldPredictNextCategoriesAndRecommendUnseenItems() {
        TopologyFixture f = startWithInterestModel(Map.of());
        List<String> viewed = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            String item = "item-" + i;
            viewed.add(item);
            f.send(viewOf("u-1", item, "1>" + (1 + i % CATEGORIES) + ">leaf", i));
        }

        List<Prediction> predictions = f.predictions.readValuesToList();
        assertThat(predictions).hasSize(12);
        for (int n = 0; n < predictions.size(); n++) {
            Prediction prediction = predictions.get(n);
            List<CategoryProbability> categories = prediction.getNextCategories();
            assertThat(categories).hasSize(3);
            assertThat(categories).extracting(CategoryProbability::getProbability)
                    .isSortedAccordingTo((a, b) -> Double.compare(b, a));
            assertThat(categories.stream().mapToDouble(CategoryProbability::getProbability).sum())
                    .isLessThanOrEqualTo(1.0 + 1e-9);
            assertThat(categories).extracting(CategoryProbability::getCategory)
                    .doesNotContain(Catalogue.UNKNOWN_CATEGORY);
            List<ItemScore> recommendations = prediction.getRecommendations();
            assertThat(recommendations).hasSize(10);
            assertThat(recommendations).extracting(ItemScore::getScore)
                    .isSortedAccordingTo((a, b) -> Double.compare(b, a));
            Set<String> seenSoFar = new HashSet<>(viewed.subList(0, n + 1));
            assertThat(recommendations).extracting(ItemScore::getItemId).doesNotContainAnyElementsOf(seenSoFar)
                    .doesNotContain(Catalogue.OOV_ITEM);
            assertThat(prediction.getInterestShift()).isNotNull().isBetween(0.0, 1.0);
        }
        assertThat(predictions.get(0).getInterestShift()).isZero();
        UserState state = storedState("u-1");
        assertThat(state.seenItems().size()).isEqualTo(12);
        assertThat(state.categoryProfile()).hasSize(CATEGORIES + 1);
        assertThat(f.metrics.itemsOutOfVocabulary()).isZero();
    }

    @Test
    void shouldPublishEachPredictionsInterestsAsTheUsersLatestUserInterests() {
        TopologyFixture f = startWithInterestModel(Map.of());
        for (int i = 1; i <= 6; i++) {
            String user = i % 2 == 0 ? "u-even" : "u-odd";
            f.send(viewOf(user, "item-" + i, "1>" + (1 + i % CATEGORIES) + ">leaf", i));
        }

        List<Prediction> predictions = f.predictions.readValuesToList();
        List<TestRecord<String, UserInterests>> published = f.userInterests.readRecordsToList();
        assertThat(published).hasSize(predictions.size()).hasSize(6);
        for (int n = 0; n < predictions.size(); n++) {
            Prediction prediction = predictions.get(n);
            TestRecord<String, UserInterests> record = published.get(n);
            assertThat(record.key()).isEqualTo(prediction.getUserId());
            UserInterests interests = record.value();
            assertThat(interests.getUserId()).isEqualTo(prediction.getUserId());
            assertThat(interests.getUpdatedAt()).isEqualTo(prediction.getPredictedAt());
            assertThat(interests.getModelVersion()).isEqualTo(prediction.getModelVersion());
            assertThat(interests.getNextCategories()).isEqualTo(prediction.getNextCategories()).hasSize(3);
            assertThat(interests.getRecommendations()).isEqualTo(prediction.getRecommendations()).hasSize(10);
            assertThat(interests.getInterestShift()).isEqualTo(prediction.getInterestShift());
        }
        // compaction keeps the last record per key: each user's latest prediction
        assertThat(published.get(5).value().getRecommendations()).isEqualTo(predictions.get(5).getRecommendations());
        assertThat(published.get(4).value().getRecommendations()).isEqualTo(predictions.get(4).getRecommendations());
    }

    @Test
    void shouldPublishNoUserInterestsForAModelWithoutInterestHeads() {
        fixture = new TopologyFixture(stateDir, Map.of());
        fixture.send(viewOf("u-1", "item-1", "1>1", 1));
        fixture.send(viewOf("u-1", "item-2", "1>1", 2));

        assertThat(fixture.predictions.readValuesToList()).hasSize(2);
        assertThat(fixture.userInterests.isEmpty()).isTrue();
    }

    @Test
    void shouldRecommendOnRequestWhatTheLastPredictionRecommended() {
        // Given a user whose last prediction recommended ten unseen items
        TopologyFixture f = startWithInterestModel(Map.of());
        for (int i = 1; i <= 12; i++) {
            f.send(viewOf("u-1", "item-" + i, "1>" + (1 + i % CATEGORIES), i));
        }
        Prediction last = f.predictions.readValuesToList().get(11);
        Recommender recommender = new Recommender(InterestSettings.from(f.config), f.metrics);

        // When recommendations are computed on request from the stored state
        List<ItemScore> ten = recommender.recommend(f.models.current(), storedState("u-1"), 10);
        List<ItemScore> all = recommender.recommend(f.models.current(), storedState("u-1"), Recommender.MAX_K);

        // Then they are the prediction's (scores to the precision of the stored half-float state), and no k shows
        // a seen item
        assertThat(ten).extracting(ItemScore::getItemId)
                .containsExactlyElementsOf(last.getRecommendations().stream().map(ItemScore::getItemId).toList());
        assertSameScores(ten, last.getRecommendations(), 1e-3);
        assertThat(all).hasSize(ITEMS - 12).startsWith(ten.toArray(ItemScore[]::new))
                .extracting(ItemScore::getItemId).doesNotContain("item-1", "item-6", "item-12", Catalogue.OOV_ITEM);
        assertThat(recommender.recommend(f.models.current(), storedState("u-1"), 1)).containsExactly(ten.get(0));
    }

    @Test
    void shouldRecommendOnlyOnRequestWhenNoRecommendationsPerEventAreConfigured(@TempDir Path otherStateDir) {
        // Given recommendations per event turned off (interests.recommendations.k = 0)
        TopologyFixture f = startWithInterestModel(Map.of(PulseConfig.INTERESTS_RECOMMENDATIONS_K, "0"));
        List<UserEvent> history = new ArrayList<>();
        for (int i = 1; i <= 12; i++) {
            history.add(viewOf("u-1", "item-" + i, "1>" + (1 + i % CATEGORIES), i));
        }

        // When the user views twelve items
        history.forEach(f::send);

        // Then every prediction and user-interests record carries next categories and the shift, no recommendations
        List<Prediction> predictions = f.predictions.readValuesToList();
        List<UserInterests> published = f.userInterests.readValuesToList();
        assertThat(predictions).hasSize(12);
        assertThat(published).hasSize(12);
        for (int n = 0; n < predictions.size(); n++) {
            Prediction prediction = predictions.get(n);
            assertThat(prediction.getRecommendations()).isEmpty();
            assertThat(prediction.getNextCategories()).hasSize(3);
            assertThat(prediction.getInterestShift()).isNotNull().isBetween(0.0, 1.0);
            assertThat(published.get(n).getRecommendations()).isEmpty();
            assertThat(published.get(n).getNextCategories()).isEqualTo(prediction.getNextCategories());
            assertThat(published.get(n).getInterestShift()).isEqualTo(prediction.getInterestShift());
        }
        assertThat(predictions.get(11).getInterestShift()).isPositive();
        assertThat(storedState("u-1").seenItems().size()).as("the seen set is kept for the requests").isEqualTo(12);

        // and on request, by default the top 10, they are what a prediction with k = 10 would have carried
        Recommender recommender = new Recommender(InterestSettings.from(f.config), f.metrics);
        assertThat(recommender.defaultK()).isEqualTo(Recommender.DEFAULT_K).isEqualTo(10);
        List<ItemScore> onRequest = recommender.recommend(f.models.current(), storedState("u-1"),
                recommender.defaultK());
        try (TopologyFixture perEvent = new TopologyFixture(otherStateDir, Map.of())) {
            ModelBundle same = ModelBundles.seededRandom(perEvent.config.getString(PulseConfig.MODEL_NAME), 7L, 16,
                    FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(ITEMS, CATEGORIES));
            perEvent.modelWeights.pipeInput(same.getName(), same);
            history.forEach(perEvent::send);
            Prediction last = perEvent.predictions.readValuesToList().get(11);
            assertThat(last.getRecommendations()).hasSize(10);
            assertThat(onRequest).extracting(ItemScore::getItemId).containsExactlyElementsOf(
                    last.getRecommendations().stream().map(ItemScore::getItemId).toList());
            assertSameScores(onRequest, last.getRecommendations(), 1e-3);
        }
    }

    @Test
    void shouldDefaultARequestToTheConfiguredKWhenRecommendationsArePerEvent() {
        TopologyFixture f = startWithInterestModel(Map.of(PulseConfig.INTERESTS_RECOMMENDATIONS_K, "25"));

        assertThat(new Recommender(InterestSettings.from(f.config), f.metrics).defaultK()).isEqualTo(25);
    }

    @Test
    void shouldRecommendSeenItemsOnRequestWhenTheSeenFilterIsOff() {
        TopologyFixture f = startWithInterestModel(Map.of(PulseConfig.INTERESTS_SEEN_FILTER, "false"));
        for (int i = 1; i <= 5; i++) {
            f.send(viewOf("u-1", "item-" + i, "1>1", i));
        }
        Recommender recommender = new Recommender(InterestSettings.from(f.config), f.metrics);

        assertThat(recommender.recommend(f.models.current(), storedState("u-1"), ITEMS))
                .extracting(ItemScore::getItemId).contains("item-1", "item-5").hasSize(ITEMS);
    }

    @Test
    void shouldReWarmAStateOfAnEarlierModelOnRequestAsItsNextEventWould(@TempDir Path otherStateDir) {
        // Given a user scored by one interest model, and a second model published after their last event
        TopologyFixture f = startWithInterestModel(Map.of());
        List<UserEvent> history = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            history.add(viewOf("u-1", "item-" + i, "1>" + (1 + i % CATEGORIES), i));
        }
        history.forEach(f::send);
        ModelBundle next = ModelBundles.seededRandom(f.config.getString(PulseConfig.MODEL_NAME), 8L, 16,
                FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(ITEMS, CATEGORIES));
        f.modelWeights.pipeInput(next.getName(), next);
        UserState stale = storedState("u-1");
        assertThat(Recommender.isCurrent(f.models.current(), stale)).isFalse();

        // When recommendations are asked for
        List<ItemScore> onRequest = new Recommender(InterestSettings.from(f.config), f.metrics)
                .recommend(f.models.current(), stale, 10);

        // Then they are those of the same history scored by the second model from the start
        try (TopologyFixture fresh = new TopologyFixture(otherStateDir, Map.of())) {
            fresh.modelWeights.pipeInput(next.getName(), next);
            history.forEach(fresh::send);
            Prediction expected = fresh.predictions.readValuesToList().get(3);
            assertThat(expected.getModelVersion()).isEqualTo(next.getVersion());
            // the same items; scores differ by the half-float rounding of the state saved after each fresh event
            assertSameScores(onRequest, expected.getRecommendations(), 0.02);
        }
        assertThat(storedState("u-1").producedBy(f.models.current().version())).as("nothing saved").isFalse();
    }

    /** The same items with scores within {@code tolerance} (in any order: near-ties may swap). */
    private static void assertSameScores(List<ItemScore> actual, List<ItemScore> expected, double tolerance) {
        Map<String, Double> expectedScores = new HashMap<>();
        expected.forEach(item -> expectedScores.put(item.getItemId(), item.getScore()));
        assertThat(actual).extracting(ItemScore::getItemId)
                .containsExactlyInAnyOrderElementsOf(expectedScores.keySet());
        assertThat(actual).allSatisfy(item -> assertThat(item.getScore()).as(item.getItemId())
                .isCloseTo(expectedScores.get(item.getItemId()), within(tolerance)));
    }

    @Test
    void shouldRefuseToRecommendOnRequestWithoutInterestHeads() {
        fixture = new TopologyFixture(stateDir, Map.of());
        fixture.send(viewOf("u-1", "item-1", "1>1", 1));
        Recommender recommender = new Recommender(InterestSettings.from(fixture.config), fixture.metrics);

        assertThatThrownBy(() -> recommender.recommend(fixture.models.current(), fixture.stateOf("u-1"), 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no interest heads");
    }

    @Test
    void shouldRefuseToRecommendOnRequestOutsideTheBoundsOfK() {
        TopologyFixture f = startWithInterestModel(Map.of());
        f.send(viewOf("u-1", "item-1", "1>1", 1));
        Recommender recommender = new Recommender(InterestSettings.from(f.config), f.metrics);

        assertThatThrownBy(() -> recommender.recommend(f.models.current(), storedState("u-1"), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1..1000");
        assertThatThrownBy(() -> recommender.recommend(f.models.current(), storedState("u-1"),
                Recommender.MAX_K + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(recommender.recommend(f.models.current(), storedState("u-1"), Recommender.MAX_K))
                .hasSize(ITEMS - 1);
    }

    @Test
    void shouldRecommendSeenItemsAgainWhenTheSeenFilterIsOff() {
        TopologyFixture f = startWithInterestModel(Map.of(PulseConfig.INTERESTS_SEEN_FILTER, "false",
                PulseConfig.INTERESTS_RECOMMENDATIONS_K, String.valueOf(ITEMS)));
        for (int i = 1; i <= 5; i++) {
            f.send(viewOf("u-1", "item-" + i, "1>1", i));
        }

        Prediction last = f.predictions.readValuesToList().get(4);
        assertThat(last.getRecommendations()).extracting(ItemScore::getItemId)
                .contains("item-1", "item-2", "item-3", "item-4", "item-5").hasSize(ITEMS);
    }

    @Test
    void shouldBoundTheSeenItemsToTheConfiguredSize() {
        TopologyFixture f = startWithInterestModel(Map.of(PulseConfig.INTERESTS_SEEN_SIZE, "4"));
        for (int i = 1; i <= 9; i++) {
            f.send(viewOf("u-1", "item-" + i, "1>1", i));
        }

        Prediction last = f.predictions.readValuesToList().get(8);
        assertThat(storedState("u-1").seenItems().size()).isEqualTo(4);
        assertThat(last.getRecommendations()).extracting(ItemScore::getItemId)
                .doesNotContain("item-6", "item-7", "item-8", "item-9");
    }

    @Test
    void shouldScoreAnUnknownItemAndAnEventWithoutCategoryAndCountThem() {
        TopologyFixture f = startWithInterestModel(Map.of());
        f.send(viewOf("u-1", "item-never-heard-of", "1>2", 1));
        f.send(viewOf("u-1", "item-3", null, 2));
        f.send(viewOf("u-1", null, null, 3));
        // longer than any catalogue id, within the validator's string limit: scored as out of vocabulary
        f.send(viewOf("u-1", "i".repeat(Catalogue.MAX_ID_LENGTH + 1), "1>1", 4));

        List<Prediction> predictions = f.predictions.readValuesToList();
        assertThat(predictions).hasSize(4);
        assertThat(predictions).allSatisfy(p -> {
            assertThat(p.getNextCategories()).hasSize(3);
            assertThat(p.getRecommendations()).hasSize(10);
            assertThat(p.getInterestShift()).isNotNull();
        });
        assertThat(f.deadLetters.isEmpty()).isTrue();
        assertThat(f.metrics.itemsOutOfVocabulary()).isEqualTo(3);
        assertThat(f.metrics.categoriesUnknown()).isEqualTo(2);
        assertThat(storedState("u-1").seenItems().size()).isEqualTo(1); // only the known item
    }

    @Test
    void shouldReportAPositiveShiftOnceTheDistributionMovesAwayFromTheProfile() {
        TopologyFixture f = startWithInterestModel(Map.of(PulseConfig.INTERESTS_PROFILE_DECAY, "0.95"));
        for (int i = 0; i < 8; i++) {
            f.send(viewOf("u-1", "item-" + (4 * i + 4), "1>1", i)); // item 4k is in category 1
        }
        for (int i = 8; i < 12; i++) {
            f.send(viewOf("u-1", "item-" + (4 * (i - 8) + 2), "1>3", i)); // item 4k + 2 is in category 3
        }

        List<Prediction> predictions = f.predictions.readValuesToList();
        assertThat(predictions).extracting(Prediction::getInterestShift).doesNotContainNull();
        assertThat(predictions.get(0).getInterestShift()).isZero();
        assertThat(predictions.get(11).getInterestShift()).isPositive();
    }

    @Test
    void shouldLeaveTheInterestFieldsEmptyForAModelWithoutInterestHeads() {
        fixture = new TopologyFixture(stateDir, Map.of());
        fixture.send(viewOf("u-1", "item-1", "1>1", 1));

        Prediction prediction = fixture.predictions.readValue();
        assertThat(prediction.getNextCategories()).isEmpty();
        assertThat(prediction.getRecommendations()).isEmpty();
        assertThat(prediction.getInterestShift()).isNull();
        UserState state = fixture.stateOf("u-1");
        assertThat(state.seenItems().size()).isZero();
        assertThat(state.categoryProfile()).isNull();
        assertThat(fixture.metrics.itemsOutOfVocabulary()).isZero();
    }

    @Test
    void shouldReWarmAUserThroughANewInterestModelWithTheItemsOfTheRing() {
        TopologyFixture f = startWithInterestModel(Map.of());
        for (int i = 1; i <= 3; i++) {
            f.send(viewOf("u-1", "item-" + i, "1>" + (1 + i % CATEGORIES), i));
        }
        f.predictions.readValuesToList();
        assertThat(storedState("u-1").recentInputs().itemRow(2)).isEqualTo(3);
        assertThat(storedState("u-1").recentInputs().categoryRow(0)).isEqualTo(2);

        ModelBundle next = ModelBundles.seededRandom(f.config.getString(PulseConfig.MODEL_NAME), 8L, 16,
                FeatureSpec.v2(6, 3, 2), InterestCatalogues.catalogue(ITEMS, CATEGORIES));
        f.modelWeights.pipeInput(next.getName(), next);
        f.send(viewOf("u-1", "item-4", "1>1", 4));

        Prediction prediction = f.predictions.readValue();
        assertThat(prediction.getModelVersion()).isEqualTo(next.getVersion());
        assertThat(prediction.getRecommendations()).extracting(ItemScore::getItemId)
                .doesNotContain("item-1", "item-2", "item-3", "item-4");
        assertThat(f.metrics.registry().get("pulse.rewarms").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldEraseTheSeenItemsAndProfileWithTheUser() {
        TopologyFixture f = startWithInterestModel(Map.of());
        for (int i = 1; i <= 3; i++) {
            f.send(viewOf("u-1", "item-" + i, "1>1", i));
        }
        assertThat(storedState("u-1").seenItems().size()).isEqualTo(3);

        f.erase("u-1");
        f.send(viewOf("u-1", "item-9", "1>2", 10));

        assertThat(storedState("u-1").seenItems().size()).isEqualTo(1);
        assertThat(storedState("u-1").seenItems().contains(1)).isFalse();
        assertThat(f.predictions.readValuesToList().get(3).getInterestShift()).isZero();
    }

    @Test
    void shouldRemoveTheUserFromTheUserInterestsTopicWithATombstone() {
        TopologyFixture f = startWithInterestModel(Map.of());
        f.send(viewOf("u-1", "item-1", "1>1", 1));
        f.send(viewOf("u-2", "item-2", "1>1", 2));
        f.userInterests.readRecordsToList();

        f.erase("u-1");

        List<TestRecord<String, UserInterests>> written = f.userInterests.readRecordsToList();
        assertThat(written).hasSize(1);
        assertThat(written.get(0).key()).isEqualTo("u-1");
        assertThat(written.get(0).value()).isNull();
    }
}
