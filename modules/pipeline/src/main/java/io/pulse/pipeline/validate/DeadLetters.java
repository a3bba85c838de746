package io.pulse.pipeline.validate;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;

/**
 * The dead-letter record format: the original key and value bytes, the original headers, plus these headers (values
 * UTF-8 strings). Names are a contract for tooling that inspects or replays the dead-letter topic.
 */
public final class DeadLetters {

    public static final String REASON = "pulse.dlq.reason";
    public static final String MESSAGE = "pulse.dlq.message";
    public static final String ERROR_CLASS = "pulse.dlq.error.class";
    public static final String SOURCE_TOPIC = "pulse.dlq.source.topic";
    public static final String SOURCE_PARTITION = "pulse.dlq.source.partition";
    public static final String SOURCE_OFFSET = "pulse.dlq.source.offset";
    public static final String TIME = "pulse.dlq.time";

    private DeadLetters() {
    }

    /** Adds the dead-letter headers to {@code headers} (a copy of the original record's headers). */
    public static Headers describe(Headers headers, Rejection rejection, String topic, int partition, long offset,
            long nowMillis) {
        add(headers, REASON, rejection.reason().name());
        add(headers, MESSAGE, rejection.message());
        add(headers, ERROR_CLASS, rejection.errorClass());
        add(headers, SOURCE_TOPIC, topic);
        add(headers, SOURCE_PARTITION, Integer.toString(partition));
        add(headers, SOURCE_OFFSET, Long.toString(offset));
        add(headers, TIME, Instant.ofEpochMilli(nowMillis).toString());
        return headers;
    }

    /** Reads one header as a string, or null. */
    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static void add(Headers headers, String name, String value) {
        headers.remove(name);
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
