package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ModelBundles;
import io.pulse.trainer.TrainJob;
import io.pulse.trainer.TrainJobConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code pulse train --entity TYPE[=KEY][:horizons=…][:delay=…][:bucket=…]}: what it accepts, how it refuses. */
class EntityOptionTest {

    @TempDir
    Path dir;

    @Test
    void shouldReadAFullDeclaration() {
        EntityWindowSpec spec = EntityOption.parse("terminal=attr.terminal:horizons=1d,7d,30d:delay=7d:bucket=1d");

        assertThat(spec).isEqualTo(EntityWindowSpec.daily("terminal"));
        assertThat(spec.key()).isEqualTo("attr.terminal");
    }

    @Test
    void shouldDefaultTheKeyToTheAttributeOfTheTypesNameAndTheShapeToThePipelinesDefaults() {
        assertThat(EntityOption.parse("terminal")).isEqualTo(EntityWindowSpec.daily("terminal"));
        assertThat(EntityOption.parse("device=attr.device_id")).isEqualTo(
                EntityWindowSpec.daily("device").withKey("attr.device_id"));
    }

    @Test
    void shouldReadEachSettingInAnyOrderWithShortOrIsoDurations() {
        EntityWindowSpec spec = EntityOption.parse("merchant=item:bucket=PT12H:delay=36h:horizons=12h,P2D");

        assertThat(spec).isEqualTo(new EntityWindowSpec("merchant", "item",
                List.of(Duration.ofHours(12), Duration.ofDays(2)), Duration.ofHours(36), Duration.ofHours(12)));
    }

    @Test
    void shouldReadBackTheFormTheTrainerRecordsInTheBundlesProvenance() {
        EntityWindowSpec spec = new EntityWindowSpec("terminal", "attr.tid", List.of(Duration.ofHours(6),
                Duration.ofDays(3)), Duration.ofDays(2), Duration.ofHours(6));

        assertThat(EntityOption.parse(TrainJobConfig.describe(spec))).isEqualTo(spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "''                                        | is empty",
        "Terminal                                  | entity type must match",
        "terminal=customer                         | entity key must be \"item\" or \"attr.<name>\"",
        "terminal:horizons=7d,1d                   | strictly increasing",
        "terminal:horizons=1d,,30d                 | horizons: '' is not a duration",
        "terminal:delay=soon                       | delay: 'soon' is not a duration",
        "terminal:bucket=0                         | bucket > 0",
        "terminal:delay=-1d                        | delay: '-1d' is not a duration",
        "terminal:delay                            | setting \"delay\" has no value",
        "terminal:delay=                           | setting \"delay=\" has no value",
        "terminal:window=7d                        | unknown setting \"window\"",
        "terminal:delay=7d:delay=1d                | delay is given twice",
        "terminal:delay=300d                       | more than 64: use a coarser bucket"})
    void shouldSayWhatIsWrongWithABadDeclaration(String text, String reason) {
        assertThatThrownBy(() -> EntityOption.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(reason);
    }

    @Test
    void shouldNameTheOptionWhenTheCommandLineHasABadDeclaration() {
        StringWriter err = new StringWriter();
        int exit = Pulse.commandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("train", "--source", "simulated", "--no-publish", "--out", dir.toString(),
                        "--entity", "terminal:horizons=30d,7d");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--entity", "terminal:horizons=30d,7d", "strictly increasing");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldRefuseTheSameEntityTypeTwiceBeforeTraining() {
        StringWriter err = new StringWriter();
        int exit = Pulse.commandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("train", "--source", "simulated", "--no-publish", "--out", dir.toString(),
                        "--entity", "terminal", "--entity", "terminal=attr.tid");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("--entity: entity type terminal is declared twice");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void shouldTrainOneModelWithEntitiesAndInterests() throws Exception {
        StringWriter err = new StringWriter();
        int exit = Pulse.commandLine().setErr(new PrintWriter(err, true)).setOut(new PrintWriter(new StringWriter()))
                .execute("train", "--source", "simulated", "--no-publish", "--out", dir.toString(),
                        "--simulate-users", "30", "--simulate-days", "10", "--hidden", "8", "--epochs", "1",
                        "--item-dim", "4", "--category-dim", "2", "--entity", "terminal", "--interests");

        assertThat(exit).as(err.toString()).isZero();
        try (var versions = Files.list(dir)) {
            Path bundle = versions.findFirst().orElseThrow().resolve(TrainJob.BUNDLE_FILE);
            FeatureSpec spec = ModelBundles.toModel(ModelBundles.read(bundle)).featureSpec();
            assertThat(spec.hasInterests()).isTrue();
            assertThat(spec.entities()).extracting(EntityWindowSpec::type).containsExactly("terminal");
        }
    }
}
