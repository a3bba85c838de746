package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class E2eOptionsTest {

    @Test
    void shouldKeepTheQuickConfigurationSmall() {
        E2eOptions quick = E2eOptions.parse("--quick");

        assertThat(quick.quick()).isTrue();
        assertThat(quick.users()).containsExactly(10_000);
        assertThat(quick.threads()).containsExactly(1);
        assertThat(quick.repeats()).isEqualTo(1);
        assertThat(quick.latency()).hasSize(1);
        assertThat(quick.latency().get(0).fractions()).containsExactly(0.5);
        assertThat(quick.latency().get(0).guarantee()).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldApplyFlagsOverTheFullConfiguration() {
        E2eOptions options = E2eOptions.parse("--users", "10k,100k,1m", "--threads", "2", "--repeats", "5",
                "--only", "throughput,scaling", "--no-jfr", "--out", "x.md");

        assertThat(options.quick()).isFalse();
        assertThat(options.users()).containsExactly(10_000, 100_000, 1_000_000);
        assertThat(options.threads()).containsExactly(2);
        assertThat(options.repeats()).isEqualTo(5);
        assertThat(options.sections()).containsExactlyInAnyOrder(E2eOptions.Section.THROUGHPUT,
                E2eOptions.Section.SCALING);
        assertThat(options.jfr()).isFalse();
        assertThat(options.out()).isEqualTo(Path.of("x.md"));
    }

    @Test
    void shouldRunTheEntityLatencyRowsAtOneStreamThreadUnlessToldMoreAndRefuseNone() {
        assertThat(E2eOptions.parse().entityLatencyThreads()).containsExactly(1);
        assertThat(E2eOptions.parse("--quick").entityLatencyThreads()).containsExactly(1);
        assertThat(E2eOptions.parse("--entity-latency-threads", "1,2").entityLatencyThreads()).containsExactly(1, 2);
        assertThatThrownBy(() -> E2eOptions.parse("--entity-latency-threads", "0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--entity-latency-threads");
    }

    @Test
    void shouldReplaceTheConfiguredDiagnosticRunsWithTheOnesGivenInOrder() {
        assertThat(E2eOptions.parse().diagnostics()).containsExactly(Map.of("commit.interval.ms", "20"),
                Map.of("commit.interval.ms", "100"), Map.of("commit.interval.ms", "1000"),
                Map.of("max.task.idle.ms", "-1"));
        assertThat(E2eOptions.parse("--quick").diagnostics()).isEmpty();

        E2eOptions given = E2eOptions.parse("--quick", "--diagnostic", "commit.interval.ms=20",
                "--diagnostic", "max.task.idle.ms=-1, producer.linger.ms=5");

        assertThat(given.diagnostics()).containsExactly(Map.of("commit.interval.ms", "20"),
                Map.of("max.task.idle.ms", "-1", "producer.linger.ms", "5"));
        assertThatThrownBy(() -> E2eOptions.parse("--diagnostic", "commit.interval.ms"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("key=value");
    }

    @Test
    void shouldAddTheEntityVariantOnlyWithEntitiesAndMeasureOnlyTheChosenVariants() {
        assertThat(E2eOptions.parse("--quick").variants()).containsExactly(Variant.PASS_THROUGH, Variant.STATEFUL,
                Variant.NO_OP_MODEL, Variant.FULL, Variant.INTERESTS, Variant.INTERESTS_ON_REQUEST);
        assertThat(E2eOptions.parse("--quick").entities()).isFalse();

        E2eOptions entities = E2eOptions.parse("--entities");
        assertThat(entities.entities()).isTrue();
        assertThat(entities.variants()).contains(Variant.FULL, Variant.ENTITIES).hasSize(7);
        assertThat(E2eOptions.parse("--variants", "c,f").variants()).containsExactly(Variant.FULL, Variant.ENTITIES);
        assertThat(E2eOptions.parse("--variants", "c", "--entities").variants())
                .containsExactly(Variant.FULL, Variant.ENTITIES);
        assertThat(E2eOptions.parse("--variants", "c,g", "--entities").variants())
                .containsExactly(Variant.FULL, Variant.ENTITIES_BROADCAST);
        assertThat(E2eOptions.parse("--variants", "c,f,g").entities()).isTrue();
        assertThatThrownBy(() -> E2eOptions.parse("--variants", "d,f")).hasMessageContaining("must include (c)");
        assertThatThrownBy(() -> E2eOptions.parse("--variants", "c,x")).hasMessageContaining("unknown variant x");
    }

    @Test
    void shouldBoundEveryThroughputRunToThirtySteadySecondsInTheFullRunAndFiveInTheQuickOne() {
        E2eOptions full = E2eOptions.parse();
        assertThat(full.steadyWindows()).as("issue 15: at least 30 s of steady state per run").isEqualTo(30);
        assertThat(full.throughputEvents()).isEqualTo(3_000_000);
        assertThat(full.inputRecords()).isEqualTo(E2eOptions.STEADY_INPUT_RECORDS);
        E2eOptions whole = E2eOptions.parse("--steady-seconds", "0");
        assertThat(whole.boundedInTime()).isFalse();
        assertThat(whole.inputRecords()).isEqualTo(whole.throughputEvents());
        E2eOptions quick = E2eOptions.parse("--quick");
        assertThat(quick.steadyWindows()).as("the same ratios from shorter windows").isEqualTo(5);
        assertThat(quick.inputRecords()).isGreaterThan(quick.throughputEvents());
        E2eOptions quickWhole = E2eOptions.parse("--quick", "--steady-seconds", "0");
        assertThat(quickWhole.boundedInTime()).isFalse();
        assertThat(quickWhole.inputRecords()).isEqualTo(quickWhole.throughputEvents());

        E2eOptions bounded = E2eOptions.parse("--steady-seconds", "30", "--events", "2m");
        assertThat(bounded.boundedInTime()).isTrue();
        assertThat(bounded.steadyWindows()).isEqualTo(30);
        assertThat(bounded.throughputEvents()).isEqualTo(2_000_000);
        assertThat(bounded.inputRecords()).isEqualTo(E2eOptions.STEADY_INPUT_RECORDS);

        assertThat(E2eOptions.parse("--steady-seconds", "5", "--input-records", "3_000k").inputRecords())
                .isEqualTo(3_000_000L);
        assertThat(E2eOptions.parse("--input-records", "10", "--events", "500").inputRecords())
                .as("never fewer records than distinct events").isEqualTo(500L);
        assertThatThrownBy(() -> E2eOptions.parse("--steady-seconds", "-1")).hasMessageContaining("--steady-seconds");
    }

    @Test
    void shouldMeasureThePipelinesLatencyInItsOwnJvmOnlyWhenAsked() {
        assertThat(E2eOptions.fullConfig().latencyInOwnJvm()).isFalse();
        assertThat(E2eOptions.quickConfig().latencyInOwnJvm()).isFalse();

        E2eOptions own = E2eOptions.parse("--quick", "--only", "latency", "--latency-in-own-jvm");
        assertThat(own.latencyInOwnJvm()).isTrue();
        assertThat(own.quick()).as("the other flags still apply").isTrue();
        // a fresh JVM per row: the warm-up must outlast its JIT's first seconds; in the benchmark's JVM it is warm
        assertThat(own.latencyWarmup()).isGreaterThanOrEqualTo(Duration.ofSeconds(15));
        assertThat(E2eOptions.parse("--quick").latencyWarmup()).isEqualTo(E2eOptions.quickConfig().latencyWarmup())
                .isLessThan(Duration.ofSeconds(15));
        assertThat(E2eOptions.parse("--latency-in-own-jvm", "--latency-warmup", "120").latencyWarmup())
                .as("a warm-up given is the warm-up used").isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void shouldPinThePipelinesJvmOnlyForALatencyRunInItsOwnJvm() {
        assertThat(E2eOptions.fullConfig().latencyPipelineCpus()).isEmpty();
        assertThat(E2eOptions.quickConfig().latencyPipelineCpus()).isEmpty();

        E2eOptions pinned = E2eOptions.parse("--only", "latency", "--latency-in-own-jvm", "--latency-pipeline-cpus",
                "1");
        assertThat(pinned.latencyPipelineCpus()).containsExactly(1);

        // the benchmark's JVM is confined for the whole run: the other sections would be measured on fewer cores
        assertThatThrownBy(() -> E2eOptions.parse("--latency-in-own-jvm", "--latency-pipeline-cpus", "1"))
                .hasMessageContaining("--only latency");
        assertThatThrownBy(() -> E2eOptions.parse("--only", "latency", "--latency-pipeline-cpus", "1"))
                .hasMessageContaining("--latency-in-own-jvm");
    }

    @Test
    void shouldCapScalingWorkloads() {
        E2eOptions options = E2eOptions.fullConfig();

        assertThat(options.scalingEvents(1_000_000)).isLessThanOrEqualTo(options.maxScalingEvents());
        assertThat(E2eOptions.ints("1_000,2k")).isEqualTo(List.of(1_000, 2_000));
    }

    @Test
    void shouldRefuseUnknownFlagsAndMissingValues() {
        assertThatThrownBy(() -> E2eOptions.parse("--fast")).hasMessageContaining("unknown flag --fast");
        assertThatThrownBy(() -> E2eOptions.parse("--users")).hasMessageContaining("--users needs a value");
    }
}
