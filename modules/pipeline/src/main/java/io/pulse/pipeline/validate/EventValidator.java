package io.pulse.pipeline.validate;

import io.pulse.contracts.UserEvent;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The field rules an event must pass after it decoded. Each violated rule has its own {@link RejectReason}; the first
 * violation found is reported.
 *
 * <p>Deliberately accepted: an event type this build does not know (it reads as {@code UNKNOWN} and is encoded as
 * such), events older than the user's last event (handled by the out-of-order rule of the behaviour windows), a
 * missing amount or rating, and any characters in free-text fields (itemId, category, sessionId, attributes: they are
 * never keys, URL parts or log text).
 *
 * <p>Ids are stricter than "no control characters": they are keys of state stores, parts of URLs and (at DEBUG) of
 * log lines, and must look like what they are. See {@link #isValidId}.
 */
public final class EventValidator {

    /** Longest accepted user id; ids are keys, in logs (at DEBUG) and in URLs. */
    public static final int MAX_USER_ID_LENGTH = 256;
    /** Longest accepted event id (a UUID is 36). */
    public static final int MAX_EVENT_ID_LENGTH = 128;
    /** Ratings come on scales up to 10 in the wild; anything beyond is a bug upstream. */
    public static final double MAX_RATING = 10.0;

    /** The default of {@code validation.min.event.time.ms}: 1990-01-01T00:00:00Z. */
    public static final long DEFAULT_MIN_EVENT_TIME_MILLIS = 631_152_000_000L;
    /** The default of {@code validation.max.amount}. */
    public static final double DEFAULT_MAX_AMOUNT = 1e12;

    private final long maxFutureMillis;
    private final int maxStringLength;
    private final int maxAttributes;
    private final long minEventTimeMillis;
    private final double maxAmount;

    /** With the default earliest event time and largest amount. */
    public EventValidator(long maxFutureMillis, int maxStringLength, int maxAttributes) {
        this(maxFutureMillis, maxStringLength, maxAttributes, DEFAULT_MIN_EVENT_TIME_MILLIS, DEFAULT_MAX_AMOUNT);
    }

    /**
     * @param maxFutureMillis    how far ahead of the pipeline's clock an eventTime may be
     * @param maxStringLength    longest free-text field or attribute key/value
     * @param maxAttributes      most attributes
     * @param minEventTimeMillis earliest accepted eventTime (0: anything since 1970)
     * @param maxAmount          largest accepted amount
     */
    public EventValidator(long maxFutureMillis, int maxStringLength, int maxAttributes, long minEventTimeMillis,
            double maxAmount) {
        if (minEventTimeMillis < 0 || !(maxAmount >= 0) || Double.isInfinite(maxAmount)) {
            throw new IllegalArgumentException("minEventTimeMillis must not be negative and maxAmount must be finite"
                    + " and not negative: " + minEventTimeMillis + ", " + maxAmount);
        }
        this.minEventTimeMillis = minEventTimeMillis;
        this.maxAmount = maxAmount;
        if (maxFutureMillis < 0) {
            throw new IllegalArgumentException("maxFutureMillis must not be negative, was " + maxFutureMillis);
        }
        if (maxStringLength < 1 || maxAttributes < 0) {
            throw new IllegalArgumentException("limits must be positive: maxStringLength " + maxStringLength
                    + ", maxAttributes " + maxAttributes);
        }
        this.maxFutureMillis = maxFutureMillis;
        this.maxStringLength = maxStringLength;
        this.maxAttributes = maxAttributes;
    }

    /**
     * @param key     the record key as a string (not null: null keys are refused before decoding)
     * @param event   the decoded event
     * @param nowMillis the pipeline's current wall-clock time
     * @return the first violated rule, or empty if the event is usable
     */
    public Optional<Rejection> validate(String key, UserEvent event, long nowMillis) {
        if (!isValidId(event.getUserId(), MAX_USER_ID_LENGTH)) {
            return reject(RejectReason.INVALID_USER_ID, "userId must be 1 to " + MAX_USER_ID_LENGTH
                    + " characters without control, format, separator or replacement characters");
        }
        if (!key.equals(event.getUserId())) {
            return reject(RejectReason.KEY_MISMATCH, "the record key must equal the event's userId (the key decides"
                    + " the partition, and so which instance holds the user's state)");
        }
        if (!isValidId(event.getEventId(), MAX_EVENT_ID_LENGTH)) {
            return reject(RejectReason.INVALID_EVENT_ID, "eventId must be 1 to " + MAX_EVENT_ID_LENGTH
                    + " characters without control, format, separator or replacement characters");
        }
        long eventTime = event.getEventTime().toEpochMilli();
        if (eventTime < 0) {
            return reject(RejectReason.EVENT_TIME_BEFORE_EPOCH, "eventTime " + event.getEventTime()
                    + " is before 1970; eventTime is UTC epoch milliseconds");
        }
        if (eventTime < minEventTimeMillis) {
            return reject(RejectReason.EVENT_TIME_TOO_OLD, "eventTime " + event.getEventTime() + " is before "
                    + Instant.ofEpochMilli(minEventTimeMillis) + " (validation.min.event.time.ms); check"
                    + " the producer's units (milliseconds, not seconds)");
        }
        if (eventTime - nowMillis > maxFutureMillis) { // no overflow: eventTime >= 0 here
            return reject(RejectReason.EVENT_TIME_IN_FUTURE, "eventTime " + event.getEventTime() + " is more than "
                    + maxFutureMillis + " ms ahead of the pipeline's clock; check the producer's clock and units"
                    + " (milliseconds, not microseconds)");
        }
        Double amount = event.getAmount();
        if (amount != null && (!Double.isFinite(amount) || amount < 0 || amount > maxAmount)) {
            // the value itself stays out of the message: the dead-letter headers are read by people and tools
            return reject(RejectReason.INVALID_AMOUNT, "amount must be finite, not negative (refunds are separate"
                    + " events) and at most " + maxAmount + " (validation.max.amount)");
        }
        Float rating = event.getRating();
        if (rating != null && (!Float.isFinite(rating) || rating < 0 || rating > MAX_RATING)) {
            return reject(RejectReason.INVALID_RATING, "rating must be between 0 and " + MAX_RATING + ", was "
                    + rating);
        }
        if (tooLong(event.getItemId()) || tooLong(event.getCategory()) || tooLong(event.getSessionId())) {
            return reject(RejectReason.OVERSIZED_FIELD, "itemId, category and sessionId are limited to "
                    + maxStringLength + " characters");
        }
        Map<String, String> attributes = event.getAttributes();
        if (attributes.size() > maxAttributes) {
            return reject(RejectReason.OVERSIZED_FIELD, "at most " + maxAttributes + " attributes, got "
                    + attributes.size());
        }
        for (Map.Entry<String, String> attribute : attributes.entrySet()) {
            if (tooLong(attribute.getKey()) || tooLong(attribute.getValue())) {
                return reject(RejectReason.OVERSIZED_FIELD, "attribute keys and values are limited to "
                        + maxStringLength + " characters");
            }
        }
        return Optional.empty();
    }

    private boolean tooLong(String value) {
        return value != null && value.length() > maxStringLength;
    }

    /**
     * Whether {@code id} is usable as a user or event id: 1 to {@code maxLength} UTF-16 chars, none of them a control
     * character (C0, C1, DEL: log injection, terminal escapes, Pulse's own reserved store keys start with NUL), a
     * format character (zero-width spaces and joiners, bidi overrides: ids that look alike but differ), a line or
     * paragraph separator, an unpaired surrogate, or U+FFFD (what invalid UTF-8 decodes to).
     */
    public static boolean isValidId(String id, int maxLength) {
        if (id == null || id.isEmpty() || id.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < id.length() && Character.isLowSurrogate(id.charAt(i + 1))) {
                i++; // a proper pair: a supplementary character (emoji, CJK extension); check it as one
                int codePoint = id.codePointAt(i - 1);
                if (Character.getType(codePoint) == Character.FORMAT) {
                    return false;
                }
                continue;
            }
            if (Character.isISOControl(c) || Character.isSurrogate(c) || c == '\uFFFD') {
                return false;
            }
            int type = Character.getType(c);
            if (type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Rejection> reject(RejectReason reason, String message) {
        return Optional.of(Rejection.of(reason, message));
    }
}
