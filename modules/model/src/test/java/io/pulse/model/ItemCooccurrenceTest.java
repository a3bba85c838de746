package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import io.pulse.model.internal.Kernels;
import io.pulse.model.internal.StepKernel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The next-item co-occurrence prior: its arithmetic, its validation, its place in the bundle and in the top-K. */
class ItemCooccurrenceTest {

    /** 6 rows: 1 -> {2: 3, 3: 1}, 2 -> {3: 2}, 4 -> {5: 1}; rows 0, 3 and 5 have no neighbours. */
    private static ItemCooccurrence small(int recentItems, float decay, float blend) {
        return new ItemCooccurrence(6, new int[] {0, 0, 2, 3, 3, 4, 4}, new int[] {2, 3, 3, 5},
                new float[] {3, 1, 2, 1}, recentItems, decay, blend);
    }

    @Test
    void shouldAddBlendTimesLogOnePlusTheDecayedVotesOfTheRecentItems() {
        float[] scores = {0, 10, 20, 30, 40, 50};
        float[] votes = new float[6];
        int[] touched = new int[6];

        // newest first: item 2 votes with weight 1, item 1 with weight 0.5
        small(4, 0.5f, 2f).addPrior(new int[] {2, 1}, 2, scores, votes, touched);

        // votes: row 2 = 0.5 * 3 = 1.5; row 3 = 1 * 2 + 0.5 * 1 = 2.5
        assertThat(scores[0]).isEqualTo(0f);
        assertThat(scores[1]).isEqualTo(10f);
        assertThat(scores[2]).isCloseTo(20f + 2f * (float) Math.log(2.5), within(1e-5f));
        assertThat(scores[3]).isCloseTo(30f + 2f * (float) Math.log(3.5), within(1e-5f));
        assertThat(scores[4]).isEqualTo(40f);
        assertThat(votes).as("scratch left all zero").containsOnly(0f);
    }

    @Test
    void shouldLetUnknownItemsTakeTheirPositionWithoutVotingAndStopAtTheRecentItemLimit() {
        float[] scores = new float[6];
        float[] votes = new float[6];
        int[] touched = new int[6];

        // row 0 (unknown) and 99 (not in the catalogue) are newer; item 1 votes with weight 0.25
        small(4, 0.5f, 1f).addPrior(new int[] {0, 99, 1, 4}, 4, scores, votes, touched);

        assertThat(scores[2]).isCloseTo((float) Math.log1p(0.25 * 3), within(1e-6f));
        assertThat(scores[3]).isCloseTo((float) Math.log1p(0.25), within(1e-6f));
        assertThat(scores[5]).isCloseTo((float) Math.log1p(0.125), within(1e-6f));

        float[] limited = new float[6];
        small(2, 0.5f, 1f).addPrior(new int[] {0, 99, 1, 4}, 4, limited, votes, touched);
        assertThat(limited).as("only the 2 newest positions vote, both unknown").containsOnly(0f);
    }

    @Test
    void shouldAddNothingWithBlendZero() {
        float[] scores = {1, 2, 3, 4, 5, 6};
        small(4, 0.5f, 0f).addPrior(new int[] {1, 2}, 2, scores, new float[6], new int[6]);
        assertThat(scores).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void shouldRejectInconsistentTables() {
        assertThatThrownBy(() -> new ItemCooccurrence(3, new int[] {0, 1, 1, 1}, new int[] {2}, new float[] {1}, 1,
                1f, 1f)).hasMessageContaining("row 0");
        assertThatThrownBy(() -> new ItemCooccurrence(3, new int[] {0, 0, 1, 1}, new int[] {3}, new float[] {1}, 1,
                1f, 1f)).hasMessageContaining("not a known row");
        assertThatThrownBy(() -> new ItemCooccurrence(3, new int[] {0, 0, 1, 1}, new int[] {2}, new float[] {0}, 1,
                1f, 1f)).hasMessageContaining("positive finite count");
        assertThatThrownBy(() -> new ItemCooccurrence(3, new int[] {0, 0, 2, 1}, new int[] {2, 1},
                new float[] {1, 1}, 1, 1f, 1f)).hasMessageContaining("do not match");
        assertThatThrownBy(() -> new ItemCooccurrence(3, new int[] {0, 0, 1, 1}, new int[] {2}, new float[] {1},
                ItemCooccurrence.MAX_RECENT_ITEMS + 1, 1f, 1f)).hasMessageContaining("recent items");
        assertThatThrownBy(() -> new ItemCooccurrence(3, new int[] {0, 0, 1, 1}, new int[] {2}, new float[] {1}, 1,
                0f, 1f)).hasMessageContaining("decay");
        assertThatThrownBy(() -> new ItemCooccurrence(3, new int[] {0, 0, 1, 1}, new int[] {2}, new float[] {1}, 1,
                1f, -1f)).hasMessageContaining("blend");
    }

    @Test
    void shouldTravelInTheBundleAndBeReadBackEqual() {
        Catalogue catalogue = InterestCatalogues.catalogue(5, 2);
        ModelBundle bundle = ModelBundles.seededRandom("prior", 3L, 8, FeatureSpec.v2(4, 2, 2), catalogue);
        ItemCooccurrence prior = small(3, 0.5f, 1.5f);

        ModelBundle withPrior = ModelBundles.fromBytes(ModelBundles.toBytes(ModelBundles.withCooccurrence(bundle,
                prior)));

        assertThat(ModelBundles.toModel(withPrior).cooccurrence()).isEqualTo(prior);
        assertThat(ModelBundles.toModel(bundle).cooccurrence()).as("bundles without one score with the head alone")
                .isNull();
        ModelBundle replaced = ModelBundles.withCooccurrence(withPrior, prior.withBlend(4f));
        assertThat(replaced.getTensors().stream().filter(t -> t.getName().startsWith("cooccurrence.")).count())
                .isEqualTo(4);
        assertThat(ModelBundles.toModel(replaced).cooccurrence().blend()).isEqualTo(4f);
        assertThat(replaced.getVersion()).isEqualTo(bundle.getVersion());
    }

    @Test
    void shouldRefuseABundleWhosePriorDoesNotFitItsCatalogue() {
        Catalogue catalogue = InterestCatalogues.catalogue(5, 2);
        ModelBundle bundle = ModelBundles.seededRandom("prior", 3L, 8, FeatureSpec.v2(4, 2, 2), catalogue);
        assertThatThrownBy(() -> ModelBundles.withCooccurrence(bundle, new ItemCooccurrence(4,
                new int[] {0, 0, 0, 0, 0}, new int[0], new float[0], 1, 1f, 1f))).hasMessageContaining("4 items");
        assertThatThrownBy(() -> ModelBundles.withCooccurrence(ModelBundles.seededRandom("v1", 1L, 8),
                small(1, 1f, 1f))).hasMessageContaining("next_item head");

        ModelBundle withPrior = ModelBundles.withCooccurrence(bundle, small(3, 0.5f, 1.5f));
        List<Tensor> tensors = new ArrayList<>();
        for (Tensor tensor : withPrior.getTensors()) {
            if (tensor.getName().equals(ModelBundles.COOCCURRENCE_COLUMNS)) {
                tensor = Tensor.newBuilder().setName(tensor.getName()).setShape(tensor.getShape())
                        .setValues(List.of(2f, 3f, 3f, 2.5f)).build();
            }
            tensors.add(tensor);
        }
        withPrior.setTensors(tensors);
        assertThatThrownBy(() -> ModelBundles.toModel(withPrior)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("non-integer value 2.5");
    }

    @Test
    void shouldRankLikeAPlainSortOfTheLogitsPlusThePriorInEveryKernel() {
        Catalogue catalogue = InterestCatalogues.catalogue(400, 7);
        ModelBundle bundle = ModelBundles.seededRandom("prior", 9L, 16, FeatureSpec.v2(6, 3, 2), catalogue);
        Random random = new Random(4);
        int items = catalogue.items();
        ItemCooccurrence prior = InterestCatalogues.randomPrior(catalogue, random, 6, 5, 3f);
        ModelBundle withPrior = ModelBundles.withCooccurrence(bundle, prior);
        int[] recent = {17, 0, 250, 3};
        int[] excluded = {17, 250, 3, 44};

        List<StepKernel> kernels = new ArrayList<>(List.of(Kernels.scalar()));
        if (Kernels.vectorAvailable()) {
            kernels.add(Kernels.vector());
        }
        for (StepKernel kernel : kernels) {
            LstmModel model = ModelBundles.toModel(withPrior).withKernel(kernel);
            for (int trial = 0; trial < 10; trial++) {
                float[] h = new float[16];
                for (int k = 0; k < h.length; k++) {
                    h[k] = (float) Math.tanh(random.nextGaussian());
                }
                float[] expected = new float[items];
                model.nextItemScores(h, expected);
                prior.addPrior(recent, recent.length, expected, new float[items], new int[items]);
                List<Integer> sorted = IntStream.range(1, items).boxed()
                        .filter(row -> row != 17 && row != 250 && row != 3 && row != 44)
                        .sorted(Comparator.comparingDouble((Integer row) -> -expected[row])
                                .thenComparingInt(row -> row))
                        .limit(20).toList();
                int[] rows = new int[20];
                float[] scores = new float[20];

                int found = model.nextItems(h, recent, recent.length, 20, excluded, excluded.length, rows, scores);

                assertThat(found).isEqualTo(20);
                assertThat(rows).as(kernel.name()).containsExactly(sorted.stream().mapToInt(Integer::intValue)
                        .toArray());
                assertThat(scores[0]).isEqualTo(expected[rows[0]]);
            }
        }
    }
}
