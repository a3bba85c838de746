package io.pulse.evaluation;

import static org.assertj.core.api.Assertions.assertThat;

import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.Provenance;
import io.pulse.contracts.UserEvent;
import io.pulse.contracts.schema.PulseTopics;
import io.pulse.model.Catalogue;
import io.pulse.pipeline.PulseConfig;
import io.pulse.pipeline.PulseTopology;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.registry.MockSchemaRegistry;
import io.pulse.registry.serde.TopicSerdes;
import io.pulse.simulator.InterestTruth;
import io.pulse.simulator.SimulatedCatalogue;
import io.pulse.simulator.SimulatedEvent;
import io.pulse.simulator.SimulatedHistory;
import io.pulse.simulator.SimulationConfig;
import io.pulse.trainer.data.History;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.eval.Metrics;
import io.pulse.trainer.train.InterestConfig;
import io.pulse.trainer.train.LstmTrainer;
import io.pulse.trainer.train.TrainedNetwork;
import io.pulse.trainer.train.TrainingConfig;
import io.pulse.trainer.train.TrainingProgress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interest shift the pipeline publishes rises at the simulated users' true interest switches, and the
 * next-category head approaches their true interests. Given a small interest model trained with Pulse's trainer on a
 * simulated history (users whose level-2 category interests drift and sometimes switch), when another simulated
 * population (another seed: users the model never saw) is scored through the production topology
 * ({@link PulseTopology#build} in a {@link TopologyTestDriver}, the model adopted from {@code model-weights}), then the
 * published {@code interestShift} ranks the first events after a true switch above the others, and the published
 * next-category distribution is closer to the user's true distribution once Pulse has seen some of the user's events.
 */
class InterestShiftAtSwitchesTest {

    /** Events that count as "at a switch": the first few of the user's events under the new interests. */
    private static final int AFTER_SWITCH = 5;
    /** A user's first events are left out of the AUC: there is no profile yet to shift from. */
    private static final int WARM_UP = 10;
    private static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
    private static final SimulationConfig SIMULATION = SimulationConfig.defaults().withStart(START)
            .withMeanSessionGap(Duration.ofHours(8)).withInterestSwitchRate(0.08);

    @TempDir
    static Path stateDir;
    private static final List<Prediction> PREDICTIONS = new ArrayList<>();
    private static final Map<String, SimulatedEvent> TRUTH = new HashMap<>();

    @BeforeAll
    static void givenAModelTrainedOnSimulatedInterestsScoringNewUsers() throws Exception {
        long started = System.nanoTime();
        SimulatedHistory training = SimulatedHistory.generate(SIMULATION.withSeed(21).withUsers(80),
                Duration.ofDays(14));
        ModelBundle bundle = train(History.of(training));
        long trained = System.nanoTime();
        System.out.printf(Locale.ROOT, "interest shift test: %d training events, trained in %.1f s%n",
                training.events().size(), (trained - started) / 1e9);

        SimulatedHistory scored = SimulatedHistory.generate(SIMULATION.withSeed(22).withUsers(60),
                Duration.ofDays(21));
        scored.events().forEach(e -> TRUTH.put(e.event().getEventId(), e));
        score(bundle, scored);
        System.out.printf(Locale.ROOT, "interest shift test: %d events scored in %.1f s%n", PREDICTIONS.size(),
                (System.nanoTime() - trained) / 1e9);
    }

    private static ModelBundle train(History history) {
        TrainingConfig config = TrainingConfig.defaults().withHiddenSize(16).withMaxEpochs(3).withPatience(3)
                .withBatchSize(16).withChunks(20, 5).withLearningRate(0.06)
                .withChurnHorizon(Duration.ofDays(1)).withSeed(5);
        InterestConfig interests = new InterestConfig(8, 4, 2, null);
        TrainingData data = TrainingData.build(history, config.churnHorizon(), config.trainFraction(),
                config.validationFraction());
        TrainedNetwork network = LstmTrainer.train(data, interests.spec(data.normalisedSpec()), config,
                interests.catalogue(data), TrainingProgress.NONE);
        network.epochs().forEach(e -> System.out.printf(Locale.ROOT, "epoch %d: %.1f s, validation %.4f%n",
                e.epoch(), e.seconds(), e.validation().mean()));
        Provenance provenance = Provenance.newBuilder().setProducer("interest-shift-test").setProducerVersion("test")
                .setSeed(config.seed()).setDataFrom(data.split().from()).setDataTo(data.split().to())
                .setConfig(Map.of()).build();
        return network.toBundle("pulse-lstm", "interest-shift-test", provenance).build();
    }

    private static void score(ModelBundle bundle, SimulatedHistory history) {
        Map<String, Object> settings = new HashMap<>();
        settings.put(PulseConfig.APPLICATION_ID, "pulse-interest-shift-test");
        settings.put(PulseConfig.BOOTSTRAP_SERVERS, "topology-test-driver:9092");
        settings.put(PulseConfig.SCHEMA_REGISTRY_URL, "mock://interest-shift-test");
        settings.put(PulseConfig.STATE_DIR, stateDir.toString());
        settings.put(PulseConfig.MODEL_NAME, bundle.getName());
        settings.put(PulseConfig.CHURN_HORIZON_MS, String.valueOf(Duration.ofDays(1).toMillis()));
        // every category with its probability, to compare the whole distribution with the truth
        settings.put(PulseConfig.INTERESTS_CATEGORIES_K, "64");
        PulseConfig config = new PulseConfig(settings);
        Map<String, Object> serdeConfig = config.serdeConfig();
        ModelHolder models = PulseTopology.fallbackModel(config);
        // the pipeline's clock at the end of the history: events from its past are scored, none is "in the future"
        Instant now = history.end();
        try (TopologyTestDriver driver = new TopologyTestDriver(PulseTopology.build(config, models,
                PipelineMetrics.inMemory()), config.streamsProperties(), now);
             Serde<UserEvent> events = TopicSerdes.valueSerde(PulseTopics.USER_EVENTS, serdeConfig);
             Serde<ModelBundle> bundles = TopicSerdes.valueSerde(PulseTopics.MODEL_WEIGHTS, serdeConfig);
             Serde<Prediction> predictions = TopicSerdes.valueSerde(PulseTopics.USER_PREDICTIONS, serdeConfig)) {
            String eventsTopic = config.topic(PulseConfig.TOPIC_USER_EVENTS);
            String weightsTopic = config.topic(PulseConfig.TOPIC_MODEL_WEIGHTS);
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic(eventsTopic, new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestInputTopic<byte[], byte[]> weights = driver.createInputTopic(weightsTopic, new ByteArraySerializer(),
                    new ByteArraySerializer());
            TestOutputTopic<String, Prediction> out = driver.createOutputTopic(
                    config.topic(PulseConfig.TOPIC_PREDICTIONS), new StringDeserializer(),
                    predictions.deserializer());
            weights.pipeInput(bundle.getName().getBytes(StandardCharsets.UTF_8),
                    bundles.serializer().serialize(weightsTopic, bundle), START.toEpochMilli());
            assertThat(models.current().version()).isEqualTo(bundle.getVersion());
            assertThat(models.current().hasInterests()).isTrue();
            for (SimulatedEvent simulated : history.events()) {
                UserEvent event = simulated.event();
                in.pipeInput(event.getUserId().getBytes(StandardCharsets.UTF_8),
                        events.serializer().serialize(eventsTopic, event), event.getEventTime().toEpochMilli());
                PREDICTIONS.addAll(out.readValuesToList());
            }
        } finally {
            MockSchemaRegistry.dropScope("interest-shift-test");
        }
        assertThat(PREDICTIONS).hasSize(history.events().size());
    }

    @Test
    void shouldRaiseTheInterestShiftAtTrueSwitches() {
        Map<String, Integer> seen = new HashMap<>();
        List<Double> scores = new ArrayList<>();
        List<Integer> atSwitch = new ArrayList<>();
        for (Prediction prediction : PREDICTIONS) {
            int index = seen.merge(prediction.getUserId(), 1, Integer::sum);
            SimulatedEvent simulated = TRUTH.get(prediction.getEventId());
            if (index <= WARM_UP || simulated.truth().fraud()) {
                continue;
            }
            scores.add(prediction.getInterestShift());
            atSwitch.add(simulated.truth().interests().withinEventsOfSwitch(AFTER_SWITCH) ? 1 : 0);
        }
        int positives = atSwitch.stream().mapToInt(Integer::intValue).sum();
        double auc = Metrics.rocAuc(scores.stream().mapToDouble(Double::doubleValue).toArray(),
                atSwitch.stream().mapToInt(Integer::intValue).toArray());
        System.out.printf(Locale.ROOT, "interest shift AUC, first %d events after a true switch vs the other events:"
                + " %.3f (%d of %d events after a switch)%n", AFTER_SWITCH, auc, positives, scores.size());

        System.out.printf(Locale.ROOT, "interest shift after a switch: median %.3f; elsewhere: median %.3f, 90th"
                + " percentile %.3f, 99th %.3f%n", quantile(scores, atSwitch, 1, 0.5), quantile(scores, atSwitch, 0, 0.5),
                quantile(scores, atSwitch, 0, 0.9), quantile(scores, atSwitch, 0, 0.99));

        assertThat(positives).as("enough switches to measure").isGreaterThan(200);
        // 0.71 with these seeds; chance is 0.5
        assertThat(auc).isGreaterThan(0.65);
    }

    @Test
    void shouldBringTheNextCategoryDistributionCloseToTheTrueInterests() {
        List<String> categories = SimulatedCatalogue.get().interestCategories();
        Map<String, Integer> seen = new HashMap<>();
        double[] early = new double[2]; // sum of distances, count: the user's first 3 events
        double[] later = new double[2]; // from the user's 20th event
        double[] uniform = new double[2];
        for (Prediction prediction : PREDICTIONS) {
            int index = seen.merge(prediction.getUserId(), 1, Integer::sum);
            InterestTruth truth = TRUTH.get(prediction.getEventId()).truth().interests();
            double distance = totalVariation(predicted(prediction, categories), truth.categories());
            if (index <= 3) {
                add(early, distance);
            } else if (index >= 20) {
                add(later, distance);
                add(uniform, totalVariation(uniformOver(categories.size()), truth.categories()));
            }
        }
        double earlyMean = early[0] / early[1];
        double laterMean = later[0] / later[1];
        double uniformMean = uniform[0] / uniform[1];
        System.out.printf(Locale.ROOT, "next-category distribution vs the true interests, mean total variation:"
                + " first 3 events %.3f, from the 20th event %.3f, uniform guess %.3f%n", earlyMean, laterMean,
                uniformMean);

        // with these seeds: 0.56 over the first events, 0.50 from the 20th, 0.60 for a uniform guess
        assertThat(laterMean).isLessThan(earlyMean - 0.02).isLessThan(uniformMean - 0.05);
    }

    /** The {@code q} quantile of the scores of the events labelled {@code label}. */
    private static double quantile(List<Double> scores, List<Integer> labels, int label, double q) {
        double[] selected = new double[scores.size()];
        int n = 0;
        for (int i = 0; i < scores.size(); i++) {
            if (labels.get(i) == label) {
                selected[n++] = scores.get(i);
            }
        }
        Arrays.sort(selected, 0, n);
        return selected[Math.min(n - 1, (int) (q * n))];
    }

    /** The published next-category probabilities over the simulator's level-2 categories, renormalised. */
    private static double[] predicted(Prediction prediction, List<String> categories) {
        double[] p = new double[categories.size()];
        double sum = 0;
        for (CategoryProbability category : prediction.getNextCategories()) {
            int index = categories.indexOf(category.getCategory());
            assertThat(category.getCategory()).isNotEqualTo(Catalogue.UNKNOWN_CATEGORY);
            if (index >= 0) {
                p[index] = category.getProbability();
                sum += category.getProbability();
            }
        }
        for (int i = 0; i < p.length; i++) {
            p[i] = sum > 0 ? p[i] / sum : 1.0 / p.length;
        }
        return p;
    }

    private static double[] uniformOver(int n) {
        double[] p = new double[n];
        Arrays.fill(p, 1.0 / n);
        return p;
    }

    private static double totalVariation(double[] p, float[] q) {
        double distance = 0;
        for (int i = 0; i < p.length; i++) {
            distance += Math.abs(p[i] - q[i]);
        }
        return distance / 2;
    }

    private static void add(double[] mean, double value) {
        mean[0] += value;
        mean[1]++;
    }
}
