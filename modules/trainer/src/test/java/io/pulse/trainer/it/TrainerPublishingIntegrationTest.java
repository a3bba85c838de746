package io.pulse.trainer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.Label;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.infra.LocalInfra;
import io.pulse.model.ModelBundles;
import io.pulse.registry.serde.AvroSerializer;
import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.testsupport.PulseIntegrationTest;
import io.pulse.testsupport.TestTopics;
import io.pulse.trainer.TrainJob;
import io.pulse.trainer.TrainJobConfig;
import io.pulse.trainer.TrainResult;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.KafkaSnapshot;
import io.pulse.trainer.publish.ModelWeightsTopic;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real broker and registry: a bounded snapshot of events and labels (one record in it is garbage), then
 * the publishing gate both ways — a trained model beats the seeded-random one on the topic and is published; a
 * barely trained one does not beat it and is not.
 */
@PulseIntegrationTest
class TrainerPublishingIntegrationTest {

    private static final Duration HORIZON = Duration.ofHours(12);
    private static final String MODEL = "pulse-lstm";

    @TempDir
    Path out;

    @Test
    void shouldPublishOnlyAModelThatBeatsTheCurrentOne(LocalInfra infra) throws Exception {
        String events = TestTopics.createUnique(infra, PulseTopics.USER_EVENTS.name(), 3);
        String labels = TestTopics.createUnique(infra, PulseTopics.USER_LABELS.name(), 3);
        String weights = TestTopics.unique(PulseTopics.MODEL_WEIGHTS.name());
        Map<String, Object> client = new HashMap<>(infra.clientProperties());
        SimulatedHistory simulated = SimulatedHistory.generate(SimulationConfig.defaults().withSeed(3).withUsers(60)
                .withMeanSessionGap(Duration.ofHours(12)).withChurnHorizon(HORIZON), Duration.ofDays(14));
        produce(infra, events, labels, simulated);

        // the snapshot: every event and the labels training reads; the garbage record counted, not fatal
        History history = new KafkaSnapshot(client, Duration.ofSeconds(30)).read(events, labels, n -> { });
        assertThat(history.events()).hasSize(simulated.events().size());
        long frauds = simulated.labels().stream().filter(KafkaSnapshot::isUsed).count();
        assertThat(frauds).isPositive();
        assertThat(history.labels()).hasSize((int) frauds).allMatch(KafkaSnapshot::isUsed);
        assertThat(history.skipped()).containsEntry("undecodable events", 1L)
                .containsEntry(KafkaSnapshot.UNUSED_LABELS, simulated.labels().size() - frauds);
        assertThat(history.fraudLabelled()).isTrue();

        ModelWeightsTopic topic = new ModelWeightsTopic(client, weights, Duration.ofSeconds(30));
        ModelBundle random = ModelBundles.seededRandom(MODEL, 11L, 16);
        topic.publish(random);
        assertThat(topic.latest(MODEL)).map(ModelBundle::getVersion).contains(random.getVersion());

        TrainingConfig training = TrainingConfig.defaults().withHiddenSize(16).withMaxEpochs(4)
                .withChurnHorizon(HORIZON);
        TrainJobConfig job = TrainJobConfig.defaults().withOutBase(out).withPublishing(client, weights);

        // a trained model beats the seeded-random one
        TrainResult trained = TrainJob.run(history, job.withTraining(training), TrainingProgress.NONE);
        assertThat(trained.verdict().publish()).as(trained.verdict().reason()).isTrue();
        assertThat(trained.verdict().currentVersion()).isEqualTo(random.getVersion());
        assertThat(trained.published()).isTrue();
        assertThat(topic.latest(MODEL)).map(ModelBundle::getVersion).contains(trained.bundle().getVersion());

        // one epoch at a tiny learning rate does not beat it, and the topic keeps the trained model
        TrainResult untrained = TrainJob.run(history, job.withTraining(training.withMaxEpochs(1)
                .withLearningRate(1e-5).withSeed(2)), TrainingProgress.NONE);
        assertThat(untrained.verdict().publish()).as(untrained.verdict().reason()).isFalse();
        assertThat(untrained.verdict().currentVersion()).isEqualTo(trained.bundle().getVersion());
        assertThat(untrained.published()).isFalse();
        assertThat(topic.latest(MODEL)).map(ModelBundle::getVersion).contains(trained.bundle().getVersion());
        assertThat(untrained.outDir().resolve(TrainJob.BUNDLE_FILE)).as("the loser is kept for inspection")
                .isNotEmptyFile();
    }

    private static void produce(LocalInfra infra, String events, String labels, SimulatedHistory simulated) {
        Map<String, Object> serde = Map.of("schema.registry.url", infra.schemaRegistryUrl());
        try (AvroSerializer<UserEvent> eventSerializer = new AvroSerializer<>();
             AvroSerializer<Label> labelSerializer = new AvroSerializer<>();
             KafkaProducer<String, byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                     infra.bootstrapServers()), new StringSerializer(), new ByteArraySerializer())) {
            eventSerializer.configure(serde, false);
            labelSerializer.configure(serde, false);
            for (UserEvent event : simulated.userEvents()) {
                producer.send(new ProducerRecord<>(events, event.getUserId(),
                        eventSerializer.serialize(events, event)));
            }
            producer.send(new ProducerRecord<>(events, "someone", "not avro".getBytes(StandardCharsets.UTF_8)));
            for (Label label : simulated.labels()) {
                producer.send(new ProducerRecord<>(labels, label.getUserId(),
                        labelSerializer.serialize(labels, label)));
            }
            producer.flush();
        }
    }
}
