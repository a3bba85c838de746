package io.pulse.simulator.sequences;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CategoryPathTest {

    @Test
    void shouldCutThePathAtALevelOrKeepTheDeepestAvailable() {
        CategoryPath path = CategoryPath.of("17", "23", "41");

        assertThat(path.atLevel(1)).isEqualTo("17");
        assertThat(path.atLevel(2)).isEqualTo("17>23");
        assertThat(path.atLevel(3)).isEqualTo("17>23>41");
        assertThat(path.atLevel(9)).isEqualTo("17>23>41");
        assertThat(CategoryPath.of("17").atLevel(2)).isEqualTo("17");
        assertThat(path.depth()).isEqualTo(3);
        assertThat(path).hasToString("17>23>41");
    }

    @Test
    void shouldRejectEmptyPathsBlankLevelsAndLevelZero() {
        assertThatThrownBy(() -> new CategoryPath(List.of())).hasMessageContaining("at least one level");
        assertThatThrownBy(() -> CategoryPath.of("a", " ")).hasMessageContaining("blank level");
        assertThatThrownBy(() -> CategoryPath.of("a").atLevel(0)).hasMessageContaining("levels start at 1");
    }
}
