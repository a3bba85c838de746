package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import io.pulse.model.FeatureSpec;
import io.pulse.model.FirstStep;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.pipeline.state.StateStores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.streams.kstream.Windowed;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entity round trip (docs/design/entities.md, section c) through the application's own topology: events at a
 * terminal come back scored with the terminal's features as of before the event, labels reach the terminal through
 * the scored event they belong to, and the entity store holds no user ids.
 */
class EntityTopologyTest {

    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");
    /** A seed whose random fraud head grows with a terminal's known frauds (a trained model learns to). */
    private static final long LABEL_SEED = 11L;
    private static final Map<String, String> TERMINALS = Map.of(PulseConfig.ENTITIES_TYPES, "terminal");

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    /** {@code pulse.entity.records} of the terminal type with {@code outcome}. */
    private static double terminalRecords(TopologyFixture f, String outcome) {
        return f.metrics.registry().get("pulse.entity.records").tag("type", "terminal").tag("outcome", outcome)
                .counter().count();
    }

    /** A fixture computing terminal windows and serving a seeded random model whose features include them. */
    private TopologyFixture startWithTerminalModel(long seed) {
        fixture = new TopologyFixture(stateDir, TERMINALS);
        ModelBundle bundle = terminalModel(seed);
        fixture.modelWeights.pipeInput(bundle.getName(), bundle);
        assertThat(fixture.models.current().featureSpec().hasEntities()).isTrue();
        return fixture;
    }

    private ModelBundle terminalModel(long seed) {
        return ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), seed, 16,
                FeatureSpec.v1().withEntities(List.of(TERMINAL)), null);
    }

    private static UserEvent payment(String userId, String terminal, Duration offset, double amount) {
        UserEvent.Builder event = TopologyFixture.event(userId, EventType.PURCHASE, offset).setAmount(amount);
        if (terminal != null) {
            event.setAttributes(Map.of("terminal", terminal));
        }
        return event.build();
    }

    @Test
    void shouldScoreAnEventAtATerminalWithTheTerminalsFeaturesAsOfBeforeIt() {
        TopologyFixture f = startWithTerminalModel(11L);
        List<UserEvent> earlier = List.of(payment("u-1", "T-1", Duration.ZERO, 20.0),
                payment("u-2", "T-1", Duration.ofMinutes(5), 35.5), payment("u-1", "T-1", Duration.ofMinutes(9), 7.0));
        earlier.forEach(f::send);
        UserEvent newcomer = payment("u-3", "T-1", Duration.ofMinutes(30), 99.0);
        f.send(newcomer);

        List<Prediction> predictions = f.predictions.readValuesToList();
        assertThat(predictions).extracting(Prediction::getEventId).containsExactly(earlier.get(0).getEventId(),
                earlier.get(1).getEventId(), earlier.get(2).getEventId(), newcomer.getEventId());
        assertThat(predictions).extracting(Prediction::getModelVersion)
                .containsOnly(f.models.current().version());
        // the newcomer's own state is fresh: its score is the model's first step on its event and T-1's block
        EntityWindows terminal = EntityWindows.empty(TERMINAL);
        for (UserEvent e : earlier) {
            terminal.observe(e.getEventTime().toEpochMilli(), e.getAmount());
        }
        float[] block = new float[TERMINAL.featureCount()];
        terminal.encode(newcomer.getEventTime().toEpochMilli(), block, 0);
        assertThat(predictions.get(3).getFraudScore())
                .isCloseTo(firstStepFraud(f.models.current(), newcomer, block), within(1e-6));

        KeyValueStore<String, byte[]> store = f.keyValueStore(StateStores.entity("terminal"));
        assertThat(EntityWindows.fromBytes(TERMINAL, store.get("T-1")).transactionsSeen()).isEqualTo(4);
    }

    @Test
    void shouldServeAModelWithoutEntityFeaturesThroughTheRoundTripAndKeepCountingTheTerminals() {
        fixture = new TopologyFixture(stateDir, TERMINALS);
        String v1 = fixture.models.current().version();
        UserEvent event = payment("u-1", "T-1", Duration.ZERO, 20.0);
        fixture.send(event);

        assertThat(fixture.predictions.readValuesToList()).extracting(Prediction::getModelVersion).containsExactly(v1);
        KeyValueStore<String, byte[]> store = fixture.keyValueStore(StateStores.entity("terminal"));
        assertThat(EntityWindows.fromBytes(TERMINAL, store.get("T-1")).transactionsSeen()).isEqualTo(1);
    }

    @Test
    void shouldKeepTheCurrentModelWhenABundleNeedsAnEntityTypeOrShapeTheTopologyDoesNotCompute() {
        fixture = new TopologyFixture(stateDir, TERMINALS);
        String before = fixture.models.current().version();
        String name = fixture.config.getString(PulseConfig.MODEL_NAME);
        ModelBundle merchants = ModelBundles.seededRandom(name, 5L, 16,
                FeatureSpec.v1().withEntities(List.of(EntityWindowSpec.daily("merchant"))), null);
        ModelBundle hourly = ModelBundles.seededRandom(name, 6L, 16, FeatureSpec.v1().withEntities(List.of(
                new EntityWindowSpec("terminal", List.of(Duration.ofHours(1)), Duration.ofDays(7),
                        Duration.ofDays(1)))), null);
        ModelBundle otherKey = ModelBundles.seededRandom(name, 7L, 16,
                FeatureSpec.v1().withEntities(List.of(TERMINAL.withKey("item"))), null);

        for (ModelBundle refused : List.of(merchants, hourly, otherKey)) {
            fixture.modelWeights.pipeInput(refused.getName(), refused);
        }

        assertThat(fixture.models.current().version()).isEqualTo(before);
        assertThat(fixture.metrics.registry().get("pulse.model.rejected").counter().count()).isEqualTo(3.0);
    }

    @Test
    void shouldScoreAnEventWithoutTheTerminalAttributeWithTheMissingBlockAndCountIt() {
        TopologyFixture f = startWithTerminalModel(11L);
        f.send(payment("u-1", "T-1", Duration.ZERO, 20.0));
        UserEvent without = payment("u-2", null, Duration.ofMinutes(1), 12.0);
        f.send(without);

        List<Prediction> predictions = f.predictions.readValuesToList();
        float[] missing = new float[TERMINAL.featureCount()];
        EntityWindows.encodeMissing(TERMINAL, missing, 0);
        assertThat(predictions.get(1).getFraudScore())
                .isCloseTo(firstStepFraud(f.models.current(), without, missing), within(1e-6));
        assertThat(terminalRecords(f, "missing")).isEqualTo(1.0);
        assertThat(terminalRecords(f, "event")).isEqualTo(1.0);
    }

    @Test
    void shouldCountARedeliveredEventOnceAtItsTerminal() {
        TopologyFixture f = startWithTerminalModel(11L);
        UserEvent event = payment("u-1", "T-1", Duration.ZERO, 20.0);
        f.send(event);
        f.send(event);

        assertThat(f.predictions.readValuesToList()).hasSize(1);
        KeyValueStore<String, byte[]> store = f.keyValueStore(StateStores.entity("terminal"));
        assertThat(EntityWindows.fromBytes(TERMINAL, store.get("T-1")).transactionsSeen()).isEqualTo(1);
        assertThat(f.metrics.registry().get("pulse.duplicates.dropped").counter().count()).isEqualTo(1.0);
    }

    @Test
    void shouldScoreLaterEventsAtATerminalHigherOnceALateFraudLabelHasArrivedThere() {
        TopologyFixture f = startWithTerminalModel(LABEL_SEED);
        UserEvent fraud = payment("u-1", "T-bad", Duration.ZERO, 20.0);
        f.send(fraud);
        f.send(payment("u-2", "T-good", Duration.ZERO, 20.0)); // the twin terminal, never labelled
        // before the label arrives, twin events at the two terminals look alike
        f.send(payment("u-3", "T-bad", Duration.ofMinutes(5), 40.0));
        f.send(payment("u-4", "T-good", Duration.ofMinutes(5), 40.0));
        Label label = fraudLabel(fraud, Duration.ofMinutes(10));
        f.labels.pipeInput(fraud.getUserId(), label);
        f.labels.pipeInput(fraud.getUserId(), label); // a redelivered label counts once
        UserEvent later = payment("u-5", "T-bad", Duration.ofMinutes(20), 40.0);
        f.send(later);
        f.send(payment("u-6", "T-good", Duration.ofMinutes(20), 40.0));

        List<Prediction> predictions = f.predictions.readValuesToList();
        assertThat(predictions).hasSize(6);
        assertThat(predictions.get(2).getFraudScore()).isEqualTo(predictions.get(3).getFraudScore());
        assertThat(predictions.get(4).getFraudScore()).isGreaterThan(predictions.get(5).getFraudScore());
        EntityWindows bad = EntityWindows.empty(TERMINAL);
        bad.observe(fraud.getEventTime().toEpochMilli(), 20.0);
        bad.observe(fraud.getEventTime().plus(Duration.ofMinutes(5)).toEpochMilli(), 40.0);
        bad.observeFraud(fraud.getEventTime().toEpochMilli());
        float[] block = new float[TERMINAL.featureCount()];
        bad.encode(later.getEventTime().toEpochMilli(), block, 0);
        assertThat(predictions.get(4).getFraudScore())
                .isCloseTo(firstStepFraud(f.models.current(), later, block), within(1e-6));
        KeyValueStore<String, byte[]> store = f.keyValueStore(StateStores.entity("terminal"));
        assertThat(EntityWindows.fromBytes(TERMINAL, store.get("T-bad")).fraudsSeen()).isEqualTo(1);
        assertThat(EntityWindows.fromBytes(TERMINAL, store.get("T-good")).fraudsSeen()).isZero();
        assertThat(terminalRecords(f, "label")).isEqualTo(1.0);
    }

    @Test
    void shouldNameTheTerminalInTheReasonsOfAFraudAlert() {
        fixture = new TopologyFixture(stateDir, Map.of(PulseConfig.ENTITIES_TYPES, "terminal",
                PulseConfig.FRAUD_ALERT_THRESHOLD, "0.0", PulseConfig.ALERT_REASONS, "16"));
        ModelBundle bundle = terminalModel(LABEL_SEED);
        fixture.modelWeights.pipeInput(bundle.getName(), bundle);
        fixture.send(payment("u-1", "T-17", Duration.ZERO, 20.0));
        fixture.send(payment("u-2", null, Duration.ofMinutes(1), 20.0));

        List<io.pulse.contracts.Alert> alerts = fixture.fraudAlerts.readValuesToList();
        assertThat(alerts).hasSize(2);
        // every reason that is a terminal feature names the terminal; the user's own features name none
        assertThat(alerts.get(0).getReasons()).hasSize(16).anySatisfy(r -> assertThat(r.getEntity()).isNotNull())
                .allSatisfy(r -> assertThat(r.getEntity()).isEqualTo(r.getFeature().startsWith("terminal_")
                        ? "terminal:T-17" : null));
        assertThat(alerts.get(1).getReasons()).filteredOn(r -> r.getFeature().startsWith("terminal_"))
                .extracting(io.pulse.contracts.AlertReason::getEntity).containsOnly("terminal:missing");
    }

    @Test
    void shouldServeOneModelThatReadsTheTerminalAndPredictsInterests() {
        fixture = new TopologyFixture(stateDir, TERMINALS);
        ModelBundle both = ModelBundles.seededRandom(fixture.config.getString(PulseConfig.MODEL_NAME), 5L, 16,
                FeatureSpec.v2(6, 3, 2).withEntities(List.of(TERMINAL)),
                io.pulse.model.InterestCatalogues.catalogue(40, 5));
        fixture.modelWeights.pipeInput(both.getName(), both);
        assertThat(fixture.models.current().version()).isEqualTo(both.getVersion());
        assertThat(fixture.models.current().hasInterests()).isTrue();

        fixture.send(payment("u-1", "T-1", Duration.ZERO, 20.0));
        fixture.send(payment("u-2", "T-1", Duration.ofMinutes(2), 30.0));

        List<Prediction> predictions = fixture.predictions.readValuesToList();
        assertThat(predictions).hasSize(2).allSatisfy(p -> {
            assertThat(p.getModelVersion()).isEqualTo(both.getVersion());
            assertThat(p.getNextCategories()).isNotEmpty();
        });
        KeyValueStore<String, byte[]> store = fixture.keyValueStore(StateStores.entity("terminal"));
        assertThat(EntityWindows.fromBytes(TERMINAL, store.get("T-1")).transactionsSeen()).isEqualTo(2);
    }

    @Test
    void shouldNotRouteNegativeOrChurnLabelsToTheEntities() {
        TopologyFixture f = startWithTerminalModel(11L);
        UserEvent event = payment("u-1", "T-1", Duration.ZERO, 20.0);
        f.send(event);
        f.labels.pipeInput(event.getUserId(), Label.newBuilder(fraudLabel(event, Duration.ofMinutes(1)))
                .setPositive(false).build());
        f.labels.pipeInput(event.getUserId(), Label.newBuilder(fraudLabel(event, Duration.ofMinutes(1)))
                .setKind(LabelKind.CHURN).build());

        KeyValueStore<String, byte[]> store = f.keyValueStore(StateStores.entity("terminal"));
        assertThat(EntityWindows.fromBytes(TERMINAL, store.get("T-1")).fraudsSeen()).isZero();
    }

    @Test
    void shouldKeepNoUserIdInTheEntityStoreBeforeOrAfterAnErasure() {
        TopologyFixture f = startWithTerminalModel(11L);
        String secret = "user-4e8f0c1d-secret";
        UserEvent first = payment(secret, "T-1", Duration.ZERO, 20.0);
        f.send(first);
        f.send(payment(secret, "T-2", Duration.ofMinutes(1), 30.0));
        f.send(payment("u-other", "T-1", Duration.ofMinutes(2), 5.0));
        f.labels.pipeInput(secret, fraudLabel(first, Duration.ofMinutes(3)));
        Map<String, byte[]> before = entityStore(f);
        assertThat(before).containsOnlyKeys("T-1", "T-2");
        assertNoUserId(before, secret);
        assertThat(EntityWindows.fromBytes(TERMINAL, before.get("T-1")).fraudsSeen()).isEqualTo(1);

        f.erase(secret);

        Map<String, byte[]> after = entityStore(f);
        assertNoUserId(after, secret);
        // nothing in an entity's numbers is the user's to erase: aggregates stay, their meaning unchanged
        assertThat(after.keySet()).isEqualTo(before.keySet());
        after.forEach((key, value) -> assertThat(value).isEqualTo(before.get(key)));
        // the user's scored events (with their entity ids) are erased like the rest of the per-user state
        WindowStore<String, byte[]> log = f.windowStore(StateStores.SCORED_EVENTS);
        try (KeyValueIterator<Windowed<String>, byte[]> all = log.all()) {
            all.forEachRemaining(entry -> assertThat(entry.key.key()).doesNotContain(secret));
        }
    }

    private static Map<String, byte[]> entityStore(TopologyFixture f) {
        Map<String, byte[]> entries = new TreeMap<>();
        try (KeyValueIterator<String, byte[]> all = f.<String, byte[]>keyValueStore(StateStores.entity("terminal"))
                .all()) {
            all.forEachRemaining(entry -> entries.put(entry.key, entry.value));
        }
        return entries;
    }

    private static void assertNoUserId(Map<String, byte[]> entries, String userId) {
        byte[] id = userId.getBytes(StandardCharsets.UTF_8);
        entries.forEach((key, value) -> {
            assertThat(key).doesNotContain(userId);
            assertThat(indexOf(value, id)).as("the user id in the value of %s", key).isNegative();
            // every stored state decodes as the numbers of the entity's shape, nothing else
            assertThat(value).hasSize(TERMINAL.serializedBytes());
        });
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }

    /** The fraud score of {@code model}'s first step for a user's first event with entity features {@code block}. */
    private static float firstStepFraud(LstmModel model, UserEvent event, float[] block) {
        return FirstStep.fraud(model, event, block);
    }

    static Label fraudLabel(UserEvent event, Duration after) {
        return Label.newBuilder().setUserId(event.getUserId()).setKind(LabelKind.FRAUD).setPositive(true)
                .setEventId(event.getEventId()).setAppliesAt(event.getEventTime())
                .setObservedAt(event.getEventTime().plus(after)).build();
    }
}
