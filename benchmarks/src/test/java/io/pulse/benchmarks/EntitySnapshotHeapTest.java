package io.pulse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class EntitySnapshotHeapTest {

    @Test
    void shouldTakeTheBytesAnEntityCostsAsTheSlopeSoThatFixedOverheadDropsOut() {
        // 1,000 bytes held whatever the size, 368 an entity: the slope is 368, the ratio at 100 entities 378
        double[] entities = {100, 500, 1_000};
        double[] heap = {1_000 + 368 * 100, 1_000 + 368 * 500, 1_000 + 368 * 1_000};

        assertThat(EntitySnapshotHeap.slope(entities, heap)).isCloseTo(368.0, within(1e-9));
    }

    @Test
    void shouldFitTheLeastSquaresLineThroughPointsOffIt() {
        // by hand: x̄ = 2, ȳ = 3; Σ(x−x̄)(y−ȳ) = (−1)(−2) + 0 + (1)(2) = 4; Σ(x−x̄)² = 2; slope 2
        assertThat(EntitySnapshotHeap.slope(new double[] {1, 2, 3}, new double[] {1, 4, 5})).isCloseTo(2.0,
                within(1e-12));
    }
}
