package io.pulse.simulator.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WorkloadTest {

    @Test
    void shouldDealOutDistinctUserIdsSoThatEveryUserGetsState() {
        Set<String> ids = new HashSet<>();
        for (int n = 0; n < 100_000; n++) {
            ids.add(Workload.dealtUserId(n));
        }
        assertThat(ids).hasSize(100_000);
    }
}
