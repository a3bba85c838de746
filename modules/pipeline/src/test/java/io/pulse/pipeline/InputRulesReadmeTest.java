package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.pipeline.validate.InputRules;
import io.pulse.pipeline.validate.RejectReason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The table of input rules in {@code docs/input-rules.md} (linked from the README) is
 * {@link InputRules#markdownTable()}, generated from {@link RejectReason}: when a rule changes, this test fails until
 * the documentation says the same. {@code -Dpulse.readme.update=true} rewrites it.
 */
class InputRulesReadmeTest {

    static final String BEGIN = "<!-- input-rules:begin (generated from RejectReason and InputRules by"
            + " InputRulesReadmeTest; -Dpulse.readme.update=true rewrites it) -->\n";
    static final String END = "<!-- input-rules:end -->";
    private static final Path README = Path.of("../../docs/input-rules.md");

    @Test
    void shouldDocumentEveryInputRuleInTheReadme() throws IOException {
        String readme = Files.readString(README, StandardCharsets.UTF_8);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertThat(begin).as("docs/input-rules.md has the input-rules markers").isNotNegative();
        assertThat(end).isGreaterThan(begin);
        String documented = readme.substring(begin + BEGIN.length(), end);
        String generated = InputRules.markdownTable();

        if (!documented.equals(generated) && Boolean.getBoolean("pulse.readme.update")) {
            Files.writeString(README, readme.substring(0, begin + BEGIN.length()) + generated + readme.substring(end),
                    StandardCharsets.UTF_8);
            documented = generated;
        }

        assertThat(documented).as("docs/input-rules.md table (run with -Dpulse.readme.update=true to regenerate)")
                .isEqualTo(generated);
    }

    @Test
    void shouldGiveEveryRejectReasonARowWithItsName() {
        String table = InputRules.markdownTable();

        for (RejectReason reason : RejectReason.values()) {
            assertThat(table).contains("`pulse.dlq.reason=" + reason.name() + "`");
            assertThat(reason.rule()).isNotBlank();
        }
    }
}
