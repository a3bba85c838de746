package io.pulse.trainer.interest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.model.ItemCooccurrence;
import java.util.List;
import org.junit.jupiter.api.Test;

class CooccurrencePriorsTest {

    @Test
    void shouldLetAnUnknownItemTakeItsPositionWithoutPairing() {
        // catalogue rows 1..3; row 0 is an unknown item (or an event without one). Window 3: in the first sequence
        // row 2 is 2 events after row 1; in the second row 1 is 4 events after row 3, beyond the window
        List<int[]> rows = List.of(new int[] {1, 0, 2}, new int[] {3, 0, 0, 0, 1}, new int[] {0, 3, 0, 2});

        ItemCooccurrence prior = CooccurrencePriors.fit(rows, 4);

        assertThat(prior.items()).isEqualTo(4);
        assertThat(prior.neighbours(0)).isEmpty();
        assertThat(prior.neighbours(1)).containsExactly(2);
        assertThat(prior.neighbourCounts(1)).containsExactly(1f);
        assertThat(prior.neighbours(3)).containsExactly(2);
        assertThat(prior.neighbours(2)).isEmpty();
        assertThat(prior.entries()).isEqualTo(2);
        assertThat(prior.recentItems()).isEqualTo(ItemCooccurrence.MAX_RECENT_ITEMS);
        assertThat(prior.decay()).isEqualTo(CooccurrencePriors.DECAY);
        assertThat(prior.blend()).isZero();
    }

    @Test
    void shouldRejectARowOutsideTheCatalogue() {
        assertThatThrownBy(() -> CooccurrencePriors.fit(List.of(new int[] {1, 4}), 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("row 4");
    }
}
