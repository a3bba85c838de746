package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Feature spec v2's entity block: declaration, JSON, names, the encoder's entity part, bundles that carry it. */
class EntityFeatureSpecTest {

    private static final long T0 = 1_763_900_000_000L;
    private static final long HOUR = 3_600_000L;
    private static final EntityWindowSpec TERMINAL = EntityWindowSpec.daily("terminal");
    private static final EntityWindowSpec SHOP = new EntityWindowSpec("shop", "item",
            List.of(Duration.ofHours(1), Duration.ofDays(2)), Duration.ofDays(1), Duration.ofHours(6));
    private static final List<EntityWindowSpec> ENTITIES = List.of(TERMINAL, SHOP);
    /** 32 v1 features, 3 x 5 + 3 terminal features, 2 x 5 + 3 shop features. */
    private static final int SIZE = 32 + 18 + 13;

    @Test
    void shouldDeriveNamesFromTheDeclaredEntitiesInOrder() {
        FeatureSpec spec = FeatureSpec.v1().withEntities(ENTITIES);

        assertThat(spec.version()).isEqualTo(FeatureSpec.VERSION_2);
        assertThat(spec.hasEntities()).isTrue();
        assertThat(spec.hasInterests()).isFalse();
        assertThat(spec.inputSize()).isEqualTo(SIZE);
        assertThat(spec.lstmInputSize()).isEqualTo(SIZE);
        assertThat(spec.entityOffset()).isEqualTo(32);
        assertThat(spec.entityFeatureCount()).isEqualTo(31);
        assertThat(spec.names().subList(0, 32)).isEqualTo(FeatureSpec.v1().names());
        assertThat(spec.names().subList(32, 50)).isEqualTo(TERMINAL.featureNames());
        assertThat(spec.names().subList(50, SIZE)).isEqualTo(SHOP.featureNames());
        assertThat(spec.names()).contains("terminal_risk_7d", "terminal_missing", "shop_tx_1h", "shop_amount_2d");
        assertThat(spec.entities()).containsExactly(TERMINAL, SHOP);
        assertThat(TERMINAL.key()).isEqualTo("attr.terminal");

        FeatureSpec both = FeatureSpec.v2(8, 4, 1).withEntities(ENTITIES);
        assertThat(both.hasInterests()).isTrue();
        assertThat(both.inputSize()).isEqualTo(SIZE);
        assertThat(both.lstmInputSize()).isEqualTo(SIZE + 12);
        assertThat(both.withEntities(List.of())).isEqualTo(FeatureSpec.v2(8, 4, 1));
        assertThat(spec.withEntities(List.of())).isEqualTo(FeatureSpec.v1());
        assertThatThrownBy(() -> FeatureSpec.v1().withEntities(List.of(TERMINAL, TERMINAL.withKey("item"))))
                .hasMessageContaining("declared twice");
    }

    @Test
    void shouldRoundTripEntitiesThroughJsonWithExactFloats() {
        Random random = new Random(11);
        for (FeatureSpec declared : List.of(FeatureSpec.v1().withEntities(ENTITIES),
                FeatureSpec.v2(8, 4, 2).withEntities(List.of(SHOP)))) {
            int size = declared.inputSize();
            float[] mean = new float[size];
            float[] std = new float[size];
            for (int i = 0; i < size; i++) {
                mean[i] = (float) random.nextGaussian();
                std[i] = 0.01f + random.nextFloat();
            }
            FeatureSpec spec = declared.withNormalisation(mean, std);

            FeatureSpec parsed = FeatureSpec.fromJson(spec.toJson());

            assertThat(parsed).isEqualTo(spec);
            assertThat(parsed.entities()).isEqualTo(spec.entities());
            assertThat(parsed.names()).isEqualTo(spec.names());
            assertThat(parsed.mean()).containsExactly(mean);
            assertThat(parsed.std()).containsExactly(std);
            assertThat(parsed.hasInterests()).isEqualTo(spec.hasInterests());
            assertThat(parsed.toJson()).isEqualTo(spec.toJson());
        }
        // the design's notation (days) parses to the same durations as the writer's (hours)
        String days = FeatureSpec.v1().withEntities(List.of(TERMINAL)).toJson().replace("PT24H", "P1D")
                .replace("PT168H", "P7D").replace("PT720H", "P30D");
        assertThat(FeatureSpec.fromJson(days)).isEqualTo(FeatureSpec.v1().withEntities(List.of(TERMINAL)));
    }

    @Test
    void shouldParseJsonWrittenBeforeEntitiesToEqualSpecs() {
        float[] mean = new float[32];
        float[] std = new float[32];
        for (int i = 0; i < 32; i++) {
            mean[i] = i / 3f;
            std[i] = 1f + i / 7f;
        }
        String oldV1 = oldJson(1, mean, std, false);
        String oldV2 = oldJson(2, mean, std, true);

        FeatureSpec v1 = FeatureSpec.fromJson(oldV1);
        FeatureSpec v2 = FeatureSpec.fromJson(oldV2);

        assertThat(v1).isEqualTo(FeatureSpec.v1().withNormalisation(mean, std));
        assertThat(v2).isEqualTo(FeatureSpec.v2(8, 4, 1).withNormalisation(mean, std));
        assertThat(v1.hasEntities()).isFalse();
        assertThat(v2.hasEntities()).isFalse();
        assertThat(v2.hasInterests()).isTrue();
        // and specs without entities are still written exactly as before
        assertThat(v1.toJson()).isEqualTo(oldV1);
        assertThat(v2.toJson()).isEqualTo(oldV2);
    }

    /** The JSON the feature spec wrote before the entity block existed, built field by field. */
    private static String oldJson(int version, float[] mean, float[] std, boolean interests) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("version", version);
        root.put("inputSize", 32);
        ArrayNode names = root.putArray("names");
        List.of("type_unknown", "type_view", "type_click", "type_add_to_cart", "type_purchase", "type_rating",
                "type_login", "type_payment", "log_amount", "has_amount", "rating", "has_rating", "log_gap",
                "first_event", "hour_sin", "hour_cos", "dow_sin", "dow_cos", "events_1h", "events_24h", "events_7d",
                "events_30d", "amount_1h", "amount_24h", "amount_7d", "amount_30d", "payments_1h", "payments_24h",
                "purchases_7d", "gap_z", "log_events_seen", "out_of_order").forEach(names::add);
        ArrayNode meanArray = root.putArray("mean");
        ArrayNode stdArray = root.putArray("std");
        for (int i = 0; i < 32; i++) {
            meanArray.add(mean[i]);
            stdArray.add(std[i]);
        }
        if (interests) {
            root.put("itemEmbedding", 8);
            root.put("categoryEmbedding", 4);
            root.put("categoryLevel", 1);
        }
        return root.toString();
    }

    @Test
    void shouldRefuseNamesThatDifferFromTheDeclaredEntities() {
        String json = FeatureSpec.v1().withEntities(ENTITIES).toJson();

        String renamed = json.replace("\"terminal_risk_7d\"", "\"terminal_risk_week\"");
        assertThatThrownBy(() -> FeatureSpec.fromJson(renamed)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names differ from what encoder version 2 produces for the declared entities");
        // declared entities in the other order: the names no longer follow the declaration
        String swapped = FeatureSpec.v1().withEntities(List.of(SHOP, TERMINAL)).toJson();
        String swappedDeclaration = swapped.substring(0, swapped.indexOf("\"entities\""))
                + json.substring(json.indexOf("\"entities\""));
        assertThatThrownBy(() -> FeatureSpec.fromJson(swappedDeclaration)).hasMessageContaining("names differ");
        // the entity names without their declaration
        String undeclared = json.substring(0, json.indexOf(",\"entities\"")) + ",\"itemEmbedding\":8,"
                + "\"categoryEmbedding\":4,\"categoryLevel\":1}";
        assertThatThrownBy(() -> FeatureSpec.fromJson(undeclared)).hasMessageContaining("names differ");
        // a horizon changed in the declaration but not in the names
        String otherHorizon = json.replace("\"PT720H\"", "\"PT744H\"");
        assertThatThrownBy(() -> FeatureSpec.fromJson(otherHorizon)).hasMessageContaining("names differ");
    }

    @Test
    void shouldRefuseEntityBlocksThisCodeDidNotWrite() {
        String json = FeatureSpec.v1().withEntities(List.of(TERMINAL)).toJson();

        assertThatThrownBy(() -> FeatureSpec.fromJson(json.replace("\"version\":2", "\"version\":1")))
                .hasMessageContaining("version 1 cannot declare entities");
        assertThatThrownBy(() -> FeatureSpec.fromJson(json.replace("\"attr.terminal\"", "\"terminal\"")))
                .hasMessageContaining("entity key must be");
        assertThatThrownBy(() -> FeatureSpec.fromJson(json.replace("\"PT168H\",\"bucket\"", "\"7 days\",\"bucket\"")))
                .hasMessageContaining("cannot be reproduced");
        // a partial interest block
        assertThatThrownBy(() -> FeatureSpec.fromJson(json.replace("}]}", "}],\"itemEmbedding\":8}")))
                .hasMessageContaining("\"categoryEmbedding\" must be");
        String empty = json.substring(0, json.indexOf("\"entities\"")) + "\"entities\":[]}";
        assertThatThrownBy(() -> FeatureSpec.fromJson(empty)).hasMessageContaining("\"entities\" is empty");
        assertThatThrownBy(() -> new EntityWindowSpec("terminal", "attr.", TERMINAL.horizons(), Duration.ZERO,
                Duration.ofDays(1))).hasMessageContaining("entity key must be");
        assertThatThrownBy(() -> new EntityWindowSpec("terminal", "attr.a b", TERMINAL.horizons(), Duration.ZERO,
                Duration.ofDays(1))).hasMessageContaining("entity key must be");
    }

    @Test
    void shouldNameTheEntityByItsKey() {
        UserEvent event = event("e1", T0, "item-9", Map.of("terminal", "T-1", "device", ""));

        assertThat(TERMINAL.entityId(event)).isEqualTo("T-1");
        assertThat(SHOP.entityId(event)).isEqualTo("item-9");
        assertThat(TERMINAL.withKey("attr.device").entityId(event)).isNull();
        assertThat(TERMINAL.withKey("attr.merchant").entityId(event)).isNull();
        assertThat(SHOP.entityId(event("e2", T0, null, Map.of()))).isNull();
    }

    @Test
    void shouldEncodeTheV1PartThenTheEntityBlock() {
        FeatureSpec spec = FeatureSpec.v1().withEntities(ENTITIES);
        FeatureEncoder plain = new FeatureEncoder(FeatureSpec.v1());
        FeatureEncoder withEntities = new FeatureEncoder(spec);
        BehaviourWindows userA = BehaviourWindows.empty();
        BehaviourWindows userB = BehaviourWindows.empty();
        EntityWindows terminal = EntityWindows.empty(TERMINAL);
        EntityWindows shop = EntityWindows.empty(SHOP);
        List<UserEvent> events = List.of(
                event("e1", T0, "item-1", Map.of("terminal", "T")),
                event("e2", T0 + 3 * HOUR, "item-1", Map.of()),
                event("e3", T0 + 30 * HOUR, null, Map.of("terminal", "T")),
                event("e4", T0 + 200 * HOUR, "item-1", Map.of("terminal", "T")));
        float[] block = new float[5 + spec.entityFeatureCount()]; // written from an offset, as the trainer does
        List<float[]> encoded = new ArrayList<>();
        for (UserEvent event : events) {
            long t = event.getEventTime().toEpochMilli();
            int from = 5;
            for (EntityWindowSpec entity : ENTITIES) {
                EntityWindows windows = entity == TERMINAL ? terminal : shop;
                if (entity.entityId(event) == null) {
                    EntityWindows.encodeMissing(entity, block, from);
                } else {
                    windows.encode(t, block, from);
                    windows.observe(t, event.getAmount());
                }
                from += entity.featureCount();
            }
            if (event.getEventId().equals("e3")) {
                terminal.observeFraud(T0); // e1 turns out fraudulent, known before e4
            }
            float[] v1 = new float[32];
            float[] x = new float[SIZE];
            Observation a = plain.encode(EventType.PAYMENT, t, event.getAmount(), Double.NaN, userA, v1);
            Observation b = withEntities.encode(EventType.PAYMENT, t, event.getAmount(), Double.NaN, userB, block, 5,
                    x);

            assertThat(b).isEqualTo(a);
            assertThat(Arrays.copyOfRange(x, 0, 32)).containsExactly(v1);
            assertThat(Arrays.copyOfRange(x, 32, SIZE)).containsExactly(Arrays.copyOfRange(block, 5, block.length));
            encoded.add(x);
        }
        int terminalMissing = spec.names().indexOf("terminal_missing");
        int shopMissing = spec.names().indexOf("shop_missing");
        assertThat(encoded.get(1)[terminalMissing]).isEqualTo(1f);
        assertThat(encoded.get(2)[shopMissing]).isEqualTo(1f);
        assertThat(encoded.get(3)[terminalMissing]).isZero();
        assertThat(encoded.get(3)[shopMissing]).isZero();
        // the second terminal event sees the first; the last sees the fraud and the matured transaction
        assertThat(encoded.get(2)[spec.names().indexOf("terminal_tx_1d")]).isPositive();
        assertThat(encoded.get(3)[spec.names().indexOf("terminal_no_known_fraud")]).isZero();
        assertThat(encoded.get(3)[spec.names().indexOf("terminal_risk_7d")]).isPositive();
    }

    @Test
    void shouldMarkAMissingEntityWithItsIndicatorOnly() {
        FeatureSpec spec = FeatureSpec.v1().withEntities(List.of(TERMINAL));
        FeatureEncoder encoder = new FeatureEncoder(spec);
        float[] block = new float[spec.entityFeatureCount()];
        Arrays.fill(block, 7f);
        EntityWindows.encodeMissing(TERMINAL, block, 0);
        float[] x = new float[spec.inputSize()];
        Arrays.fill(x, 9f);

        encoder.encode(EventType.PAYMENT, T0, 10.0, Double.NaN, BehaviourWindows.empty(), block, 0, x);

        for (int i = 32; i < spec.inputSize(); i++) {
            assertThat(x[i]).as(spec.names().get(i)).isEqualTo(spec.names().get(i).equals("terminal_missing") ? 1f
                    : 0f);
        }
    }

    @Test
    void shouldRefuseToEncodeASpecWithEntitiesWithoutTheirBlock() {
        FeatureEncoder encoder = new FeatureEncoder(FeatureSpec.v1().withEntities(List.of(TERMINAL)));
        float[] x = new float[50];

        assertThatThrownBy(() -> encoder.encode(EventType.PAYMENT, T0, 1.0, Double.NaN, BehaviourWindows.empty(), x))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("declares entities");
        assertThatThrownBy(() -> encoder.encode(EventType.PAYMENT, T0, 1.0, Double.NaN, BehaviourWindows.empty(),
                new float[17], 0, x)).hasMessageContaining("entity block needs 18 values");
    }

    @Test
    void shouldLoadAndStepASeededRandomBundleWithEntitiesButNoInterests() {
        FeatureSpec spec = FeatureSpec.v1().withEntities(ENTITIES);

        ModelBundle bundle = ModelBundles.seededRandom("pulse", 7L, 16, spec, null);
        LstmModel model = ModelBundles.toModel(ModelBundles.fromBytes(ModelBundles.toBytes(bundle)));

        assertThat(ModelBundles.toBytes(ModelBundles.seededRandom("pulse", 7L, 16, spec, null)))
                .containsExactly(ModelBundles.toBytes(bundle));
        assertThat(bundle.getVersion()).isEqualTo("random-7-h16-in" + SIZE);
        assertThat(bundle.getArchitecture().getInputSize()).isEqualTo(SIZE);
        assertThat(model.featureSpec()).isEqualTo(spec);
        assertThat(model.inputSize()).isEqualTo(SIZE);
        assertThat(model.hasInterests()).isFalse();
        Scores quiet = step(model, 0f);
        Scores busy = step(model, 3f);
        assertThat(quiet.fraud).isBetween(0f, 1f);
        // the entity features reach the LSTM: the same user part with another entity block scores differently
        assertThat(busy.fraud).isNotEqualTo(quiet.fraud);
        assertThatThrownBy(() -> model.step(new float[32], new float[16], new float[16]))
                .hasMessageContaining("x of length " + SIZE);
    }

    @Test
    void shouldLoadAndStepASeededRandomBundleWithEntitiesAndInterests() {
        FeatureSpec spec = FeatureSpec.v2(4, 2, 2).withEntities(List.of(TERMINAL));
        Catalogue catalogue = InterestCatalogues.catalogue(20, 3);

        ModelBundle bundle = ModelBundles.seededRandom("pulse", 7L, 16, spec, catalogue);
        LstmModel model = ModelBundles.toModel(bundle);

        assertThat(bundle.getVersion()).isEqualTo("random-7-h16-items20-in50");
        assertThat(bundle.getArchitecture().getInputSize()).isEqualTo(50 + 6);
        assertThat(model.featureSpec()).isEqualTo(spec);
        assertThat(model.inputSize()).isEqualTo(50);
        assertThat(model.hasInterests()).isTrue();
        float[] h = new float[16];
        float[] c = new float[16];
        float[] x = new float[50];
        x[40] = 2f;
        model.step(x, 3, 1, h, c);
        Scores scores = Scores.forModel(model);
        model.heads(h, scores);
        assertThat(scores.nextCategory).hasSize(4);
        assertThat(scores.fraud).isBetween(0f, 1f);
    }

    private static Scores step(LstmModel model, float entityValue) {
        float[] x = new float[model.inputSize()];
        x[FeatureEncoder.TYPE + EventType.PAYMENT.ordinal()] = 1f;
        Arrays.fill(x, 32, x.length, entityValue);
        float[] h = new float[model.hiddenSize()];
        float[] c = new float[model.hiddenSize()];
        Scores scores = Scores.forModel(model);
        model.predict(x, h, c, scores);
        return scores;
    }

    private static UserEvent event(String id, long time, String item, Map<String, String> attributes) {
        return UserEvent.newBuilder()
                .setEventId(id)
                .setUserId("u1")
                .setType(EventType.PAYMENT)
                .setEventTime(Instant.ofEpochMilli(time))
                .setItemId(item)
                .setAmount(12.5)
                .setAttributes(attributes)
                .build();
    }
}
