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
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
        assertThat(model.blendSearch()).hasSize(NextItemServing.BLENDS.length);
        RankingMetrics headAlone = model.blendSearch().get(0).validation();
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
