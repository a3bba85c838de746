package io.pulse.trainer.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.ItemCooccurrence;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.simulator.sequences.CategoryPath;
import io.pulse.simulator.sequences.ItemAttributes;
import io.pulse.simulator.sequences.UserSequence;
import io.pulse.trainer.eval.RankingMetrics;
import io.pulse.trainer.interest.NextItemServing.BlendTrial;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class NextItemServingTest {

    /** 80 users walk a cycle over items 1..30 from a seeded start: the next item always follows the last one. */
    private static List<UserSequence> cycles() {
        Random random = new Random(3);
        List<UserSequence> users = new ArrayList<>();
        for (int user = 1; user <= 80; user++) {
            List<String> items = new ArrayList<>();
            int item = 1 + random.nextInt(30);
            for (int step = 0; step < 5 + random.nextInt(5); step++) {
                items.add(String.valueOf(item));
                item = item % 30 + 1;
            }
            users.add(new UserSequence("u" + user, items));
        }
        return users;
    }

    @Test
    void shouldKeepTheMostFrequentFollowersPerItemAsCatalogueRowsWithTiesToTheLowerRow() {
        // index 0 is followed by 1 three times, by 2 and 3 once each, and 2 by 0 once; row = index + 1
        List<int[]> sequences = List.of(new int[] {0, 1}, new int[] {0, 1}, new int[] {0, 1}, new int[] {0, 3},
                new int[] {0, 2}, new int[] {2, 0});

        FollowerCounts counts = FollowerCounts.count(sequences, 4, 1, false);
        ItemCooccurrence prior = counts.toPrior(2, 4, 0.5f, 1f);

        assertThat(counts.entriesKeeping(64)).isEqualTo(4);
        assertThat(counts.entriesKeeping(2)).isEqualTo(3);
        assertThat(counts.entriesKeeping(1)).isEqualTo(2);

        assertThat(prior.items()).isEqualTo(5);
        assertThat(prior.neighbours(0)).as("the unknown row").isEmpty();
        assertThat(prior.neighbours(1)).as("3 followers, 2 kept: the most counted, then the lower of the tied rows")
                .containsExactly(2, 3);
        assertThat(prior.neighbourCounts(1)).containsExactly(3f, 1f);
        assertThat(prior.neighbours(3)).containsExactly(1);
        assertThat(prior.neighbours(2)).isEmpty();
        assertThat(prior.entries()).isEqualTo(3);
        assertThat(prior.recentItems()).isEqualTo(4);
        assertThat(prior.decay()).isEqualTo(0.5f);
    }

    @Test
    void shouldChooseABlendOnValidationThatRecoversTheCycleAndRankAsThePipelineStoresState() {
        List<UserSequence> users = cycles();
        Map<String, ItemAttributes> attributes = new HashMap<>();
        for (int item = 1; item <= 30; item++) {
            attributes.put(String.valueOf(item), new ItemAttributes(String.valueOf(item), Optional.empty(),
                    CategoryPath.of("1", item <= 15 ? "2" : "3")));
        }
        NextItemServing serving = new NextItemServing(users, attributes, 2);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        NextItemServing.Model model = serving.train(new NextItemModelReport.Settings(8, 4, 2, 0.0, 0.01, 0, 1, 1, 50,
                64, 1), quiet);

        assertThat(serving.evaluatedUsers()).isEqualTo(80);
        assertThat(model.ranking().steps()).as("no brands: the blend, then the category affinity")
                .extracting(RankingWeights.Step::weight)
                .containsExactly(RankingWeights.Weight.BLEND, RankingWeights.Weight.CATEGORY_AFFINITY);
        List<BlendTrial> blends = model.ranking().steps().get(0).trials();
        assertThat(blends).hasSize(NextItemServing.BLENDS.length);
        RankingMetrics headAlone = blends.get(0).validation();
        assertThat(model.blend()).as("one epoch of a tiny network cannot learn the cycle; the prior does")
                .isGreaterThan(0f);
        NextItemServing.Ranking test = serving.rank(model.bundle(), LeaveOneOut.Target.TEST, 10, 1);
        assertThat(test.items().hitRate(10)).isEqualTo(1.0);
        assertThat(test.items().ndcg(10)).isGreaterThan(headAlone.ndcg(10));
        assertThat(test.topItems()).hasSize(80).allSatisfy(top -> assertThat(top).hasSize(10));
        NextItemServing.Ranking stored = serving.rank(model.bundle(), LeaveOneOut.Target.TEST, 10, 1, true);
        assertThat(stored.items().hitRate(10)).isEqualTo(1.0);
    }

    @Test
    void shouldChooseABrandAffinityOnValidationWhenUsersComeBackToTheirBrandAfterOtherItems() {
        // 5 brands of 15 items; 200 brand-less items. Each user buys 10 items of their brand, then 8 brand-less ones,
        // then 2 more of their brand (the validation and test targets): the last items, which the prior reads, say
        // nothing about the target; the user's brand does. One category for all: the category affinity cannot help.
        Random random = new Random(11);
        Map<String, ItemAttributes> attributes = new HashMap<>();
        for (int item = 1; item <= 275; item++) {
            String id = String.valueOf(item);
            attributes.put(id, new ItemAttributes(id, item <= 75 ? Optional.of("brand" + (item - 1) / 15)
                    : Optional.empty(), CategoryPath.of("1")));
        }
        List<UserSequence> users = new ArrayList<>();
        for (int user = 0; user < 150; user++) {
            int brand = user % 5;
            List<String> own = new ArrayList<>();
            for (int item = 1 + 15 * brand; item <= 15 * (brand + 1); item++) {
                own.add(String.valueOf(item));
            }
            Collections.shuffle(own, random);
            List<String> items = new ArrayList<>(own.subList(0, 10));
            while (items.size() < 18) {
                String other = String.valueOf(76 + random.nextInt(200));
                if (!items.contains(other)) {
                    items.add(other);
                }
            }
            items.addAll(own.subList(10, 12));
            users.add(new UserSequence("u" + user, items));
        }
        NextItemServing serving = new NextItemServing(users, attributes, 1);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        NextItemServing.Model model = serving.train(new NextItemModelReport.Settings(8, 4, 2, 0.0, 0.01, 0, 1, 1, 50,
                64, 1), quiet);

        assertThat(model.ranking().steps()).extracting(RankingWeights.Step::weight).containsExactly(
                RankingWeights.Weight.BLEND, RankingWeights.Weight.CATEGORY_AFFINITY,
                RankingWeights.Weight.BRAND_AFFINITY, RankingWeights.Weight.BLEND);
        RankingWeights.Step brands = model.ranking().steps().get(2);
        assertThat(brands.trials()).extracting(BlendTrial::blend)
                .containsExactly(toObjects(RankingWeights.brandAffinities()));
        assertThat(model.brand()).isPositive();
        double without = brands.trials().get(0).validation().ndcg(10);
        assertThat(model.ranking().served().validation().ndcg(10)).isGreaterThan(without + 0.2);
        LstmModel served = ModelBundles.toModel(model.bundle());
        assertThat(served.brandAffinityBlend()).isEqualTo(model.brand());
        // the test target is one of the user's 3 unseen brand items: in the top 10 for every user
        NextItemServing.Ranking test = serving.rank(model.bundle(), LeaveOneOut.Target.TEST, 10, 1);
        assertThat(test.items().hitRate(10)).isEqualTo(1.0);
    }

    private static Float[] toObjects(float[] values) {
        Float[] objects = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            objects[i] = values[i];
        }
        return objects;
    }

    @Test
    void shouldRecountThePriorWithEachUsersValidationItemAndKeepWhatWasChosenOnValidation() {
        // 3 -> 31..35 follows only as a validation target (the item after the training prefix 1 2 3)
        List<UserSequence> users = new ArrayList<>(cycles());
        for (int user = 0; user < 10; user++) {
            users.add(new UserSequence("v" + user, List.of("1", "2", "3", String.valueOf(31 + user % 5), "36")));
        }
        NextItemServing serving = new NextItemServing(users, Map.of(), 1);
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        NextItemServing.Model model = serving.train(new NextItemModelReport.Settings(8, 4, 2, 0.0, 0.01, 0, 1, 1, 50,
                64, 1), quiet);

        ModelBundle recounted = serving.recountedWithValidation(model);

        LstmModel before = ModelBundles.toModel(model.bundle());
        LstmModel after = ModelBundles.toModel(recounted);
        assertThat(after.cooccurrence().blend()).isEqualTo(model.blend());
        assertThat(after.categoryHistoryBlend()).isEqualTo(before.categoryHistoryBlend());
        // the validation items add the pairs 3 -> 31..35, 2 -> 31..35, and the cycles' own validation pairs
        assertThat(after.cooccurrence().entries()).isGreaterThanOrEqualTo(before.cooccurrence().entries() + 10);
        int three = serving.catalogue().itemRow("3");
        int[] validationFollowers = new int[5];
        for (int i = 0; i < 5; i++) {
            validationFollowers[i] = serving.catalogue().itemRow(String.valueOf(31 + i));
        }
        assertThat(before.cooccurrence().neighbours(three)).doesNotContain(validationFollowers);
        assertThat(after.cooccurrence().neighbours(three)).contains(validationFollowers);
        // no test item is counted: 36 follows nothing and nothing follows into it
        int test = serving.catalogue().itemRow("36");
        for (int row = 1; row < serving.catalogue().items(); row++) {
            assertThat(after.cooccurrence().neighbours(row)).as("followers of row %d", row).doesNotContain(test);
        }
    }

    @Test
    void shouldCountATargetOutsideTheListAsAMissAndInsideAtItsPosition() {
        RankingMetrics metrics = new RankingMetrics(1, 3);
        NextItemServing.add(metrics, new int[] {5, 7, 9}, 7);
        NextItemServing.add(metrics, new int[] {5, 7, 9}, 4);
        // user 1: rank 2 (HR@1 0, HR@3 1, NDCG@3 1/log2(3)); user 2: miss
        assertThat(metrics.users()).isEqualTo(2);
        assertThat(metrics.hitRate(1)).isEqualTo(0.0);
        assertThat(metrics.hitRate(3)).isEqualTo(0.5);
        assertThat(metrics.ndcg(3)).isCloseTo(0.5 / (Math.log(3) / Math.log(2)), within(1e-12));
    }
}
