package io.pulse.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.pulse.contracts.EventType;
import io.pulse.contracts.Label;
import io.pulse.contracts.LabelKind;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.telemetry.LiveQuality;
import io.pulse.pipeline.telemetry.RollingQuality;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Delayed labels are joined with the predictions made earlier and summarised per model version. */
class LiveQualityTopologyTest {

    @TempDir
    Path stateDir;
    private TopologyFixture fixture;

    @AfterEach
    void stop() {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void shouldScoreLabelledPredictionsPerModelVersion() {
        fixture = new TopologyFixture(stateDir, Map.of());
        List<UserEvent> events = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            UserEvent event = TopologyFixture.event("u-" + (i % 2), EventType.PAYMENT, Duration.ofMinutes(i))
                    .setAmount(10.0 + i).build();
            events.add(event);
            fixture.send(event);
        }
        List<Prediction> predictions = fixture.predictions.readValuesToList();

        // a week later the truth arrives: events 0, 2, 4 were fraud; one label names an unknown event
        for (int i = 0; i < events.size(); i++) {
            UserEvent event = events.get(i);
            fixture.labels.pipeInput(event.getUserId(), Label.newBuilder().setUserId(event.getUserId())
                    .setKind(LabelKind.FRAUD).setPositive(i % 2 == 0).setEventId(event.getEventId())
                    .setAppliesAt(event.getEventTime()).setObservedAt(event.getEventTime().plus(Duration.ofDays(7)))
                    .build());
        }
        fixture.labels.pipeInput("u-0", Label.newBuilder().setUserId("u-0").setKind(LabelKind.FRAUD)
                .setPositive(true).setEventId("never-seen").setAppliesAt(TopologyFixture.START)
                .setObservedAt(TopologyFixture.START).build());

        String version = fixture.models.current().version();
        RollingQuality fraud = fixture.metrics.liveQuality().quality(version, LiveQuality.Head.FRAUD);
        assertThat(fraud.total()).isEqualTo(6);
        RollingQuality expected = new RollingQuality(100);
        for (int i = 0; i < predictions.size(); i++) {
            expected.record((float) predictions.get(i).getFraudScore(), i % 2 == 0);
        }
        assertThat(fraud.auc()).isCloseTo(expected.auc(), within(1e-9));
        assertThat(fraud.logLoss()).isCloseTo(expected.logLoss(), within(1e-6));
        assertThat(fixture.metrics.registry().get("pulse.labels").tag("outcome", "unmatched").counter().count())
                .isEqualTo(1.0);
        assertThat(fixture.metrics.registry().get("pulse.live.auc").tag("model_version", version)
                .tag("head", "fraud").gauge().value()).isCloseTo(expected.auc(), within(1e-9));
    }

    @Test
    void shouldSkipATombstoneOnTheLabelsTopicAndKeepScoring() {
        fixture = new TopologyFixture(stateDir, Map.of());

        fixture.labels.pipeInput("u-1", null);
        fixture.send(TopologyFixture.event("u-1", EventType.VIEW, Duration.ZERO).build());

        assertThat(fixture.predictions.readValuesToList()).hasSize(1);
    }

    @Test
    void shouldComputeAucAndLogLossLikeTheTextbook() {
        RollingQuality quality = new RollingQuality(10);
        // scores 0.1 0.4 0.35 0.8 with labels 0 0 1 1: sklearn's roc_auc_score gives 0.75
        quality.record(0.1, false);
        quality.record(0.4, false);
        quality.record(0.35, true);
        quality.record(0.8, true);

        assertThat(quality.auc()).isCloseTo(0.75, within(1e-12));
        double logLoss = -(Math.log(0.9) + Math.log(0.6) + Math.log(0.35) + Math.log(0.8)) / 4;
        assertThat(quality.logLoss()).isCloseTo(logLoss, within(1e-12));
    }

    @Test
    void shouldCountTiesAsHalfAndForgetTheOldestBeyondTheWindow() {
        RollingQuality quality = new RollingQuality(2);
        quality.record(0.9, false); // pushed out by the next two
        quality.record(0.5, true);
        quality.record(0.5, false);

        assertThat(quality.auc()).isEqualTo(0.5);
        assertThat(quality.total()).isEqualTo(3);
    }
}
