package io.pulse.trainer.interest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ItemIndexTest {

    @Test
    void shouldNumberIdsDenselyInOrderOfFirstAppearance() {
        ItemIndex index = new ItemIndex();

        assertThat(index.addAll(List.of("b", "a", "b", "c"))).containsExactly(0, 1, 0, 2);
        assertThat(index.add("a")).isEqualTo(1);
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.id(2)).isEqualTo("c");
        assertThat(index.indexOf("c")).isEqualTo(2);
        assertThat(index.indexOf("z")).isEqualTo(-1);
    }
}
