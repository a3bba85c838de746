package io.pulse.pipeline.processing;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.pipeline.PulseConfig;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.Punctuator;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.junit.jupiter.api.Test;

/** Commits requested while a task keeps up with live traffic, left to commit.interval.ms under a backlog. */
class CommitPacerTest {

    private static final long NOW = 1_800_000_000_000L;
    private static final CommitPacer.Settings PACING = new CommitPacer.Settings(Duration.ofMillis(100),
            Duration.ofMillis(1_000));

    private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();

    /** The pacer's punctuation, checked to be the wall-clock one of the configured interval. */
    private Punctuator punctuation() {
        assertThat(context.scheduledPunctuators()).hasSize(1);
        MockProcessorContext.CapturedPunctuator scheduled = context.scheduledPunctuators().get(0);
        assertThat(scheduled.getInterval()).isEqualTo(Duration.ofMillis(100));
        assertThat(scheduled.getType()).isEqualTo(PunctuationType.WALL_CLOCK_TIME);
        return scheduled.getPunctuator();
    }

    @Test
    void shouldRequestACommitWhenTheNewestRecordIsFresh() {
        CommitPacer pacer = CommitPacer.attach(context, PACING);
        Punctuator punctuator = punctuation();

        pacer.processed(NOW - 30);
        punctuator.punctuate(NOW);

        assertThat(context.committed()).isTrue();
    }

    @Test
    void shouldLeaveABacklogToTheCommitInterval() {
        CommitPacer pacer = CommitPacer.attach(context, PACING);
        Punctuator punctuator = punctuation();

        pacer.processed(NOW - 1_001); // written just over a second ago: a backlog
        punctuator.punctuate(NOW);

        assertThat(context.committed()).isFalse();
    }

    @Test
    void shouldCommitABacklogOnceItIsDrained() {
        CommitPacer pacer = CommitPacer.attach(context, PACING);
        Punctuator punctuator = punctuation();

        pacer.processed(NOW - 60_000);
        punctuator.punctuate(NOW);
        assertThat(context.committed()).as("still working through old records").isFalse();
        punctuator.punctuate(NOW + 100);
        assertThat(context.committed()).as("nothing came in for an interval: drained").isTrue();
    }

    @Test
    void shouldRequestNothingWhenNothingWasProcessedSinceTheLastRequest() {
        CommitPacer pacer = CommitPacer.attach(context, PACING);
        Punctuator punctuator = punctuation();
        punctuator.punctuate(NOW);
        assertThat(context.committed()).as("nothing processed yet").isFalse();

        pacer.processed(NOW);
        punctuator.punctuate(NOW + 100);
        assertThat(context.committed()).isTrue();
        context.resetCommit();
        punctuator.punctuate(NOW + 200);
        assertThat(context.committed()).as("idle since the last request").isFalse();

        pacer.processed(NOW + 250);
        punctuator.punctuate(NOW + 300);
        assertThat(context.committed()).isTrue();
    }

    @Test
    void shouldCatchUpOnceAFreshRecordFollowsTheBacklog() {
        CommitPacer pacer = CommitPacer.attach(context, PACING);
        Punctuator punctuator = punctuation();

        pacer.processed(NOW - 60_000);
        punctuator.punctuate(NOW);
        assertThat(context.committed()).isFalse();
        pacer.processed(NOW + 50);
        pacer.processed(NOW - 30_000); // an older record after a fresh one (another partition of the task)
        punctuator.punctuate(NOW + 100);
        assertThat(context.committed()).isTrue();
    }

    @Test
    void shouldScheduleNothingWhenPacingIsOff() {
        CommitPacer pacer = CommitPacer.attach(context, CommitPacer.Settings.OFF);
        pacer.processed(NOW);

        assertThat(context.scheduledPunctuators()).isEmpty();
    }

    @Test
    void shouldPaceOnlyExactlyOnceAndMakeBacklogCommitsLongUnlessConfigured() {
        PulseConfig eos = new PulseConfig(Map.of());
        PulseConfig alos = new PulseConfig(Map.of(PulseConfig.PROCESSING_GUARANTEE, StreamsConfig.AT_LEAST_ONCE));
        PulseConfig explicit = new PulseConfig(Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "20",
                PulseConfig.COMMIT_LIVE_INTERVAL_MS, "0"));

        assertThat(CommitPacer.Settings.from(eos)).isEqualTo(PACING);
        assertThat(CommitPacer.Settings.from(alos)).isEqualTo(CommitPacer.Settings.OFF);
        assertThat(CommitPacer.Settings.from(explicit).enabled()).isFalse();
        Properties eosStreams = eos.streamsProperties();
        assertThat(eosStreams.get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG))
                .isEqualTo(PulseConfig.DEFAULT_EOS_COMMIT_INTERVAL_MS);
        assertThat(alos.streamsProperties()).doesNotContainKey(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG);
        assertThat(explicit.streamsProperties().get(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG)).isEqualTo("20");
    }
}
