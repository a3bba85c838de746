package io.pulse.pipeline;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import java.time.Instant;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of {@link UserEvent}s as they can arrive off the wire: mostly plausible, with every field sometimes
 * hostile (control, format and separator characters, U+FFFD, supplementary characters, over-long strings, NaN and
 * infinite numbers, times from Long.MIN_VALUE to Long.MAX_VALUE). Strings are made of Unicode scalar values only
 * (no unpaired surrogates): UTF-8 off the wire cannot carry those, and the strict decoder refuses what tries.
 */
final class UserEventArbitraries {

    private UserEventArbitraries() {
    }

    /** Events judged at {@code now}: their times cluster around it, with the extremes mixed in. */
    static Arbitrary<UserEvent> events(Instant now) {
        return Builders.withBuilder(UserEvent::newBuilder)
                .use(id(128)).in(UserEvent.Builder::setEventId)
                .use(id(256)).in(UserEvent.Builder::setUserId)
                .use(Arbitraries.of(EventType.class)).in(UserEvent.Builder::setType)
                .use(eventTimes(now)).in((b, t) -> b.setEventTime(Instant.ofEpochMilli(t)))
                .use(freeText().injectNull(0.5)).in(UserEvent.Builder::setItemId)
                .use(freeText().injectNull(0.5)).in(UserEvent.Builder::setCategory)
                .use(amounts().injectNull(0.4)).in(UserEvent.Builder::setAmount)
                .use(ratings().injectNull(0.6)).in(UserEvent.Builder::setRating)
                .use(freeText().injectNull(0.5)).in(UserEvent.Builder::setSessionId)
                .use(Arbitraries.frequencyOf(
                        Tuple.of(12, Arbitraries.maps(text(12), freeText()).ofMaxSize(4)),
                        // around the 64-attribute limit: cheap keys and values, the count is what matters
                        Tuple.of(1, Arbitraries.integers().between(60, 70).map(UserEventArbitraries::attributes))))
                .in(UserEvent.Builder::setAttributes)
                .build(UserEvent.Builder::build);
    }

    /** Ids: mostly UUIDs and short printable names, sometimes any text up to {@code 1.2 × limit}. */
    static Arbitrary<String> id(int limit) {
        Arbitrary<String> uuids = Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
                .as((hi, lo) -> new UUID(hi, lo).toString());
        Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').numeric().withChars("-_.@")
                .ofMinLength(1).ofMaxLength(40);
        // around the length limit: built cheaply, the length is what matters
        Arbitrary<String> nearLimit = Arbitraries.integers().between(limit - 2, limit + 10)
                .map(n -> "\u00e9".repeat(n));
        return Arbitraries.frequencyOf(
                Tuple.of(6, uuids),
                Tuple.of(3, names),
                Tuple.of(2, text(30)),
                Tuple.of(1, nearLimit));
    }

    private static java.util.Map<String, String> attributes(int n) {
        java.util.Map<String, String> attributes = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            attributes.put("k" + i, "v");
        }
        return attributes;
    }

    /** Free text: mostly short, sometimes around the 1024-character limit. */
    static Arbitrary<String> freeText() {
        Arbitrary<String> nearLimit = Arbitraries.integers().between(1020, 1030).map(n -> "\u00e9".repeat(n));
        return Arbitraries.frequencyOf(Tuple.of(12, text(40)), Tuple.of(1, nearLimit));
    }

    /** Any text of Unicode scalar values, biased to printable ASCII, up to {@code maxLength} code points. */
    static Arbitrary<String> text(int maxLength) {
        Arbitrary<Integer> codePoints = Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.integers().between(0x20, 0x7e)),
                // C0, DEL, C1 controls
                Tuple.of(1, Arbitraries.of(0x00, 0x07, 0x09, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0x9f)),
                // format characters (zero-width, bidi, BOM, soft hyphen), separators, the replacement character
                Tuple.of(1, Arbitraries.of(0x00ad, 0x200b, 0x200d, 0x200e, 0x202e, 0x2028, 0x2029, 0xfeff,
                        0xfffd)),
                Tuple.of(3, Arbitraries.integers().between(0xa0, 0xd7ff)),
                Tuple.of(1, Arbitraries.integers().between(0xe000, 0xfffd)),
                Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10ffff)));
        return codePoints.list().ofMaxSize(maxLength).withSizeDistribution(net.jqwik.api.RandomDistribution.biased())
                .map(list -> {
                    StringBuilder text = new StringBuilder();
                    list.forEach(text::appendCodePoint);
                    return text.toString();
                });
    }

    static Arbitrary<Long> eventTimes(Instant now) {
        long at = now.toEpochMilli();
        return Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.longs().between(at - 30L * 86_400_000L, at + 2 * 3_600_000L)),
                Tuple.of(1, Arbitraries.longs()),
                Tuple.of(1, Arbitraries.of(Long.MIN_VALUE, -1L, 0L, 1L, 631_152_000_000L - 1, 631_152_000_000L,
                        at / 1000, at * 1000, 4_102_444_800_000L, Long.MAX_VALUE)));
    }

    static Arbitrary<Double> amounts() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.doubles().between(0, 10_000)),
                Tuple.of(2, Arbitraries.doubles().withStandardSpecialValues()),
                Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
                        Double.MIN_VALUE, 1e12, Math.nextUp(1e12), 1e300, -1.0)));
    }

    static Arbitrary<Float> ratings() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.floats().between(0, 10)),
                Tuple.of(2, Arbitraries.floats().withStandardSpecialValues()),
                Tuple.of(1, Arbitraries.of(Float.NaN, Float.POSITIVE_INFINITY, -0.5f, 10.0f, Math.nextUp(10f))));
    }
}
