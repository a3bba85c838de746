package io.pulse.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import io.pulse.contracts.UserEvent;
import io.pulse.model.Catalogue;
import io.pulse.model.ItemCooccurrence;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.simulator.sequences.CategoryPath;
import io.pulse.simulator.sequences.ItemAttributes;
import io.pulse.trainer.TrainJob;
import io.pulse.trainer.TrainJobConfig;
import io.pulse.trainer.TrainResult;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.eval.Evaluation;
import io.pulse.trainer.eval.Evaluator;
import io.pulse.trainer.interest.CooccurrencePriors;
import io.pulse.trainer.interest.NextItemServing.BlendTrial;
import io.pulse.trainer.interest.RankingWeights;
import io.pulse.trainer.report.ReportWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The production training round's next-item co-occurrence prior on a tiny history where the next item is a function
 * of the last one: 60 users walk a cycle of 30 items (item k is followed by item k + 1 mod 30), one event every 12
 * hours from a seeded start, every fourth event a login without an item. One epoch of a tiny network cannot learn 30
 * successors; the follower counts can, so the validation period must choose a blend above 0.
 */
class CooccurrencePriorTrainingTest {

    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static final int ITEMS = 30;
    private static History history;
    private static TrainingConfig training;
    private static TrainResult result;

    @BeforeAll
    static void givenAnInterestRoundOnACycle() {
        List<UserEvent> events = new ArrayList<>();
        Random random = new Random(11);
        for (int user = 0; user < 60; user++) {
            int item = random.nextInt(ITEMS);
            for (int step = 0; step < 30; step++) {
                UserEvent.Builder event = UserEvent.newBuilder().setEventId("u" + user + "-" + step)
                        .setUserId("u" + user).setEventTime(T0.plus(Duration.ofHours(12L * step + user)));
                if (step % 4 == 3) {
                    event.setType(EventType.LOGIN);
                } else {
                    event.setType(EventType.VIEW).setItemId("item-" + item).setCategory("shop>c" + item % 3);
                    item = (item + 1) % ITEMS;
                }
                events.add(event.build());
            }
        }
        history = History.of("cycle of 30", events, List.of());
        training = TrainingConfig.defaults().withHiddenSize(8).withMaxEpochs(1).withPatience(1).withBatchSize(8)
                .withChunks(10, 5).withLearningRate(0.01).withChurnHorizon(Duration.ofDays(1)).withSeed(3);
        result = TrainJob.run(history, config("cooccurrence-round").withInterests(new InterestConfig(4, 2, 2, null)),
                TrainingProgress.NONE);
    }

    private static TrainJobConfig config(String out) {
        return TrainJobConfig.defaults().withOutBase(Path.of("target", out)).withTraining(training);
    }

    @Test
    void shouldChooseABlendAboveZeroOnValidationAndWriteTheBundleWithThePrior() throws Exception {
        CooccurrencePriors.Selection prior = result.report().prior();

        assertThat(prior.trials()).extracting(BlendTrial::blend).containsExactly(toObjects(CooccurrencePriors.blends()));
        assertThat(prior.validationSteps()).isPositive().isEqualTo(prior.eligibleSteps());
        BlendTrial headAlone = prior.trials().get(0);
        assertThat(prior.blend()).as("one epoch cannot learn 30 successors; the prior can").isGreaterThan(0f);
        assertThat(prior.chosen().validation().ndcg(10)).isGreaterThan(headAlone.validation().ndcg(10));
        for (BlendTrial trial : prior.trials()) {
            assertThat(prior.chosen().validation().ndcg(10)).isGreaterThanOrEqualTo(trial.validation().ndcg(10));
        }

        ModelBundle written = ModelBundles.read(result.outDir().resolve(TrainJob.BUNDLE_FILE));
        ItemCooccurrence served = ModelBundles.toModel(written).cooccurrence();
        assertThat(served).isNotNull().isEqualTo(prior.prior());
        assertThat(served.items()).isEqualTo(ITEMS + 1);
        assertThat(served.blend()).isEqualTo(prior.blend());
        assertThat(ModelBundles.toModel(result.bundle()).cooccurrence()).isEqualTo(served);
        assertThat(written.getMetrics()).containsEntry("next_item.cooccurrence_blend", (double) prior.blend())
                .containsEntry("next_item.cooccurrence_entries", (double) served.entries())
                .containsEntry("validation.next_item.ndcg_at_10", prior.served().validation().ndcg(10));
    }

    @Test
    void shouldChooseTheCategoryAffinityAtTheChosenBlendOnValidationAndServeIt() throws Exception {
        CooccurrencePriors.Selection choices = result.report().prior();

        assertThat(choices.affinityTrials()).extracting(BlendTrial::blend)
                .containsExactly(toObjects(CooccurrencePriors.affinities()));
        // affinity 0 at the chosen blend is the chosen blend's own trial
        assertThat(choices.affinityTrials().get(0).validation().ndcg(10))
                .isEqualTo(choices.chosen().validation().ndcg(10));
        for (BlendTrial trial : choices.affinityTrials()) {
            assertThat(choices.served().validation().ndcg(10)).isGreaterThanOrEqualTo(trial.validation().ndcg(10));
        }
        ModelBundle written = ModelBundles.read(result.outDir().resolve(TrainJob.BUNDLE_FILE));
        assertThat(ModelBundles.toModel(written).categoryAffinityBlend()).isEqualTo(choices.affinity());
        assertThat(written.getMetrics()).containsEntry("next_item.category_affinity", (double) choices.affinity());
        String markdown = Files.readString(result.outDir().resolve(ReportWriter.MARKDOWN_FILE));
        assertThat(markdown).contains("category affinity " + choices.affinity() + ", brand affinity 0.0**",
                "Step 2, the category affinity");
        assertThat(choices.brand()).as("no item file, no brands").isZero();
        JsonNode node = new ObjectMapper().readTree(result.outDir().resolve(ReportWriter.JSON_FILE).toFile())
                .get("cooccurrencePrior");
        assertThat(node.get("categoryAffinity").floatValue()).isEqualTo(choices.affinity());
        assertThat(node.get("categoryAffinities")).hasSize(CooccurrencePriors.affinities().length);
    }

    @Test
    void shouldWeighTheNearestFollowersHeaviestWithALoginKeepingItsPosition() {
        LstmModel model = ModelBundles.toModel(result.bundle());
        Catalogue catalogue = model.catalogue();

        // three items then a login: item 1 comes 1 or 2 events after item 0, item 2 two or three, item 3 three or four
        // (a login between keeps its place); the nearer, the heavier (1/distance, plus about the same similarity)
        int row = catalogue.itemRow("item-0");
        int[] neighbours = model.cooccurrence().neighbours(row);
        float[] weights = model.cooccurrence().neighbourCounts(row);
        assertThat(Arrays.stream(neighbours).limit(3).mapToObj(catalogue.itemIds()::get).toList())
                .containsExactly("item-1", "item-2", "item-3");
        assertThat(weights[0]).isGreaterThan(weights[1]);
        assertThat(weights[1]).isGreaterThan(weights[2]);
    }

    @Test
    void shouldRankTheTestPeriodsNextItemsWithThePrior() {
        TrainingData data = TrainingData.build(history, Duration.ofDays(1), 0.7, 0.15);
        ModelBundle headAlone = ModelBundles.withCooccurrence(result.bundle(),
                ModelBundles.toModel(result.bundle()).cooccurrence().withBlend(0f));
        Map<String, LstmModel> models = new LinkedHashMap<>();
        models.put("served", ModelBundles.toModel(result.bundle()));
        models.put("head", ModelBundles.toModel(headAlone));

        Evaluation test = Evaluator.evaluate(data, Period.TEST, models, List.of(), List.of(), List.of());

        assertThat(test.nextItem().metric("served", "hr_at_10")).isEqualTo(1.0)
                .isGreaterThan(test.nextItem().metric("head", "hr_at_10"));
        assertThat(test.nextItem().metric("served", Evaluator.LOG_LOSS)).as("the head's softmax, prior or not")
                .isEqualTo(test.nextItem().metric("head", Evaluator.LOG_LOSS));
        assertThat(result.bundle().getMetrics()).containsEntry("test.next_item.hr_at_10",
                test.nextItem().metric("served", "hr_at_10"));
    }

    @Test
    void shouldChooseTheCategoryHistoryWeightOnValidationAndServeIt() throws Exception {
        CooccurrencePriors.Selection choices = result.report().prior();

        assertThat(choices.categoryTrials()).extracting(BlendTrial::blend)
                .containsExactly(toObjects(CooccurrencePriors.categoryBlends()));
        assertThat(choices.chosenCategory().validation().users()).isPositive();
        for (BlendTrial trial : choices.categoryTrials()) {
            assertThat(choices.chosenCategory().validation().hitRate(3))
                    .isGreaterThanOrEqualTo(trial.validation().hitRate(3));
        }
        ModelBundle written = ModelBundles.read(result.outDir().resolve(TrainJob.BUNDLE_FILE));
        assertThat(ModelBundles.toModel(written).categoryHistoryBlend()).isEqualTo(choices.categoryBlend());
        assertThat(ModelBundles.toModel(result.bundle()).categoryHistoryBlend()).isEqualTo(choices.categoryBlend());
        assertThat(written.getMetrics()).containsEntry("next_category.history_weight",
                (double) choices.categoryBlend())
                .containsEntry("validation.next_category.hr_at_3", choices.chosenCategory().validation().hitRate(3));
        String markdown = Files.readString(result.outDir().resolve(ReportWriter.MARKDOWN_FILE));
        assertThat(markdown).contains("**Next-category history weight " + choices.categoryBlend() + "**");
        JsonNode node = new ObjectMapper().readTree(result.outDir().resolve(ReportWriter.JSON_FILE).toFile())
                .get("cooccurrencePrior");
        assertThat(node.get("categoryHistoryWeight").floatValue()).isEqualTo(choices.categoryBlend());
        assertThat(node.get("categoryHistoryWeights")).hasSize(CooccurrencePriors.categoryBlends().length);
    }

    @Test
    void shouldReportThePriorsSizeBlendAndValidationFigures() throws Exception {
        CooccurrencePriors.Selection prior = result.report().prior();
        String markdown = Files.readString(result.outDir().resolve(ReportWriter.MARKDOWN_FILE));
        JsonNode json = new ObjectMapper().readTree(result.outDir().resolve(ReportWriter.JSON_FILE).toFile());

        assertThat(markdown).contains("## Next-item co-occurrence prior",
                prior.prior().entries() + " neighbour entries over " + (ITEMS + 1) + " item rows",
                "**Blend " + prior.blend() + ", category affinity", "| **" + prior.chosen().blend() + "** |",
                "| 0.0 |");
        JsonNode node = json.get("cooccurrencePrior");
        assertThat(node.get("entries").asInt()).isEqualTo(prior.prior().entries());
        assertThat(node.get("blend").floatValue()).isEqualTo(prior.blend());
        assertThat(node.get("blends")).hasSize(CooccurrencePriors.blends().length);
        assertThat(node.get("blends").get(0).get("ndcgAt10").asDouble())
                .isEqualTo(prior.trials().get(0).validation().ndcg(10));
    }

    @Test
    void shouldSearchAndServeTheBrandAffinityWhenTheItemFileHasBrands() throws Exception {
        Map<String, ItemAttributes> items = new LinkedHashMap<>();
        for (int item = 0; item < ITEMS; item++) {
            String id = "item-" + item;
            items.put(id, new ItemAttributes(id, item % 6 == 5 ? Optional.empty() : Optional.of("brand" + item % 4),
                    CategoryPath.of("shop", "c" + item % 3)));
        }

        TrainResult branded = TrainJob.run(history, config("brand-round").withInterests(
                new InterestConfig(4, 2, 2, null).withItems(items)), TrainingProgress.NONE);

        CooccurrencePriors.Selection choices = branded.report().prior();
        assertThat(choices.ranking().steps()).extracting(RankingWeights.Step::weight).containsExactly(
                RankingWeights.Weight.BLEND, RankingWeights.Weight.CATEGORY_AFFINITY,
                RankingWeights.Weight.BRAND_AFFINITY, RankingWeights.Weight.BLEND);
        int[] itemBrand = choices.itemBrand();
        Catalogue catalogue = ModelBundles.toModel(branded.bundle()).catalogue();
        assertThat(itemBrand).hasSize(catalogue.items());
        for (int row = 1; row < catalogue.items(); row++) {
            int item = Integer.parseInt(catalogue.itemIds().get(row).substring("item-".length()));
            assertThat(itemBrand[row] == 0).as("row %d", row).isEqualTo(item % 6 == 5);
        }
        for (RankingWeights.Step step : choices.ranking().steps()) {
            for (BlendTrial trial : step.trials()) {
                assertThat(step.best().validation().ndcg(10)).isGreaterThanOrEqualTo(trial.validation().ndcg(10));
            }
        }
        ModelBundle written = ModelBundles.read(branded.outDir().resolve(TrainJob.BUNDLE_FILE));
        LstmModel served = ModelBundles.toModel(written);
        assertThat(served.brandAffinityBlend()).isEqualTo(choices.brand());
        assertThat(served.cooccurrence().blend()).isEqualTo(choices.blend()).isEqualTo(choices.ranking().chosen().blend());
        assertThat(written.getMetrics()).containsEntry("next_item.brand_affinity", (double) choices.brand())
                .containsEntry("validation.next_item.ndcg_at_10", choices.served().validation().ndcg(10));
        assertThat(Files.readString(branded.outDir().resolve(ReportWriter.MARKDOWN_FILE)))
                .contains("Step 3, the brand affinity", "Step 4, the co-occurrence blend");
        JsonNode node = new ObjectMapper().readTree(branded.outDir().resolve(ReportWriter.JSON_FILE).toFile())
                .get("cooccurrencePrior");
        assertThat(node.get("brandAffinity").floatValue()).isEqualTo(choices.brand());
        assertThat(node.get("rankingSearch")).hasSize(4);
        assertThat(node.get("rankingSearch").get(2).get("trials")).hasSize(RankingWeights.brandAffinities().length);
    }

    @Test
    void shouldLeaveAModelWithoutInterestsWithoutAPrior() throws Exception {
        TrainResult plain = TrainJob.run(history, config("plain-round"), TrainingProgress.NONE);

        assertThat(plain.report().prior()).isNull();
        assertThat(plain.bundle().getTensors()).extracting(Tensor::getName)
                .noneMatch(name -> name.startsWith("cooccurrence."));
        assertThat(plain.bundle().getMetrics()).doesNotContainKeys("next_item.cooccurrence_blend",
                "next_item.cooccurrence_entries");
        assertThat(Files.readString(plain.outDir().resolve(ReportWriter.MARKDOWN_FILE)))
                .doesNotContain("co-occurrence prior");
        JsonNode json = new ObjectMapper().readTree(plain.outDir().resolve(ReportWriter.JSON_FILE).toFile());
        assertThat(json.has("cooccurrencePrior")).isFalse();
    }

    private static Float[] toObjects(float[] values) {
        Float[] objects = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            objects[i] = values[i];
        }
        return objects;
    }
}
