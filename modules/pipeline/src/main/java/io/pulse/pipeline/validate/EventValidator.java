package io.pulse.pipeline.validate;

import io.pulse.contracts.UserEvent;
import java.util.Map;
import java.util.Optional;

/**
 * The field rules an event must pass after it decoded. Each violated rule has its own {@link RejectReason}; the first
 * violation found is reported.
 *
 * <p>Deliberately accepted: an event type this build does not know (it reads as {@code UNKNOWN} and is encoded as
 * such), events older than the user's last event (handled by the out-of-order rule of the behaviour windows), and a
 * missing amount or rating.
 */
public final class EventValidator {

    /** Longest accepted user id; ids are keys, in logs (at DEBUG) and in URLs. */
    public static final int MAX_USER_ID_LENGTH = 256;
    /** Longest accepted event id (a UUID is 36). */
    public static final int MAX_EVENT_ID_LENGTH = 128;
    /** Ratings come on scales up to 10 in the wild; anything beyond is a bug upstream. */
    public static final double MAX_RATING = 10.0;

    private final long maxFutureMillis;
    private final int maxStringLength;
    private final int maxAttributes;

    public EventValidator(long maxFutureMillis, int maxStringLength, int maxAttributes) {
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
        if (!isPrintableId(event.getUserId(), MAX_USER_ID_LENGTH)) {
            return reject(RejectReason.INVALID_USER_ID, "userId must be 1 to " + MAX_USER_ID_LENGTH
                    + " characters without control characters");
        }
        if (!key.equals(event.getUserId())) {
            return reject(RejectReason.KEY_MISMATCH, "the record key must equal the event's userId (the key decides"
                    + " the partition, and so which instance holds the user's state)");
        }
        if (!isPrintableId(event.getEventId(), MAX_EVENT_ID_LENGTH)) {
            return reject(RejectReason.INVALID_EVENT_ID, "eventId must be 1 to " + MAX_EVENT_ID_LENGTH
                    + " characters without control characters");
        }
        long eventTime = event.getEventTime().toEpochMilli();
        if (eventTime < 0) {
            return reject(RejectReason.EVENT_TIME_BEFORE_EPOCH, "eventTime " + event.getEventTime()
                    + " is before 1970; eventTime is UTC epoch milliseconds");
        }
        if (eventTime > nowMillis + maxFutureMillis) {
            return reject(RejectReason.EVENT_TIME_IN_FUTURE, "eventTime " + event.getEventTime() + " is more than "
                    + maxFutureMillis + " ms ahead of the pipeline's clock; check the producer's clock and units"
                    + " (milliseconds, not microseconds)");
        }
        Double amount = event.getAmount();
        if (amount != null && (!Double.isFinite(amount) || amount < 0)) {
            return reject(RejectReason.INVALID_AMOUNT, "amount must be finite and not negative (refunds are"
                    + " separate events), was " + amount);
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

    private static boolean isPrintableId(String id, int maxLength) {
        if (id == null || id.isEmpty() || id.length() > maxLength) {
            return false;
        }
        for (int i = 0; i < id.length(); i++) {
            if (Character.isISOControl(id.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private static Optional<Rejection> reject(RejectReason reason, String message) {
        return Optional.of(Rejection.of(reason, message));
    }
}
