package io.pulse.pipeline.processing;

import io.pulse.contracts.UserEvent;
import io.pulse.model.EntityWindowSpec;
import io.pulse.pipeline.telemetry.Telemetry;
import io.pulse.pipeline.validate.DeadLetters;
import io.pulse.pipeline.validate.EventValidator;
import io.pulse.pipeline.validate.RejectReason;
import io.pulse.pipeline.validate.Rejection;
import io.pulse.registry.serde.AvroDeserializer;
import io.pulse.registry.serde.AvroWireFormatException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Turns raw input bytes into an {@link InputRecord.Accepted} event or an {@link InputRecord.Rejected} record: decodes
 * the value with Pulse's Avro deserializer (so bad bytes are caught here, not in a Kafka Streams deserializer that
 * could only skip or fail), applies the {@link EventValidator} rules, and for refused records adds the dead-letter
 * headers. Input: {@code user-events}
 * (byte[] key, byte[] value). Output: accepted events keyed by user id, rejected records keyed by their raw key text.
 *
 * <p>A Schema Registry outage is not the record's fault: it is rethrown, so Kafka Streams retries the task (with
 * exactly-once, nothing is lost or written twice) instead of dead-lettering good events.
 */
public final class ValidateProcessor implements Processor<byte[], byte[], String, InputRecord> {

    private final Map<String, Object> serdeConfig;
    private final EventValidator validator;
    private final Telemetry telemetry;
    /** The configured entity types: their ids must follow the id rules (an absent one is scored as missing). */
    private final List<EntityWindowSpec> entities;
    private AvroDeserializer<UserEvent> deserializer;
    /** Strict UTF-8 for the keys; one per processor (a task's thread), as a decoder keeps state between calls. */
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private ProcessorContext<String, InputRecord> context;
    private String sourceTopic;

    public ValidateProcessor(Map<String, Object> serdeConfig, EventValidator validator, Telemetry telemetry) {
        this(serdeConfig, validator, telemetry, List.of());
    }

    /** A validation step that also checks the ids of the configured {@code entities}. */
    public ValidateProcessor(Map<String, Object> serdeConfig, EventValidator validator, Telemetry telemetry,
            List<EntityWindowSpec> entities) {
        this.entities = List.copyOf(entities);
        this.serdeConfig = serdeConfig;
        this.validator = validator;
        this.telemetry = telemetry;
    }

    @Override
    public void init(ProcessorContext<String, InputRecord> context) {
        this.context = context;
        this.deserializer = new AvroDeserializer<>(UserEvent.class);
        this.deserializer.configure(serdeConfig, false);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        telemetry.eventReceived();
        Optional<RecordMetadata> metadata = context.recordMetadata();
        sourceTopic = metadata.map(RecordMetadata::topic).orElse("unknown");
        byte[] rawKey = record.key();
        byte[] rawValue = record.value();
        if (rawValue == null) {
            reject(record, rawKey, null, Rejection.of(RejectReason.NULL_VALUE,
                    "a null value (tombstone) is not an event"));
            return;
        }
        if (rawKey == null) {
            reject(record, null, rawValue, Rejection.of(RejectReason.NULL_KEY,
                    "user events must be keyed by userId"));
            return;
        }
        String key = decodeUtf8(rawKey);
        if (key == null) {
            reject(record, rawKey, rawValue, Rejection.of(RejectReason.KEY_NOT_UTF8,
                    "the key must be the userId as a UTF-8 string"));
            return;
        }
        UserEvent event;
        try {
            event = deserializer.deserialize(sourceTopic, rawValue);
        } catch (AvroWireFormatException e) {
            RejectReason reason = RejectReason.of(e.reason());
            if (reason == null) {
                // the registry is unreachable: retry rather than dead-letter a possibly good event
                throw e;
            }
            reject(record, rawKey, rawValue, new Rejection(reason, e.getMessage(), e.getClass().getName()));
            return;
        }
        Optional<Rejection> rejection = validator.validate(key, event, context.currentSystemTimeMs());
        if (rejection.isEmpty()) {
            rejection = checkEntityIds(event);
        }
        if (rejection.isPresent()) {
            reject(record, rawKey, rawValue, rejection.get());
            return;
        }
        context.forward(record.withKey(key).withValue(new InputRecord.Accepted(event, rawValue)));
    }

    private Optional<Rejection> checkEntityIds(UserEvent event) {
        for (EntityWindowSpec type : entities) {
            String id = type.entityId(event);
            if (id != null && !EventValidator.isValidId(id, EventValidator.MAX_EVENT_ID_LENGTH)) {
                // the message names the rule, never the id (it may be personal: a device, an address)
                return Optional.of(Rejection.of(RejectReason.INVALID_ENTITY_ID, "the " + type.type() + " id ("
                        + type.key() + ") must be 1 to " + EventValidator.MAX_EVENT_ID_LENGTH + " characters without"
                        + " control, format or separator characters"));
            }
        }
        return Optional.empty();
    }

    private void reject(Record<byte[], byte[]> record, byte[] rawKey, byte[] rawValue, Rejection rejection) {
        telemetry.deadLettered(rejection.reason());
        RecordMetadata metadata = context.recordMetadata().orElse(null);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        DeadLetters.describe(headers, rejection, sourceTopic,
                metadata == null ? -1 : metadata.partition(), metadata == null ? -1 : metadata.offset(),
                context.currentSystemTimeMs());
        String key = rawKey == null ? null : new String(rawKey, StandardCharsets.UTF_8);
        context.forward(new Record<>(key, new InputRecord.Rejected(rawKey, rawValue, rejection), record.timestamp(),
                headers));
    }

    private String decodeUtf8(byte[] bytes) {
        try {
            return utf8.decode(ByteBuffer.wrap(bytes)).toString(); // decode(ByteBuffer) resets the decoder first
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Override
    public void close() {
        if (deserializer != null) {
            deserializer.close();
        }
    }
}
