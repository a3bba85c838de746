package io.pulse.pipeline.quality;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * What the {@code prediction-log} store remembers of a prediction until its label can arrive: the model version and
 * the scores that have labels (fraud and churn). Keyed by eventId, timestamped with the event time, dropped after the
 * retention ({@code quality.prediction.retention.ms}).
 */
public record PredictionLog(String modelVersion, float fraud, float churn) {

    public byte[] encode() {
        byte[] version = modelVersion.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(2 + version.length + 8)
                .putShort((short) version.length).put(version).putFloat(fraud).putFloat(churn).array();
    }

    public static PredictionLog decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        byte[] version = new byte[in.getShort()];
        in.get(version);
        return new PredictionLog(new String(version, StandardCharsets.UTF_8), in.getFloat(), in.getFloat());
    }
}
