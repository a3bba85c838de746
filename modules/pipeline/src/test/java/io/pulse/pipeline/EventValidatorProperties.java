package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.pipeline.validate.EventValidator;
import io.pulse.pipeline.validate.RejectReason;
import io.pulse.pipeline.validate.Rejection;
import io.pulse.registry.MockSchemaRegistry;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.registry.serde.AvroSerializer;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the {@link EventValidator}, over generated events of every shape: it never throws; it accepts, or
 * rejects with exactly one reason whose rule the event really breaks; what it accepts breaks no rule (checked by an
 * independent statement of the rules, on code points) and survives Avro encoding and decoding unchanged.
 */
class EventValidatorProperties {

    private static final Instant NOW = Instant.parse("2026-03-02T09:00:00Z");
    private static final long MAX_FUTURE = 3_600_000L;
    private static final int MAX_STRING = 1024;
    private static final int MAX_ATTRIBUTES = 64;
    private static final long MIN_TIME = EventValidator.DEFAULT_MIN_EVENT_TIME_MILLIS;
    private static final double MAX_AMOUNT = EventValidator.DEFAULT_MAX_AMOUNT;
    private static final String SCOPE = "validator-properties";

    private final EventValidator validator = new EventValidator(MAX_FUTURE, MAX_STRING, MAX_ATTRIBUTES, MIN_TIME,
            MAX_AMOUNT);

    @Provide
    Arbitrary<Tuple.Tuple2<String, UserEvent>> keyedEvents() {
        // the key is usually the userId, sometimes another id or the userId with a twist
        return UserEventArbitraries.events(NOW).flatMap(event -> Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(event.getUserId())),
                Tuple.of(1, UserEventArbitraries.id(256)),
                Tuple.of(1, Arbitraries.of(event.getUserId().toUpperCase(java.util.Locale.ROOT),
                        event.getUserId() + " ")))
                .map(key -> Tuple.of(key, event)));
    }

    @Property(tries = 5000, seed = "20261123", edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void shouldAcceptOrRejectWithOneTrueReasonAndNeverThrow(@ForAll("keyedEvents") Tuple.Tuple2<String, UserEvent> in) {
        String key = in.get1();
        UserEvent event = in.get2();

        Optional<Rejection> verdict = validator.validate(key, event, NOW.toEpochMilli());

        Statistics.label("outcome").collect(verdict.map(r -> r.reason().name()).orElse("ACCEPTED"));
        if (verdict.isEmpty()) {
            assertThat(violatedRules(key, event)).as("rules broken by an accepted event").isEmpty();
            assertThat(roundTrip(event)).as("the accepted event after Avro encoding and decoding").isEqualTo(event);
        } else {
            RejectReason reason = verdict.get().reason();
            assertThat(violatedRules(key, event)).as("rules the event breaks").contains(reason);
            assertThat(verdict.get().message()).isNotBlank();
        }
        Statistics.label("outcome").coverage(coverage -> {
            coverage.check("ACCEPTED").percentage(p -> p > 5);
            for (RejectReason reason : new RejectReason[] {RejectReason.INVALID_USER_ID, RejectReason.KEY_MISMATCH,
                    RejectReason.INVALID_EVENT_ID, RejectReason.EVENT_TIME_BEFORE_EPOCH,
                    RejectReason.EVENT_TIME_TOO_OLD, RejectReason.EVENT_TIME_IN_FUTURE, RejectReason.INVALID_AMOUNT,
                    RejectReason.INVALID_RATING, RejectReason.OVERSIZED_FIELD}) {
                coverage.check(reason.name()).count(c -> c > 0);
            }
        });
    }

    @Property(tries = 500, seed = "7", edgeCases = net.jqwik.api.EdgeCasesMode.NONE)
    void shouldJudgeAnEventTheSameAfterEncodingAndDecoding(@ForAll("keyedEvents") Tuple.Tuple2<String, UserEvent> in) {
        UserEvent event = in.get2();
        Optional<RejectReason> before = validator.validate(in.get1(), event, NOW.toEpochMilli())
                .map(Rejection::reason);

        Optional<RejectReason> after = validator.validate(in.get1(), roundTrip(event), NOW.toEpochMilli())
                .map(Rejection::reason);

        assertThat(after).isEqualTo(before);
    }

    /** The rules, stated again independently of the validator's code (on code points, not chars). */
    static java.util.EnumSet<RejectReason> violatedRules(String key, UserEvent event) {
        java.util.EnumSet<RejectReason> broken = java.util.EnumSet.noneOf(RejectReason.class);
        if (!idOk(event.getUserId(), 256)) {
            broken.add(RejectReason.INVALID_USER_ID);
        }
        if (!key.equals(event.getUserId())) {
            broken.add(RejectReason.KEY_MISMATCH);
        }
        if (!idOk(event.getEventId(), 128)) {
            broken.add(RejectReason.INVALID_EVENT_ID);
        }
        long time = event.getEventTime().toEpochMilli();
        if (time < 0) {
            broken.add(RejectReason.EVENT_TIME_BEFORE_EPOCH);
        }
        if (time < MIN_TIME) {
            broken.add(RejectReason.EVENT_TIME_TOO_OLD);
        }
        if (time > NOW.toEpochMilli() + MAX_FUTURE) {
            broken.add(RejectReason.EVENT_TIME_IN_FUTURE);
        }
        Double amount = event.getAmount();
        if (amount != null && !(amount >= 0 && amount <= MAX_AMOUNT)) { // NaN fails every comparison
            broken.add(RejectReason.INVALID_AMOUNT);
        }
        Float rating = event.getRating();
        if (rating != null && !(rating >= 0 && rating <= 10)) {
            broken.add(RejectReason.INVALID_RATING);
        }
        boolean oversized = tooLong(event.getItemId()) || tooLong(event.getCategory())
                || tooLong(event.getSessionId()) || event.getAttributes().size() > MAX_ATTRIBUTES
                || event.getAttributes().entrySet().stream().anyMatch(e -> tooLong(e.getKey())
                || tooLong(e.getValue()));
        if (oversized) {
            broken.add(RejectReason.OVERSIZED_FIELD);
        }
        return broken;
    }

    private static boolean tooLong(String text) {
        return text != null && text.length() > MAX_STRING;
    }

    private static boolean idOk(String id, int maxChars) {
        return !id.isEmpty() && id.length() <= maxChars && id.codePoints().noneMatch(cp ->
                Character.isISOControl(cp) || Character.getType(cp) == Character.FORMAT
                        || Character.getType(cp) == Character.LINE_SEPARATOR
                        || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR
                        || Character.getType(cp) == Character.SURROGATE || cp == 0xFFFD);
    }

    private static final AvroSerializer<UserEvent> SERIALIZER = new AvroSerializer<>();
    private static final AvroDeserializer<UserEvent> DESERIALIZER = new AvroDeserializer<>(UserEvent.class);

    static {
        Map<String, Object> config = Map.of("schema.registry.url", "mock://" + SCOPE);
        SERIALIZER.configure(config, false);
        DESERIALIZER.configure(config, false);
    }

    private static UserEvent roundTrip(UserEvent event) {
        return DESERIALIZER.deserialize(PulseTopics.USER_EVENTS.name(),
                SERIALIZER.serialize(PulseTopics.USER_EVENTS.name(), event));
    }

    @AfterContainer
    static void dropRegistry() {
        SERIALIZER.close();
        DESERIALIZER.close();
        MockSchemaRegistry.dropScope(SCOPE);
    }
}
