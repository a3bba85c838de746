package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.entities.EntityMessage;
import io.pulse.pipeline.state.ScoredEvent;
import io.pulse.pipeline.state.StateStores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broadcast delivery of entity features ({@code entities.delivery=broadcast}): a global store keeps every entity's
 * windows from the changelog of the type's entity store, and scoring reads them without a hop. In the
 * TopologyTestDriver a snapshot is in the global store before the next input record, so the features are current and
 * the scores must equal the exact round trip's, label arrivals included.
 */
class EntityBroadcastTopologyTest {

    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");

    @TempDir
    Path stateDir;
    private final List<TopologyFixture> fixtures = new ArrayList<>();

    @AfterEach
    void stop() {
        fixtures.forEach(TopologyFixture::close);
    }

    private TopologyFixture start(String delivery) {
        return start(delivery, PulseConfig.SNAPSHOTS_IN_MEMORY);
    }

    private TopologyFixture start(String delivery, String snapshotsStore) {
        TopologyFixture fixture = new TopologyFixture(stateDir.resolve(delivery + "-" + snapshotsStore),
                Map.of(PulseConfig.ENTITIES_TYPES, "terminal", PulseConfig.ENTITIES_DELIVERY, delivery,
                        PulseConfig.ENTITIES_SNAPSHOTS_STORE, snapshotsStore));
        fixtures.add(fixture);
        ModelBundle bundle = ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), 11L, 16,
                FeatureSpec.v1().withEntities(List.of(TERMINAL)), null);
        fixture.modelWeights.pipeInput(bundle.getName(), bundle);
        assertThat(fixture.models.current().featureSpec().hasEntities()).isTrue();
        return fixture;
    }

    /** Events at two terminals, one without a terminal, a late fraud label (and its redelivery), then more events. */
    private static List<Prediction> play(TopologyFixture f) {
        UserEvent fraud = payment("u-1", "T-bad", Duration.ZERO, 20.0);
        f.send(fraud);
        f.send(payment("u-2", "T-good", Duration.ofMinutes(1), 35.0));
        f.send(payment("u-3", "T-bad", Duration.ofMinutes(5), 40.0));
        f.send(payment("u-4", null, Duration.ofMinutes(6), 15.0));
        f.labels.pipeInput(fraud.getUserId(), EntityTopologyTest.fraudLabel(fraud, Duration.ofMinutes(10)));
        f.labels.pipeInput(fraud.getUserId(), EntityTopologyTest.fraudLabel(fraud, Duration.ofMinutes(10)));
        f.send(payment("u-5", "T-bad", Duration.ofMinutes(20), 40.0));
        f.send(payment("u-6", "T-good", Duration.ofMinutes(21), 40.0));
        f.send(payment("u-1", "T-good", Duration.ofMinutes(30), 12.5));
        return f.predictions.readValuesToList();
    }

    @Test
    void shouldScoreEveryEventAsTheRoundTripDoesWhenTheSnapshotsAreCurrent() {
        List<Prediction> exact = play(start(PulseConfig.DELIVERY_ROUND_TRIP));
        List<Prediction> broadcast = play(start(PulseConfig.DELIVERY_BROADCAST));

        assertThat(broadcast).hasSize(7);
        assertThat(broadcast).extracting(Prediction::getFraudScore)
                .containsExactlyElementsOf(exact.stream().map(Prediction::getFraudScore).toList());
        // the label moved the bad terminal's later score, as on the round trip
        assertThat(broadcast.get(4).getFraudScore()).isNotEqualTo(broadcast.get(2).getFraudScore());
    }

    @Test
    void shouldKeepTheSnapshotsOnTheHeapByDefaultAndInRocksDbWhenChosenWithTheSameScores() {
        TopologyFixture inMemory = start(PulseConfig.DELIVERY_BROADCAST, PulseConfig.SNAPSHOTS_IN_MEMORY);
        TopologyFixture rocksDb = start(PulseConfig.DELIVERY_BROADCAST, PulseConfig.SNAPSHOTS_ROCKSDB);

        assertThat(new PulseConfig(Map.of()).entitySnapshotsInMemory()).as("the default").isTrue();
        assertThat(inMemory.keyValueStore(StateStores.entitySnapshots("terminal")).persistent()).isFalse();
        assertThat(rocksDb.keyValueStore(StateStores.entitySnapshots("terminal")).persistent()).isTrue();
        assertThat(play(rocksDb)).extracting(Prediction::getFraudScore)
                .containsExactlyElementsOf(play(inMemory).stream().map(Prediction::getFraudScore).toList());
    }

    @Test
    void shouldBroadcastEveryEntityChangeToAGlobalStoreThatMirrorsTheEntityStoreWithoutUserIds() {
        TopologyFixture f = start(PulseConfig.DELIVERY_BROADCAST);
        play(f);

        Map<String, byte[]> entities = contents(f.keyValueStore(StateStores.entity("terminal")));
        Map<String, byte[]> snapshots = contents(f.keyValueStore(StateStores.entitySnapshots("terminal")));

        assertThat(snapshots).containsOnlyKeys("T-bad", "T-good");
        assertThat(f.metrics.registry().get("pulse.entity.snapshots.keys").tag("type", "terminal").gauge().value())
                .as("the snapshots gauge").isEqualTo(2.0);
        snapshots.forEach((id, bytes) -> assertThat(bytes).as(id).isEqualTo(entities.get(id)));
        assertThat(EntityWindows.fromBytes(TERMINAL, snapshots.get("T-bad")).fraudsSeen()).isEqualTo(1);
        assertThat(EntityWindows.fromBytes(TERMINAL, snapshots.get("T-good")).transactionsSeen()).isEqualTo(3);
        for (byte[] bytes : snapshots.values()) {
            assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain("u-");
        }
    }

    @Test
    void shouldWriteEachEventsScoredEntryOnceAndSendTheEntityStepsOnlyWhatTheyCount() {
        TopologyFixture broadcast = start(PulseConfig.DELIVERY_BROADCAST);
        TopologyFixture roundTrip = start(PulseConfig.DELIVERY_ROUND_TRIP);
        List<UserEvent> events = List.of(payment("u-1", "T-1", Duration.ZERO, 20.0),
                payment("u-2", null, Duration.ofMinutes(1), 35.0), payment("u-1", "T-2", Duration.ofMinutes(2), 9.0));
        for (TopologyFixture f : List.of(broadcast, roundTrip)) {
            events.forEach(f::send);
            assertThat(f.predictions.readValuesToList()).hasSize(events.size());
        }

        // routing and scoring are one step of the user's task with broadcast delivery: one scored-events write per
        // event (no routed marker before the scores), against two on the round trip
        assertThat(scoredEventsChangelog(broadcast)).hasSize(events.size());
        assertThat(scoredEventsChangelog(roundTrip)).hasSize(2 * events.size());
        WindowStore<String, byte[]> scored = broadcast.driver.getWindowStore(StateStores.SCORED_EVENTS);
        List<List<String>> ids = new ArrayList<>();
        for (UserEvent event : events) {
            ScoredEvent entry = ScoredEvent.decode(scored.fetch(ScoredEvent.key(event.getUserId(),
                    event.getEventId()), event.getEventTime().toEpochMilli()));
            assertThat(entry.scored()).isTrue();
            ids.add(entry.entityIds());
        }
        assertThat(ids).as("the entity ids a later fraud label is routed by")
                .containsExactly(List.of("T-1"), List.of(""), List.of("T-2"));

        // the entity steps read neither the event's bytes nor a feature block with broadcast delivery
        List<EntityMessage> requests = broadcast.driver.createOutputTopic("pulse-test-"
                + PulseTopology.entityRequests("terminal") + "-repartition", new StringDeserializer(),
                EntityMessage.countingSerde().deserializer()).readValuesToList();
        assertThat(requests).hasSize(events.size()).allSatisfy(m -> {
            assertThat(m.isCounting()).isTrue();
            assertThat(m.eventBytes()).isNull();
            assertThat(m.features()).isNull();
        });
        assertThat(requests).extracting(m -> m.entityId(0)).containsExactly("T-1", null, "T-2");
        assertThat(requests).extracting(EntityMessage::amount).containsExactly(20.0, 35.0, 9.0);
    }

    /**
     * With broadcast delivery the routing step skips the scored-events lookup for an event that scoring's rule says
     * cannot be a repeat ({@code ScoreProcessor.canBeDuplicate} on the stored state); against a plain reference, over
     * random interleavings of new events, late events and repeats of earlier ones: exactly the first delivery of each
     * (event id, event time) is scored, and counted once at its terminal.
     */
    @Test
    void shouldScoreAndCountAtItsTerminalExactlyTheFirstDeliveryOfEachEventWhateverTheOrder() {
        TopologyFixture f = start(PulseConfig.DELIVERY_BROADCAST);
        java.util.Random terminals = new java.util.Random(31);
        List<UserEvent> sent = Redeliveries.mix(29, 300,
                (user, offset) -> payment(user, "T-" + terminals.nextInt(4), offset, 10.0 + terminals.nextInt(90)));
        sent.forEach(f::send);

        Map<String, UserEvent> first = Redeliveries.firstDeliveries(sent);
        assertThat(f.predictions.readValuesToList()).extracting(Redeliveries::key)
                .containsExactlyElementsOf(first.keySet());
        assertThat(f.metrics.duplicateCount()).isEqualTo((double) (sent.size() - first.size()));
        Map<String, Long> counted = new java.util.TreeMap<>();
        contents(f.keyValueStore(StateStores.entity("terminal"))).forEach((terminal, bytes) ->
                counted.put(terminal, (long) EntityWindows.fromBytes(TERMINAL, bytes).transactionsSeen()));
        Map<String, Long> expected = new java.util.TreeMap<>();
        first.values().forEach(event -> expected.merge(event.getAttributes().get("terminal"), 1L, Long::sum));
        assertThat(counted).isEqualTo(expected);
    }

    private static List<byte[]> scoredEventsChangelog(TopologyFixture f) {
        return f.driver.createOutputTopic("pulse-test-" + StateStores.SCORED_EVENTS + "-changelog",
                new ByteArrayDeserializer(), new ByteArrayDeserializer()).readValuesToList();
    }

    private static Map<String, byte[]> contents(KeyValueStore<String, byte[]> store) {
        Map<String, byte[]> all = new HashMap<>();
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            while (it.hasNext()) {
                KeyValue<String, byte[]> entry = it.next();
                all.put(entry.key, entry.value);
            }
        }
        return all;
    }

    private static UserEvent payment(String userId, String terminal, Duration offset, double amount) {
        UserEvent.Builder event = TopologyFixture.event(userId, EventType.PURCHASE, offset).setAmount(amount);
        if (terminal != null) {
            event.setAttributes(Map.of("terminal", terminal));
        }
        return event.build();
    }
}
