package io.pulse.pipeline.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pulse.contracts.AuditRecord;
import io.pulse.contracts.EventType;
import io.pulse.contracts.StoreErasure;
import io.pulse.contracts.UserEvent;
import io.pulse.infra.LocalInfra;
import io.pulse.pipeline.PulsePipeline;
import io.pulse.pipeline.state.ScoredEvent;
import io.pulse.pipeline.state.StateStores;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.testsupport.PulseIntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Erasure on a real broker: {@code DELETE /users/{id}} with the admin token; the user's deletes reach every store's
 * changelog topic as tombstones (read back from the broker), the audit record arrives on the audit topic, the user
 * is 404, and another user is untouched.
 */
@PulseIntegrationTest
class ErasureIntegrationTest {

    private static final String TOKEN = "it-admin-token-0123456789";
    private static final String ERASED = "user-erase-me";
    private static final String KEPT = "user-keep-me";
    private static final int EVENTS = 4;

    @TempDir
    Path stateDir;

    @Test
    void shouldEraseAUserOverHttpWithTombstonesInEveryChangelog(LocalInfra infra) throws Exception {
        PipelineHarness harness = new PipelineHarness(infra);
        try (PulsePipeline pipeline = harness.start(stateDir, Map.of("http.admin.token", TOKEN,
                "commit.interval.ms", "100"))) {
            // Given two users the pipeline knows
            List<UserEvent> erasedEvents = new ArrayList<>();
            List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
            try (AvroSerializer<UserEvent> serializer = harness.eventSerializer()) {
                Instant start = Instant.now().minus(Duration.ofHours(EVENTS + 1));
                for (String user : List.of(ERASED, KEPT)) {
                    for (int i = 0; i < EVENTS; i++) {
                        UserEvent event = UserEvent.newBuilder().setEventId(UUID.randomUUID().toString())
                                .setUserId(user).setType(EventType.PAYMENT).setAmount(20.0 + i)
                                .setEventTime(start.plus(Duration.ofHours(i))).build();
                        if (user.equals(ERASED)) {
                            erasedEvents.add(event);
                        }
                        records.add(new ProducerRecord<>(harness.eventsTopic, utf8(user),
                                serializer.serialize(harness.eventsTopic, event)));
                    }
                }
            }
            harness.produce(records);
            String base = "http://127.0.0.1:" + pipeline.httpPort() + "/users/";
            HttpClient http = HttpClient.newHttpClient();
            await().alias("both users queryable").atMost(Duration.ofSeconds(90))
                    .until(() -> status(http, "GET", base + ERASED, null) == 200
                            && status(http, "GET", base + KEPT, null) == 200);

            // When the user is erased over HTTP: refused without the token, accepted with it
            assertThat(status(http, "DELETE", base + ERASED, null)).isEqualTo(401);
            HttpResponse<String> accepted = http.send(HttpRequest.newBuilder(URI.create(base + ERASED))
                    .header("Authorization", "Bearer " + TOKEN).header("X-Pulse-Requested-By", "it-dpo")
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(accepted.statusCode()).isEqualTo(202);
            String requestId = accepted.body().replaceAll(".*\"requestId\":\"([^\"]+)\".*", "$1");

            // Then the audit record arrives, saying what was deleted
            await().alias("the audit record").atMost(Duration.ofSeconds(60))
                    .until(() -> audit(harness, requestId) != null);
            AuditRecord audit = audit(harness, requestId);
            assertThat(audit.getUserId()).isEqualTo(ERASED);
            assertThat(audit.getRequestedBy()).isEqualTo("it-dpo");
            assertThat(audit.getOrigin()).isEqualTo("http");
            assertThat(audit.getStores().stream().collect(Collectors.toMap(StoreErasure::getStore,
                    StoreErasure::getEntries))).containsEntry(StateStores.USER_STATE, 1L)
                    .containsEntry(StateStores.INACTIVITY_INDEX, 1L)
                    .containsEntry(StateStores.SCORED_EVENTS, (long) EVENTS);

            // and every store's changelog on the broker holds tombstones for the user's keys
            String prefix = harness.applicationId + "-";
            List<ConsumerRecord<byte[], byte[]>> userState = harness.readAllRaw(prefix
                    + StateStores.USER_STATE + "-changelog");
            assertThat(tombstones(userState, utf8(ERASED), true)).as("user-state tombstones").hasSize(1);
            assertThat(tombstones(userState, utf8(KEPT), true)).as("the other user's state").isEmpty();
            List<ConsumerRecord<byte[], byte[]>> index = harness.readAllRaw(prefix
                    + StateStores.INACTIVITY_INDEX + "-changelog");
            assertThat(index).as("inactivity-index tombstone: due time + user id")
                    .filteredOn(r -> r.value() == null && r.key().length == Long.BYTES + ERASED.length()
                            && new String(r.key(), Long.BYTES, ERASED.length(), StandardCharsets.UTF_8)
                            .equals(ERASED))
                    .isNotEmpty();
            assertThat(tombstones(harness.readAllRaw(prefix + StateStores.SCORED_EVENTS + "-changelog"),
                    utf8(ScoredEvent.firstKeyOf(ERASED)), false)).as("scored-events tombstones").hasSize(EVENTS);

            // and the user is unknown, the other one still there
            assertThat(status(http, "GET", base + ERASED, null)).isEqualTo(404);
            assertThat(status(http, "GET", base + KEPT, null)).isEqualTo(200);
            assertThat(pipeline.metrics().erasedCount()).isEqualTo(1.0);
        }
    }

    @Test
    void shouldRefuseToStartWhenTheErasureTopicIsNotCoPartitionedWithTheEvents(LocalInfra infra) {
        PipelineHarness harness = new PipelineHarness(infra);
        // the harness creates 4 partitions per topic; an erasure topic made elsewhere with 3 would misroute requests
        io.pulse.testsupport.TestTopics.create(infra, 3, harness.erasuresTopic);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> harness.start(stateDir, Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(harness.erasuresTopic + " has 3 partitions but " + harness.eventsTopic
                        + " has 4");
    }

    /** A window store's changelog key: the store key, then the 8-byte window start and a 4-byte sequence number. */
    private static final int WINDOW_SUFFIX = Long.BYTES + Integer.BYTES;

    /**
     * Tombstones whose key is {@code key} ({@code exact}), or a window store's changelog key whose store key is
     * {@code key} or starts with it.
     */
    private static List<ConsumerRecord<byte[], byte[]>> tombstones(List<ConsumerRecord<byte[], byte[]>> changelog,
            byte[] key, boolean exact) {
        return changelog.stream()
                .filter(r -> r.value() == null)
                .filter(r -> exact ? Arrays.equals(r.key(), key)
                        : r.key().length >= key.length + WINDOW_SUFFIX
                                && Arrays.equals(Arrays.copyOf(r.key(), key.length), key))
                .toList();
    }

    private static AuditRecord audit(PipelineHarness harness, String requestId) {
        List<ConsumerRecord<String, AuditRecord>> audit = harness.readAll(harness.auditTopic, AuditRecord.class);
        return audit.stream().map(ConsumerRecord::value).filter(r -> r.getRequestId().equals(requestId))
                .findFirst().orElse(null);
    }

    private static int status(HttpClient http, String method, String uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
