package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.Prediction;
import io.pulse.pipeline.HostileInputCorpus.Fate;
import io.pulse.pipeline.HostileInputCorpus.Input;
import io.pulse.pipeline.HostileInputCorpus.Kind;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.pipeline.validate.DeadLetters;
import io.pulse.pipeline.validate.RejectReason;
import io.pulse.registry.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hostile-input corpus through the real topology: every record goes where its documented rule says (dead-letter
 * topic with the reason, one prediction, or dropped as a repeat), nothing throws, and the metrics count each.
 */
class HostileInputTopologyTest {

    static final long SEED = 20261123L;
    private static final String ENTITY = "terminal";

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;
    private AvroSerializer<GenericRecord> generic;

    @BeforeEach
    void start() {
        // with an entity type, so that entity ids are checked and accepted events take the entity round trip too
        fixture = new TopologyFixture(stateDir, Map.of(PulseConfig.ENTITIES_TYPES, ENTITY));
        generic = new AvroSerializer<>();
        generic.configure(fixture.config.serdeConfig(), false);
    }

    @AfterEach
    void stop() {
        generic.close();
        fixture.close();
    }

    private List<Kind> corpus() {
        return HostileInputCorpus.build(new HostileInputCorpus.Env() {
            @Override
            public Instant now() {
                return TopologyFixture.START; // the driver's wall clock
            }

            @Override
            public byte[] serialize(io.pulse.contracts.UserEvent event) {
                return fixture.bytes(event);
            }

            @Override
            public byte[] serialize(GenericRecord record, String subject) {
                return generic.serialize(subject, record);
            }

            @Override
            public String entityAttribute() {
                return ENTITY;
            }
        }, SEED);
    }

    @Test
    void shouldHaveAtLeastThirtyKindsCoveringEveryRejectReason() {
        List<Kind> kinds = corpus();

        assertThat(kinds).hasSizeGreaterThanOrEqualTo(30);
        Set<RejectReason> covered = kinds.stream().flatMap(kind -> kind.inputs().stream())
                .map(Input::reason).filter(java.util.Objects::nonNull).collect(Collectors.toSet());
        assertThat(covered).containsExactlyInAnyOrder(RejectReason.values());
        assertThat(kinds).flatExtracting(Kind::inputs).extracting(Input::fate)
                .contains(Fate.ACCEPTED, Fate.DROPPED_DUPLICATE);
    }

    @Test
    void shouldSendEveryHostileKindWhereItsRuleSays() {
        // Given every kind of hostile input, each record tagged with its kind
        List<Kind> kinds = corpus();

        // When they are all read by the pipeline
        for (Kind kind : kinds) {
            for (Input input : kind.inputs()) {
                RecordHeaders headers = new RecordHeaders();
                headers.add(HostileInputCorpus.KIND_HEADER, kind.name().getBytes(StandardCharsets.UTF_8));
                fixture.events.pipeInput(new TestRecord<>(input.key(), input.value(), headers,
                        TopologyFixture.START));
            }
        }

        // Then each kind's dead letters carry exactly the expected reasons, in order
        Map<String, List<String>> deadByKind = new LinkedHashMap<>();
        for (TestRecord<byte[], byte[]> dead : fixture.deadLetters.readRecordsToList()) {
            deadByKind.computeIfAbsent(DeadLetters.header(dead.headers(), HostileInputCorpus.KIND_HEADER),
                    k -> new ArrayList<>()).add(DeadLetters.header(dead.headers(), DeadLetters.REASON));
        }
        List<String> predicted = fixture.predictions.readValuesToList().stream().map(Prediction::getEventId)
                .toList();
        SoftAssertions softly = new SoftAssertions();
        for (Kind kind : kinds) {
            List<String> expectedReasons = kind.inputs().stream().filter(i -> i.fate() == Fate.DEAD_LETTER)
                    .map(i -> i.reason().name()).toList();
            softly.assertThat(deadByKind.getOrDefault(kind.name(), List.of())).as("dead letters of %s (%s)",
                    kind.name(), kind.description()).isEqualTo(expectedReasons);
            for (Input input : kind.inputs()) {
                if (input.fate() == Fate.ACCEPTED) {
                    softly.assertThat(predicted).as("the prediction for %s", kind.name())
                            .containsOnlyOnce(input.eventId());
                }
            }
        }
        softly.assertAll();

        // and the metrics count every outcome
        assertCounted(fixture.metrics, kinds, predicted.size());
    }

    /** Predictions, duplicates, receipts and dead letters by reason, as the corpus expects them. */
    static void assertCounted(PipelineMetrics metrics, List<Kind> kinds, int predictions) {
        List<Input> inputs = kinds.stream().flatMap(kind -> kind.inputs().stream()).toList();
        long accepted = inputs.stream().filter(i -> i.fate() == Fate.ACCEPTED).count();
        long duplicates = inputs.stream().filter(i -> i.fate() == Fate.DROPPED_DUPLICATE).count();
        Map<RejectReason, Long> byReason = new EnumMap<>(RejectReason.class);
        inputs.stream().filter(i -> i.fate() == Fate.DEAD_LETTER).forEach(i -> byReason.merge(i.reason(), 1L,
                Long::sum));
        assertThat((long) predictions).isEqualTo(accepted);
        assertThat(metrics.predictionCount()).isEqualTo((double) accepted);
        assertThat(metrics.duplicateCount()).isEqualTo((double) duplicates);
        assertThat(metrics.receivedCount()).isEqualTo((double) inputs.size());
        for (RejectReason reason : RejectReason.values()) {
            assertThat(metrics.deadLetterCount(reason)).as("pulse_dlq_records_total{reason=%s}", reason)
                    .isEqualTo((double) byReason.getOrDefault(reason, 0L));
        }
    }
}
