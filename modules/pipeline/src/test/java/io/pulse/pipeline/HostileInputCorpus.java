package io.pulse.pipeline;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.validate.RejectReason;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Every kind of hostile or odd input Pulse is known to meet, each with the outcome a documented rule promises: the
 * dead-letter topic with a {@link RejectReason}, accepted (one prediction), or dropped as a repeated delivery. The
 * same corpus runs through the topology under {@code TopologyTestDriver} and through a real broker and registry.
 *
 * <p>Every kind uses users of its own, so kinds cannot interfere (duplicates, ordering). Randomness is seeded.
 */
public final class HostileInputCorpus {

    /** Header naming the kind on every corpus record; dead letters keep the original headers, so it comes back. */
    public static final String KIND_HEADER = "pulse.test.kind";

    /** What a documented rule says happens to one input record. */
    public enum Fate { DEAD_LETTER, ACCEPTED, DROPPED_DUPLICATE }

    /**
     * One input record and its expected fate.
     *
     * @param key     raw key bytes (null: no key)
     * @param value   raw value bytes (null: tombstone)
     * @param fate    what must happen to it
     * @param reason  the dead-letter reason (DEAD_LETTER only)
     * @param eventId the event id of an accepted record (to match its prediction)
     */
    public record Input(byte[] key, byte[] value, Fate fate, RejectReason reason, String eventId) {
    }

    /** One named kind of input: one or more records, in order. */
    public record Kind(String name, String description, List<Input> inputs) {
    }

    /** How the corpus serializes: against a {@code mock://} registry or a real one. */
    public interface Env {
        /** The pipeline's clock at the time the records are read (future and age rules are relative to it). */
        Instant now();

        /** A UserEvent as a well-behaved producer writes it to the events topic. */
        byte[] serialize(UserEvent event);

        /** A generic record registered under {@code subject}'s value subject (another producer's schema). */
        byte[] serialize(GenericRecord record, String subject);

        /**
         * The attribute naming a configured entity type of the pipeline under test ({@code entities.types}), or null
         * when it has none (then no entity ids are checked, and the corpus has no entity-id kinds).
         */
        default String entityAttribute() {
            return null;
        }
    }

    private final Env env;
    private final Random random;
    private final List<Kind> kinds = new ArrayList<>();
    private final Instant now;

    private HostileInputCorpus(Env env, long seed) {
        this.env = env;
        this.random = new Random(seed);
        this.now = env.now();
    }

    /** The corpus, built against {@code env} with the given seed. */
    public static List<Kind> build(Env env, long seed) {
        HostileInputCorpus corpus = new HostileInputCorpus(env, seed);
        corpus.bytes();
        corpus.schemas();
        corpus.keys();
        corpus.ids();
        corpus.amountsAndRatings();
        corpus.times();
        corpus.sizes();
        corpus.entityIds();
        corpus.accepted();
        return Collections.unmodifiableList(corpus.kinds);
    }

    /** All inputs of {@code kinds}, in order. */
    public static List<Input> inputs(List<Kind> kinds) {
        return kinds.stream().flatMap(kind -> kind.inputs().stream()).toList();
    }

    /** How many inputs of {@code kinds} have {@code fate}. */
    public static long count(List<Kind> kinds, Fate fate) {
        return inputs(kinds).stream().filter(input -> input.fate() == fate).count();
    }

    /** The expected number of dead letters per reason. */
    public static Map<RejectReason, Long> deadLettersByReason(List<Kind> kinds) {
        Map<RejectReason, Long> byReason = new java.util.EnumMap<>(RejectReason.class);
        inputs(kinds).stream().filter(i -> i.fate() == Fate.DEAD_LETTER)
                .forEach(i -> byReason.merge(i.reason(), 1L, Long::sum));
        return byReason;
    }

    // ---- bytes that are not a Confluent Avro message -------------------------------------------------------------

    private void bytes() {
        byte[] random64 = new byte[64];
        random.nextBytes(random64);
        random64[0] = 0x7f;
        dead("random-bytes", "64 random bytes", "u-random", random64, RejectReason.UNKNOWN_MAGIC_BYTE);
        dead("json-instead-of-avro", "a JSON document", "u-json",
                utf8("{\"userId\":\"u-json\",\"type\":\"VIEW\"}"), RejectReason.UNKNOWN_MAGIC_BYTE);
        byte[] wrongMagic = valid("u-magic").clone();
        wrongMagic[0] = 1;
        dead("wrong-magic-byte", "a valid message whose magic byte is 1", "u-magic", wrongMagic,
                RejectReason.UNKNOWN_MAGIC_BYTE);
        dead("empty-value", "zero bytes", "u-empty", new byte[0], RejectReason.EMPTY);
        dead("tombstone", "a null value", "u-tombstone", null, RejectReason.NULL_VALUE);
        dead("header-only", "three bytes of a header", "u-header", new byte[] {0, 0, 1},
                RejectReason.TRUNCATED_HEADER);
        dead("unknown-schema-id", "a header naming schema id 2139062143", "u-schema-id",
                new byte[] {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 'a'}, RejectReason.UNKNOWN_SCHEMA_ID);
        byte[] full = valid("u-truncated");
        dead("truncated-avro", "a valid message without its last 4 bytes", "u-truncated",
                Arrays.copyOf(full, full.length - 4), RejectReason.TRUNCATED_PAYLOAD);
        // eventId's length prefix becomes the zig-zag varint 0x01 = -1: a negative length
        dead("negative-string-length", "Avro with a negative string length", "u-corrupt",
                concat(Arrays.copyOf(valid("u-corrupt"), 5), new byte[] {0x01, 0x02, 0x03}),
                RejectReason.CORRUPT_PAYLOAD);
        dead("trailing-bytes", "a valid message with one byte more", "u-trailing",
                concat(valid("u-trailing"), new byte[] {0}), RejectReason.TRAILING_BYTES);
    }

    // ---- valid Avro that is not a usable UserEvent ---------------------------------------------------------------

    private void schemas() {
        Label label = Label.newBuilder().setUserId("u-label").setKind(LabelKind.FRAUD).setPositive(true)
                .setAppliesAt(now).setObservedAt(now).build();
        dead("another-schema", "valid Avro of the Label schema", "u-label",
                env.serialize(toGeneric(label, Label.getClassSchema()), "hostile-labels"),
                RejectReason.INCOMPATIBLE_SCHEMA);
        Schema partial = new Schema.Parser().parse("""
                {"type":"record","name":"UserEvent","namespace":"io.pulse.contracts","fields":[
                  {"name":"eventId","type":"string"},{"name":"userId","type":"string"}]}""");
        GenericRecord missing = new GenericData.Record(partial);
        missing.put("eventId", id());
        missing.put("userId", "u-missing");
        dead("missing-required-fields", "a UserEvent without type and eventTime", "u-missing",
                env.serialize(missing, "hostile-partial-events"), RejectReason.INCOMPATIBLE_SCHEMA);
        Schema wrongType = new Schema.Parser().parse(UserEvent.getClassSchema().toString()
                .replace("\"name\":\"amount\",\"type\":[\"null\",\"double\"]",
                        "\"name\":\"amount\",\"type\":[\"null\",\"string\"]"));
        if (wrongType.toString().equals(UserEvent.getClassSchema().toString())) {
            throw new IllegalStateException("the amount field's schema changed; update the corpus");
        }
        GenericRecord stringAmount = toGeneric(event("u-string-amount").build(), wrongType);
        stringAmount.put("amount", "12.50");
        dead("amount-as-string", "a UserEvent whose amount is a string", "u-string-amount",
                env.serialize(stringAmount, "hostile-string-amounts"), RejectReason.INCOMPATIBLE_SCHEMA);
    }

    // ---- keys ----------------------------------------------------------------------------------------------------

    private void keys() {
        add("null-key", "no key", input(null, valid("u-null-key"), RejectReason.NULL_KEY));
        add("key-not-utf8", "key bytes C3 28", input(new byte[] {(byte) 0xC3, 0x28}, valid("u-key-utf8"),
                RejectReason.KEY_NOT_UTF8));
        add("key-of-another-user", "key u-b, userId u-a", input(utf8("u-b"), valid("u-a"),
                RejectReason.KEY_MISMATCH));
        add("key-differs-in-case", "key U-CASE, userId u-case", input(utf8("U-CASE"), valid("u-case"),
                RejectReason.KEY_MISMATCH));
        add("key-with-trailing-space", "key 'u-space ', userId u-space", input(utf8("u-space "),
                valid("u-space"), RejectReason.KEY_MISMATCH));
    }

    // ---- ids -----------------------------------------------------------------------------------------------------

    private void ids() {
        badUserId("empty-user-id", "", "an empty userId");
        badUserId("terminal-escape-in-user-id", "u-\u001b[31mred", "ANSI escape codes");
        badUserId("nul-in-user-id", "\u0000pulse.event-clock", "Pulse's reserved clock key");
        badUserId("zero-width-space-in-user-id", "u-\u200Bzw", "a look-alike of u-zw");
        badUserId("bidi-override-in-user-id", "u-\u202Eevil", "a right-to-left override");
        badUserId("line-separator-in-user-id", "u-\u2028ls", "U+2028");
        badUserId("overlong-user-id", "u".repeat(257), "257 characters");
        // a userId whose UTF-8 is invalid: Pulse's strict decoder refuses the string itself
        byte[] placeholder = env.serialize(event("u-XX").build());
        int at = indexOf(placeholder, utf8("u-XX"));
        placeholder[at + 2] = (byte) 0xC3;
        placeholder[at + 3] = 0x28;
        add("invalid-utf8-in-user-id", "userId bytes 75 2D C3 28", input(utf8("u-XX"), placeholder,
                RejectReason.CORRUPT_PAYLOAD));
        badUserId("replacement-char-in-user-id", "u-\uFFFD", "U+FFFD: text that was invalid UTF-8 upstream");
        badEventId("newline-in-event-id", "e-1\nINFO forged log line", "log injection");
        badEventId("empty-event-id", "", "an empty eventId");
        badEventId("overlong-event-id", "e".repeat(129), "129 characters");
        badEventId("zero-width-joiner-in-event-id", "e-\u200Dx", "U+200D");
    }

    private void badUserId(String name, String userId, String description) {
        UserEvent event = event(userId).build();
        add(name, description, input(utf8(userId), env.serialize(event), RejectReason.INVALID_USER_ID));
    }

    private void badEventId(String name, String eventId, String description) {
        String user = "u-" + name;
        UserEvent event = event(user).setEventId(eventId).build();
        add(name, description, input(utf8(user), env.serialize(event), RejectReason.INVALID_EVENT_ID));
    }

    // ---- amounts and ratings -------------------------------------------------------------------------------------

    private void amountsAndRatings() {
        badField("nan-amount", "amount NaN", e -> e.setAmount(Double.NaN), RejectReason.INVALID_AMOUNT);
        badField("infinite-amount", "amount +Infinity", e -> e.setAmount(Double.POSITIVE_INFINITY),
                RejectReason.INVALID_AMOUNT);
        badField("negative-infinite-amount", "amount -Infinity", e -> e.setAmount(Double.NEGATIVE_INFINITY),
                RejectReason.INVALID_AMOUNT);
        badField("negative-amount", "amount -5", e -> e.setAmount(-5.0), RejectReason.INVALID_AMOUNT);
        badField("absurd-amount", "amount 1e300 (sums would overflow)", e -> e.setAmount(1e300),
                RejectReason.INVALID_AMOUNT);
        badField("nan-rating", "rating NaN", e -> e.setType(EventType.RATING).setRating(Float.NaN),
                RejectReason.INVALID_RATING);
        badField("rating-above-ten", "rating 11", e -> e.setType(EventType.RATING).setRating(11f),
                RejectReason.INVALID_RATING);
    }

    private void badField(String name, String description, java.util.function.UnaryOperator<UserEvent.Builder> edit,
            RejectReason reason) {
        String user = "u-" + name;
        add(name, description, input(utf8(user), env.serialize(edit.apply(event(user)).build()), reason));
    }

    // ---- entity ids (only for a pipeline with an entity type) ----------------------------------------------------

    private void entityIds() {
        String attribute = env.entityAttribute();
        if (attribute == null) {
            return;
        }
        badField("control-character-entity-id", "an entity id with a NUL", e -> e.setAttributes(
                Map.of(attribute, "T\u0000-1")), RejectReason.INVALID_ENTITY_ID);
        badField("over-long-entity-id", "a 200-character entity id", e -> e.setAttributes(
                Map.of(attribute, "t".repeat(200))), RejectReason.INVALID_ENTITY_ID);
    }

    // ---- event times ---------------------------------------------------------------------------------------------

    private void times() {
        badField("time-before-1970", "eventTime -1 s", e -> e.setEventTime(Instant.ofEpochMilli(-1000)),
                RejectReason.EVENT_TIME_BEFORE_EPOCH);
        badField("time-long-min", "eventTime Long.MIN_VALUE ms", e -> e.setEventTime(Instant.ofEpochMilli(
                Long.MIN_VALUE)), RejectReason.EVENT_TIME_BEFORE_EPOCH);
        badField("time-in-1970", "epoch seconds sent as milliseconds (a date in January 1970)",
                e -> e.setEventTime(Instant.ofEpochMilli(now.getEpochSecond())), RejectReason.EVENT_TIME_TOO_OLD);
        badField("time-in-2100", "eventTime 2100-01-01", e -> e.setEventTime(Instant.parse("2100-01-01T00:00:00Z")),
                RejectReason.EVENT_TIME_IN_FUTURE);
        badField("time-in-microseconds", "epoch microseconds sent as milliseconds",
                e -> e.setEventTime(Instant.ofEpochMilli(now.toEpochMilli() * 1000)),
                RejectReason.EVENT_TIME_IN_FUTURE);
        badField("time-long-max", "eventTime Long.MAX_VALUE ms",
                e -> e.setEventTime(Instant.ofEpochMilli(Long.MAX_VALUE)), RejectReason.EVENT_TIME_IN_FUTURE);
    }

    // ---- sizes ---------------------------------------------------------------------------------------------------

    private void sizes() {
        badField("megabyte-item-id", "a 1,000,000-character itemId", e -> e.setItemId(randomText(1_000_000)),
                RejectReason.OVERSIZED_FIELD);
        badField("half-megabyte-attribute", "a 500,000-character attribute value",
                e -> e.setAttributes(Map.of("device", randomText(500_000))), RejectReason.OVERSIZED_FIELD);
        Map<String, String> many = new HashMap<>();
        for (int i = 0; i < 100; i++) {
            many.put("k" + i, "v");
        }
        badField("too-many-attributes", "100 attributes", e -> e.setAttributes(many), RejectReason.OVERSIZED_FIELD);
        badField("oversized-session-id", "a 2000-character sessionId", e -> e.setSessionId("s".repeat(2000)),
                RejectReason.OVERSIZED_FIELD);
    }

    // ---- odd but valid: accepted, or dropped as repeated deliveries ----------------------------------------------

    private void accepted() {
        // written with a newer schema that has an event type this build does not know: read as UNKNOWN
        Schema newer = new Schema.Parser().parse(UserEvent.getClassSchema().toString()
                .replace("\"PAYMENT\"]", "\"PAYMENT\",\"REFUND\"]"));
        if (newer.toString().equals(UserEvent.getClassSchema().toString())) {
            throw new IllegalStateException("the EventType symbols changed; update the corpus");
        }
        UserEvent refund = event("u-newer-producer").build();
        GenericRecord newerRecord = toGeneric(refund, newer);
        newerRecord.put("type", new GenericData.EnumSymbol(newer.getField("type").schema(), "REFUND"));
        add("unknown-event-type", "an event type from a newer schema (REFUND)", accept(utf8("u-newer-producer"),
                env.serialize(newerRecord, "hostile-newer-producer"), refund.getEventId()));
        ok("control-chars-in-free-text", "itemId and attributes with newlines and escapes (not ids: allowed)",
                event("u-free-text").setItemId("item\n\u001b[2J").setAttributes(Map.of("note", "a\tb\r\n")));
        ok("unicode-user-id", "a userId of emoji, CJK and accents", event("u-\uD83D\uDE00-\u7528\u6237-\u00e9"));
        ok("boundary-amount-zero", "amount 0", event("u-amount-zero").setAmount(0.0));
        ok("boundary-amount-max", "amount 1e12 (validation.max.amount)", event("u-amount-max").setAmount(1e12));
        ok("boundary-amount-tiny", "amount Double.MIN_VALUE", event("u-amount-tiny").setAmount(Double.MIN_VALUE));
        ok("slightly-in-the-future", "eventTime 30 minutes ahead (within validation.max.future.ms)",
                event("u-future").setEventTime(now.plus(Duration.ofMinutes(30))));
        ok("first-event-of-1990", "eventTime 1990-01-01 (validation.min.event.time.ms)",
                event("u-1990").setEventTime(Instant.parse("1990-01-01T00:00:00Z")));

        List<Input> burst = new ArrayList<>();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            order.add(i);
        }
        Collections.shuffle(order, random);
        for (int minutes : order) {
            UserEvent event = event("u-out-of-order").setEventTime(now.minus(Duration.ofMinutes(60 - minutes)))
                    .build();
            burst.add(accept(utf8("u-out-of-order"), env.serialize(event), event.getEventId()));
        }
        add("out-of-order-burst", "8 events of one user in shuffled time order", burst.toArray(Input[]::new));

        List<Input> sameInstant = new ArrayList<>();
        Instant instant = now.minus(Duration.ofMinutes(5));
        for (int i = 0; i < 20; i++) {
            UserEvent event = event("u-same-millisecond").setEventTime(instant).build();
            sameInstant.add(accept(utf8("u-same-millisecond"), env.serialize(event), event.getEventId()));
        }
        add("same-millisecond-burst", "20 events of one user at the same millisecond",
                sameInstant.toArray(Input[]::new));

        UserEvent once = event("u-duplicate").build();
        byte[] onceBytes = env.serialize(once);
        add("duplicate-delivery", "the same record twice", accept(utf8("u-duplicate"), onceBytes, once.getEventId()),
                new Input(utf8("u-duplicate"), onceBytes, Fate.DROPPED_DUPLICATE, null, once.getEventId()));
        UserEvent original = event("u-same-id").setAmount(1.0).build();
        UserEvent changed = UserEvent.newBuilder(original).setAmount(999.0).setType(EventType.PURCHASE).build();
        add("same-event-id-other-content", "a second event reusing an eventId (the eventId is the identity)",
                accept(utf8("u-same-id"), env.serialize(original), original.getEventId()),
                new Input(utf8("u-same-id"), env.serialize(changed), Fate.DROPPED_DUPLICATE, null,
                        original.getEventId()));
        UserEvent broken = event("u-resend").setAmount(Double.NaN).build();
        UserEvent fixed = UserEvent.newBuilder(broken).setAmount(12.0).build();
        add("corrected-resend", "a refused event, then its corrected version with the same eventId",
                input(utf8("u-resend"), env.serialize(broken), RejectReason.INVALID_AMOUNT),
                accept(utf8("u-resend"), env.serialize(fixed), fixed.getEventId()));
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private UserEvent.Builder event(String userId) {
        return UserEvent.newBuilder()
                .setEventId(id())
                .setUserId(userId)
                .setType(EventType.PAYMENT)
                .setAmount(25.0)
                .setEventTime(now.minus(Duration.ofMinutes(10)));
    }

    private byte[] valid(String userId) {
        return env.serialize(event(userId).build());
    }

    private String id() {
        return new UUID(random.nextLong(), random.nextLong()).toString();
    }

    private String randomText(int length) {
        char[] text = new char[length];
        for (int i = 0; i < length; i++) {
            text[i] = (char) ('a' + random.nextInt(26));
        }
        return new String(text);
    }

    private void dead(String name, String description, String user, byte[] value, RejectReason reason) {
        add(name, description, input(utf8(user), value, reason));
    }

    private void ok(String name, String description, UserEvent.Builder builder) {
        UserEvent event = builder.build();
        add(name, description, accept(utf8(event.getUserId()), env.serialize(event), event.getEventId()));
    }

    private static Input input(byte[] key, byte[] value, RejectReason reason) {
        return new Input(key, value, Fate.DEAD_LETTER, Objects.requireNonNull(reason), null);
    }

    private static Input accept(byte[] key, byte[] value, String eventId) {
        return new Input(key, value, Fate.ACCEPTED, null, eventId);
    }

    private void add(String name, String description, Input... inputs) {
        if (kinds.stream().anyMatch(kind -> kind.name().equals(name))) {
            throw new IllegalStateException("two kinds named " + name);
        }
        kinds.add(new Kind(name, description, List.of(inputs)));
    }

    private static GenericRecord toGeneric(org.apache.avro.specific.SpecificRecord record, Schema schema) {
        GenericRecord generic = new GenericData.Record(schema);
        for (Schema.Field field : schema.getFields()) {
            Object value = record.getSchema().getField(field.name()) == null ? null
                    : record.get(record.getSchema().getField(field.name()).pos());
            if (value instanceof Instant instant) {
                value = instant.toEpochMilli();
            } else if (value instanceof Enum<?> symbol) {
                value = new GenericData.EnumSymbol(field.schema(), symbol.name());
            }
            generic.put(field.name(), value);
        }
        return generic;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
