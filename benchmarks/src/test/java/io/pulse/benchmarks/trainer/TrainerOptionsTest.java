package io.pulse.benchmarks.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class TrainerOptionsTest {

    @Test
    void shouldRunAllDaysForTwoEpochsIntoResultsByDefault() {
        TrainerOptions options = TrainerOptions.parse();

        assertThat(options.quick()).isFalse();
        assertThat(options.days()).isNull();
        assertThat(options.epochs()).isEqualTo(2);
        assertThat(options.hidden()).isEqualTo(64);
        assertThat(options.ompThreads()).isEqualTo(1);
        assertThat(options.data()).isEqualTo(TrainerOptions.DEFAULT_DATA);
        assertThat(options.mapping()).isEqualTo(TrainerOptions.FRAUD_MAPPING);
        assertThat(options.out()).isEqualTo(Path.of("benchmarks", "RESULTS.md"));
        assertThat(options.command()).isEqualTo(TrainerOptions.MAIN);
    }

    @Test
    void shouldRunThirtyDaysForOneEpochWhenQuick() {
        TrainerOptions options = TrainerOptions.parse("--quick");

        assertThat(options.days()).isEqualTo(30);
        assertThat(options.epochs()).isEqualTo(1);
        assertThat(options.out()).isEqualTo(Path.of("benchmarks", "RESULTS-quick.md"));
        assertThat(options.command()).isEqualTo(TrainerOptions.MAIN + " --quick");
    }

    @Test
    void shouldLetExplicitFlagsWinOverQuick() {
        TrainerOptions options = TrainerOptions.parse("--quick", "--days", "7", "--epochs", "3", "--out", "x.md",
                "--hidden", "32", "--omp-threads", "0");

        assertThat(options.days()).isEqualTo(7);
        assertThat(options.epochs()).isEqualTo(3);
        assertThat(options.hidden()).isEqualTo(32);
        assertThat(options.ompThreads()).isZero();
        assertThat(options.out()).isEqualTo(Path.of("x.md"));
    }

    @Test
    void shouldRecordTheGivenCommandAndQuoteValuesWithSpacesOtherwise() {
        assertThat(TrainerOptions.parse("--command", "./pulse bench --trainer").command())
                .isEqualTo("./pulse bench --trainer");
        assertThat(TrainerOptions.parse("--map", "user=a,time=b:yyyy-MM-dd HH:mm").command())
                .isEqualTo(TrainerOptions.MAIN + " --map 'user=a,time=b:yyyy-MM-dd HH:mm'");
    }

    @Test
    void shouldRejectUnknownFlagsMissingValuesAndImpossibleNumbers() {
        assertThatThrownBy(() -> TrainerOptions.parse("--bogus", "1")).hasMessageContaining("unknown flag --bogus");
        assertThatThrownBy(() -> TrainerOptions.parse("--epochs")).hasMessageContaining("--epochs needs a value");
        assertThatThrownBy(() -> TrainerOptions.parse("--epochs", "0")).hasMessageContaining("at least 1");
        assertThatThrownBy(() -> TrainerOptions.parse("--days", "x")).hasMessageContaining("whole number");
    }
}
