package io.pulse.benchmarks.child;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuPinningTest {

    @Test
    void shouldStartACommandOnTheGivenCpusThroughTaskset() {
        assertThat(CpuPinning.onCpus(List.of(1, 3), List.of("java", "-version")))
                .containsExactly("taskset", "-c", "1,3", "java", "-version");
    }

    @Test
    void shouldLeaveTheOtherCpusToTheBenchmark() {
        assertThat(CpuPinning.others(List.of(1), 2)).containsExactly(0);
        assertThat(CpuPinning.others(List.of(0, 2), 4)).containsExactly(1, 3);
    }

    @Test
    void shouldRefuseCpusThatDoNotExistOrLeaveNoneForTheBroker() {
        assertThatThrownBy(() -> CpuPinning.others(List.of(2), 2)).hasMessageContaining("CPUs 0 to 1");
        assertThatThrownBy(() -> CpuPinning.others(List.of(0, 1), 2)).hasMessageContaining("leave at least one");
    }
}
