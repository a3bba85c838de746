package io.pulse.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.testsupport.FormatStrings;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

class BenchMainTest {

    /**
     * Picocli formats every help text with {@code String.format} (its documented contract: a literal percent sign is
     * written {@code %%}); a bare {@code %} before a letter ("50 % and") is a format error, reported as a warning on
     * every {@code ./pulse bench} run, and the text is then printed raw. Checked on the annotations' own texts.
     */
    @Test
    void shouldWriteEveryHelpTextAsAValidFormatString() {
        List<String> texts = new ArrayList<>(List.of(BenchMain.class.getAnnotation(Command.class).description()));
        for (Field field : BenchMain.class.getDeclaredFields()) {
            Option option = field.getAnnotation(Option.class);
            if (option != null) {
                texts.addAll(List.of(option.description()));
            }
        }

        List<String> unformattable = FormatStrings.invalid(texts);

        assertThat(texts).hasSizeGreaterThan(10);
        assertThat(unformattable).isEmpty();
    }
}
