package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.HostileInputCorpus.Input;
import io.pulse.pipeline.HostileInputCorpus.Kind;
import io.pulse.registry.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "No user ids or amounts in logs at INFO": the topology processes good events (with fraud and churn alerts, labels,
 * a model's fallback), every kind of hostile input, erasures (good and misrouted), while every log line at INFO and
 * above from every logger is captured; none may contain a user id, an event id or an amount of those records.
 */
class LogHygieneTest {

    @TempDir
    Path stateDir;

    @Test
    void shouldKeepUserIdsEventIdsAndAmountsOutOfLogsAtInfoAndAbove() {
        Set<String> secrets = new LinkedHashSet<>();
        try (LogCapture logs = new LogCapture();
             TopologyFixture fixture = new TopologyFixture(stateDir, Map.of("fraud.alert.threshold", "0",
                     "churn.alert.threshold", "0.01", "inactivity.min.silence.ms", "60000"));
             AvroSerializer<GenericRecord> generic = new AvroSerializer<>()) {
            generic.configure(fixture.config.serdeConfig(), false);
            // Given users whose ids and amounts are easy to spot in any text
            double[] amounts = {7391.27, 1234.5678, 86420.13};
            for (int u = 0; u < 3; u++) {
                String userId = "user-Zq8xK-" + u + "-secret";
                secrets.add(userId);
                for (int i = 0; i < 5; i++) {
                    UserEvent event = TopologyFixture.event(userId, EventType.PAYMENT,
                            Duration.ofHours(i - 10).plusMinutes(u)).setAmount(amounts[u] + i).build();
                    secrets.add(event.getEventId());
                    secrets.addAll(amountTexts(event.getAmount()));
                    fixture.send(event);
                    if (i == 0) {
                        fixture.labels.pipeInput(userId, Label.newBuilder().setUserId(userId)
                                .setKind(LabelKind.FRAUD).setPositive(true).setEventId(event.getEventId())
                                .setAppliesAt(event.getEventTime()).setObservedAt(TopologyFixture.START).build());
                    }
                }
            }
            // and every kind of hostile input
            for (Kind kind : HostileInputCorpus.build(env(fixture, generic), HostileInputTopologyTest.SEED)) {
                for (Input input : kind.inputs()) {
                    fixture.sendRaw(input.key(), input.value());
                    if (input.eventId() != null) {
                        secrets.add(input.eventId());
                    }
                    if (input.key() != null && input.key().length >= 8) {
                        secrets.add(new String(input.key(), StandardCharsets.UTF_8));
                    }
                }
            }
            // When silences become alarming, one user is erased and a misrouted erasure arrives
            fixture.driver.advanceWallClockTime(Duration.ofDays(3));
            fixture.erase("user-Zq8xK-0-secret");
            fixture.erasures.pipeInput("user-Zq8xK-1-secret", io.pulse.contracts.ErasureRequest.newBuilder()
                    .setRequestId("r-misrouted").setUserId("user-Zq8xK-2-secret").setRequestedBy("someone")
                    .setRequestedAt(Instant.EPOCH).build());

            // Then something was logged, and none of it names a user, an event or an amount
            assertThat(fixture.churnAlerts.readValuesToList()).as("inactivity alerts raised").isNotEmpty();
            assertThat(fixture.fraudAlerts.readValuesToList()).as("fraud alerts raised").isNotEmpty();
            assertThat(fixture.audit.readValuesToList()).hasSize(1);
            assertThat(logs.lines()).as("log lines at INFO+").isNotEmpty()
                    .anySatisfy(line -> assertThat(line).contains("erasure"));
            assertThat(logs.linesContainingAny(secrets)).as("log lines naming users, events or amounts")
                    .isEmpty();
        }
    }

    /** How an amount could be printed: Java's shortest form and the usual fixed formats. */
    static List<String> amountTexts(double amount) {
        List<String> texts = new ArrayList<>();
        texts.add(Double.toString(amount));
        texts.add(String.format(Locale.ROOT, "%.2f", amount));
        texts.add(String.format(Locale.ROOT, "%.1f", amount));
        return texts;
    }

    private static HostileInputCorpus.Env env(TopologyFixture fixture, AvroSerializer<GenericRecord> generic) {
        return new HostileInputCorpus.Env() {
            @Override
            public Instant now() {
                return TopologyFixture.START;
            }

            @Override
            public byte[] serialize(UserEvent event) {
                return fixture.bytes(event);
            }

            @Override
            public byte[] serialize(GenericRecord record, String subject) {
                return generic.serialize(subject, record);
            }
        };
    }
}
