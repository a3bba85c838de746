package io.pulse.trainer.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.model.ItemCooccurrence;
import java.util.List;
import org.junit.jupiter.api.Test;

class CooccurrencePriorsTest {

    @Test
    void shouldWeighFollowersByDistanceAddTheSimilarityAndLetAnUnknownItemTakeItsPosition() {
        // catalogue rows 1..3; row 0 is an unknown item (or an event without one), which keeps its position
        List<int[]> rows = List.of(new int[] {1, 0, 2}, new int[] {3, 0, 0, 0, 1}, new int[] {0, 3, 0, 2});

        ItemCooccurrence prior = CooccurrencePriors.fit(rows, 4);

        // by hand: followers 1 -> 2 at distance 2 (1/2), 3 -> 1 at distance 4 (1/4), 3 -> 2 at distance 2 (1/2);
        // every pair of rows shares one user and each row occurs twice, so each similarity is 1 / sqrt(2 * 2) = 0.5,
        // added in both directions with weight SIMILARITY
        assertThat(CooccurrencePriors.WINDOW).isGreaterThanOrEqualTo(4);
        assertThat(CooccurrencePriors.SIMILARITY_REACH).isGreaterThanOrEqualTo(4);
        float similarity = CooccurrencePriors.SIMILARITY * 0.5f;
        assertThat(prior.items()).isEqualTo(4);
        assertThat(prior.neighbours(0)).isEmpty();
        assertThat(prior.neighbours(1)).containsExactly(2, 3);
        assertThat(prior.neighbourCounts(1)).containsExactly(0.5f + similarity, similarity);
        assertThat(prior.neighbours(2)).as("equal weights: the lower row first").containsExactly(1, 3);
        assertThat(prior.neighbourCounts(2)).containsExactly(similarity, similarity);
        assertThat(prior.neighbours(3)).containsExactly(2, 1);
        assertThat(prior.neighbourCounts(3)).containsExactly(0.5f + similarity, 0.25f + similarity);
        assertThat(prior.entries()).isEqualTo(6);
        assertThat(prior.recentItems()).isEqualTo(ItemCooccurrence.MAX_RECENT_ITEMS);
        assertThat(prior.decay()).isEqualTo(CooccurrencePriors.DECAY);
        assertThat(prior.blend()).isZero();
    }

    @Test
    void shouldCountEveryPairWithinTheWindowOnceForTheBaselines() {
        // the baselines' plain counts: index 0 is followed by 1 at distances 1 and 3, by 2 at distance 2
        FollowerCounts counts = FollowerCounts.count(List.of(new int[] {0, 1, 2, 1}), 3, 3, false);
        double[] scores = new double[3];

        counts.addRow(0, 1, scores);

        assertThat(scores).containsExactly(0, 2, 1);
        assertThat(counts.entriesKeeping(1)).isEqualTo(3);
        assertThat(CooccurrencePriors.neighboursFitting(counts)).isEqualTo(CooccurrencePriors.NEIGHBOURS);
    }

    @Test
    void shouldRejectARowOutsideTheCatalogue() {
        assertThatThrownBy(() -> CooccurrencePriors.fit(List.of(new int[] {1, 4}), 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 4");
    }
}
