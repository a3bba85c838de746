package io.pulse.trainer.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import io.pulse.model.Catalogue;
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
import io.pulse.trainer.publish.CurrentModel;
import io.pulse.trainer.publish.PublishGate;
import io.pulse.trainer.publish.Verdict;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The trainer's interest heads on a tiny hand-made history: 40 users walk a cycle of six items (item k is followed
 * by item k + 1 mod 6; items 0-2 in category {@code shop>A>...}, 3-5 in {@code shop>B>...}), one event every 12 hours
 * from a seeded random start. The next item and category are then a function of the current item, so a trained
 * model must beat the uniform log-loss by far.
 */
class InterestTrainingTest {

    private static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");
    private static History history;
    private static TrainResult result;

    @BeforeAll
    static void givenATrainingRoundWithInterests() {
        List<UserEvent> events = new ArrayList<>();
        Random random = new Random(5);
        for (int user = 0; user < 40; user++) {
            int item = random.nextInt(6);
            for (int step = 0; step < 30; step++) {
                events.add(UserEvent.newBuilder().setEventId("u" + user + "-" + step).setUserId("u" + user)
                        .setType(EventType.VIEW).setEventTime(T0.plus(Duration.ofHours(12L * step + user)))
                        .setItemId("item-" + item).setCategory(item < 3 ? "shop>A>x" + item : "shop>B>y" + item)
                        .build());
                item = (item + 1) % 6;
            }
        }
        history = History.of("cycle", events, List.of());
        TrainingConfig training = TrainingConfig.defaults().withHiddenSize(8).withMaxEpochs(25).withPatience(25)
                .withBatchSize(4).withChunks(10, 5).withLearningRate(0.03).withChurnHorizon(Duration.ofDays(1))
                .withSeed(3);
        TrainJobConfig config = TrainJobConfig.defaults().withOutBase(Path.of("target", "interest-round"))
                .withTraining(training).withInterests(new InterestConfig(4, 2, 2, null));
        result = TrainJob.run(history, config, TrainingProgress.NONE);
    }

    @Test
    void shouldBuildTheCatalogueFromTheTrainingEventsAtTheConfiguredLevel() {
        LstmModel model = ModelBundles.toModel(result.bundle());
        Catalogue catalogue = model.catalogue();

        assertThat(model.featureSpec().hasInterests()).isTrue();
        assertThat(catalogue.items()).isEqualTo(7);
        assertThat(catalogue.categoryIds()).containsExactlyInAnyOrder(Catalogue.UNKNOWN_CATEGORY, "shop>A", "shop>B");
        assertThat(catalogue.categoryIds().get(catalogue.itemCategory(catalogue.itemRow("item-4"))))
                .isEqualTo("shop>B");
    }

    @Test
    void shouldBuildTheCatalogueFromAnItemFileInItsOrderCuttingPathsAtTheLevel() {
        TrainingData data = TrainingData.build(history, Duration.ofDays(1), 0.7, 0.15);
        Map<String, ItemAttributes> items = new LinkedHashMap<>();
        items.put("item-9", new ItemAttributes("item-9", Optional.empty(), new CategoryPath(List.of("shop", "C", "z"))));
        items.put("item-1", new ItemAttributes("item-1", Optional.of("b"), new CategoryPath(List.of("shop", "A"))));
        items.put("item-2", new ItemAttributes("item-2", Optional.empty(), new CategoryPath(List.of("shop"))));

        Catalogue catalogue = new InterestConfig(4, 2, 2, null).withItems(items).catalogue(data);

        assertThat(catalogue.itemIds()).containsExactly(Catalogue.OOV_ITEM, "item-9", "item-1", "item-2");
        assertThat(catalogue.categoryIds()).containsExactly(Catalogue.UNKNOWN_CATEGORY, "shop>C", "shop>A", "shop");
        assertThat(catalogue.itemCategories()).containsExactly(0, 1, 2, 3);
        assertThat(catalogue.itemRow("item-4")).isZero();
    }

    @Test
    void shouldLearnTheNextItemAndCategoryAndCountThemInThePublishCriterion() {
        Evaluation test = result.report().test();
        double nextItem = test.nextItem().metric(PublishGate.CANDIDATE, Evaluator.LOG_LOSS);
        double nextCategory = test.nextCategory().metric(PublishGate.CANDIDATE, Evaluator.LOG_LOSS);
        System.out.printf("interest round: next item log-loss %.4f, next category %.4f%n", nextItem, nextCategory);

        // uniform over the 7 item rows would be ln 7 = 1.95 nats, over the 3 category rows ln 3 = 1.10
        assertThat(test.nextItem().labelled()).isPositive();
        assertThat(nextItem).isLessThan(0.5 * Math.log(7));
        assertThat(nextCategory).isLessThan(0.5 * Math.log(3));
        double mean = (test.nextAction().metric(PublishGate.CANDIDATE, Evaluator.LOG_LOSS)
                + test.churn().metric(PublishGate.CANDIDATE, Evaluator.LOG_LOSS) + nextCategory + nextItem) / 4;
        assertThat(test.meanLogLoss(PublishGate.CANDIDATE)).isCloseTo(mean, within(1e-12));
        assertThat(result.bundle().getMetrics()).containsKey("test.next_item.log_loss");
    }

    @Test
    void shouldPreferANewModelWithInterestHeadsToACurrentOneWithout() {
        TrainingData data = TrainingData.build(history, Duration.ofDays(1), 0.7, 0.15);
        LstmModel withInterests = ModelBundles.toModel(result.bundle());
        LstmModel without = ModelBundles.toModel(ModelBundles.seededRandom("old", 1L, 8));
        Evaluation test = Evaluator.evaluate(data, Period.TEST, Map.of(PublishGate.CANDIDATE, withInterests,
                PublishGate.CURRENT, without), List.of(), List.of(), List.of());

        assertThat(test.lacksInterestHeads(PublishGate.CURRENT)).isTrue();
        assertThat(test.lacksInterestHeads(PublishGate.CANDIDATE)).isFalse();
        Verdict verdict = PublishGate.decide(test, CurrentModel.of(ModelBundles.seededRandom("old", 1L, 8), "test",
                Duration.ofDays(1)));

        assertThat(verdict.publish()).isTrue();
        assertThat(verdict.reason()).contains("has no next-category and next-item heads");
    }
}
