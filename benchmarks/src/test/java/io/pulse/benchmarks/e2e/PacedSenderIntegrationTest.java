package io.pulse.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.infra.LocalInfra;
import io.pulse.testsupport.CommittedRecords;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The latency rows' load generator against a real broker: one warm JVM for every row of a run. */
@PulseIntegrationTest
class PacedSenderIntegrationTest {

    private static final int RECORDS = 200;
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    @Test
    void shouldServeEveryRequestFromOneJvmStampingEachRecordWithTheTimeItWasDue(LocalInfra infra) {
        String first = TestTopics.createUnique(infra, "sender-first", 1);
        String second = TestTopics.createUnique(infra, "sender-second", 1);
        Path records = dir.resolve("records.bin");
        PacedSender.writeRecords(records, RECORDS, i -> ("user-" + i).getBytes(StandardCharsets.UTF_8),
                i -> new byte[] {(byte) i});
        List<Long> starts = new ArrayList<>();

        PacedSender.Outcome paced;
        PacedSender.Outcome again;
        long pid;
        try (PacedSender.Jvm sender = new PacedSender.Jvm(infra.bootstrapServers())) {
            paced = sender.send(first, records, 2_000, Duration.ofMillis(20), TIMEOUT, starts::add);
            pid = sender.pid();
            assertThat(pid).as("still running after its request").isPositive();
            again = sender.send(second, records, 4_000, Duration.ZERO, TIMEOUT, starts::add);

            assertThat(sender.pid()).as("the second request served by the JVM that served the first").isEqualTo(pid);
        }

        assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("ended by close()").isEmpty();
        assertThat(starts).hasSize(2);
        assertThat(paced.sent()).isEqualTo(RECORDS);
        assertThat(again.sent()).isEqualTo(RECORDS);
        assertThat(paced.seconds()).as("199 gaps of 0.5 ms: paced, not sent at once").isGreaterThanOrEqualTo(0.099);
        assertThat(paced.lagP99Micros()).isBetween(0L, paced.lagMaxMicros());
        assertThat(paced.jitMsPerSecond()).isNotNaN().isGreaterThanOrEqualTo(0);
        List<ConsumerRecord<String, byte[]>> sent = CommittedRecords.read(infra.bootstrapServers(), second,
                new StringDeserializer(), new ByteArrayDeserializer());
        assertThat(sent).extracting(ConsumerRecord::key).containsExactlyElementsOf(
                IntStream.range(0, RECORDS).mapToObj(i -> "user-" + i).toList());
        for (int i = 0; i < RECORDS; i++) {
            // due i / 4,000 s after the start, whenever it went out
            assertThat((double) sent.get(i).timestamp()).as("record %d's timestamp", i)
                    .isCloseTo(starts.get(1) + i / 4.0, within(1.0));
        }
    }
}
