package io.pulse.pipeline.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.pipeline.PulseConfig;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

class LiveCommitsTest {

    private static final long NOW = 1_780_000_000_000L;

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

    @Test
    void shouldAskForACommitWhileLiveAtMostOncePerInterval() {
        LiveCommits commits = new LiveCommits(new LiveCommits.Settings(20, 500));

        commits.scored(context, NOW - 10, NOW);
        assertThat(context.committed()).isTrue();
        context.resetCommit();

        commits.scored(context, NOW + 5, NOW + 19);
        assertThat(context.committed()).as("19 ms after the last request").isFalse();

        commits.scored(context, NOW + 6, NOW + 20);
        assertThat(context.committed()).as("20 ms after the last request").isTrue();
    }

    @Test
    void shouldLeaveABacklogToTheCommitInterval() {
        LiveCommits commits = new LiveCommits(new LiveCommits.Settings(20, 500));

        for (long now = NOW; now < NOW + 1_000; now += 25) {
            commits.scored(context, now - 501, now);
        }

        assertThat(context.committed()).isFalse();
    }

    @Test
    void shouldCountARecordAsLiveUpToTheMaximumLagInclusive() {
        LiveCommits commits = new LiveCommits(new LiveCommits.Settings(20, 500));

        commits.scored(context, NOW - 500, NOW);

        assertThat(context.committed()).isTrue();
    }

    @Test
    void shouldNeverAskWhenTurnedOffOrAtLeastOnce() {
        PulseConfig atLeastOnce = PulseConfig.load(null, Map.of(),
                Map.of(PulseConfig.PROCESSING_GUARANTEE, StreamsConfig.AT_LEAST_ONCE));
        PulseConfig turnedOff = PulseConfig.load(null, Map.of(), Map.of(PulseConfig.COMMIT_LIVE_INTERVAL_MS, "0"));

        for (LiveCommits.Settings settings : new LiveCommits.Settings[] {
                LiveCommits.Settings.from(atLeastOnce), LiveCommits.Settings.from(turnedOff)}) {
            new LiveCommits(settings).scored(context, NOW, NOW);
            assertThat(context.committed()).as(settings.toString()).isFalse();
        }
    }

    @Test
    void shouldAskEveryTwentyMillisecondsForRecordsUpToHalfASecondOldByDefault() {
        LiveCommits.Settings settings = LiveCommits.Settings.from(PulseConfig.load(null, Map.of(), Map.of()));

        assertThat(settings).isEqualTo(new LiveCommits.Settings(20, 500));
        assertThat(settings.intervalMillis()).isEqualTo(PulseConfig.DEFAULT_COMMIT_LIVE_INTERVAL_MS);
    }
}
