package io.pulse.benchmarks;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.contracts.EventType;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.Catalogue;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import io.pulse.model.Scores;
import io.pulse.pipeline.processing.InterestSettings;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.pipeline.telemetry.Telemetry;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.time.Instant;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the interest heads per event (issue 13's goal: new heads plus top-K over a 12k-item catalogue at most
 * 50 µs median per event), on {@link BenchCatalogue}'s version-2 model (12,000 items, 50 level-2 categories, hidden
 * 64, item embedding 64, category embedding 8, seeded random weights). Sampled per invocation
 * ({@link Mode#SampleTime}), so {@link InterestCostBenchmark} reports medians and percentiles, not only means:
 * <ul>
 *   <li>{@code v1StepAndHeads}: the version-1 step and heads of the same hidden size ({@code LstmStepBenchmark}'s
 *       {@code oursVector}), the cost the interest work is added to;</li>
 *   <li>{@code stepWithEmbeddings}: the version-2 LSTM step reading the item's and the category's embeddings;</li>
 *   <li>{@code heads}: all heads of the version-2 model (next action, churn, fraud and the 51-way next category);</li>
 *   <li>{@code nextItems}: {@link LstmModel#nextItems} top-K (K = 10 and 20) over the 12,000 items with 30 excluded
 *       (seen) rows;</li>
 *   <li>{@code perEventInterests}: everything a version-2 event costs the pipeline beyond the version-1 path, run
 *       through the pipeline's own per-event interest code ({@code io.pulse.pipeline.processing.Interests}, as
 *       {@code ScoreProcessor} calls it): catalogue lookups of the event's item id and category path, the step, the
 *       re-warm ring, the heads, then the seen set, the top-3 next categories, the top-K recommendations without the
 *       user's 30 seen items, the Jensen–Shannon interest shift and the profile update, filling a {@link Prediction}.
 *       {@code Interests} is package-private, so it is reached through a method handle (no copy of its logic here);
 *       the handles are constants, which the JIT inlines like a direct call.</li>
 *   <li>{@code perEventServed}: the same with what a trained bundle serves besides the heads
 *       ({@link BenchCatalogue#servedBundle}: the co-occurrence prior of the user's last 4 items, the category and
 *       brand affinities of their seen items and the category history in the next categories).</li>
 * </ul>
 * Hidden states, events and seen sets rotate through 1,024 (256 users for the per-event path) so nothing is
 * constant-folded; every method returns its result.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class InterestStepBenchmark {

    static final int ROTATION = 1024;
    static final int USERS = 256;
    /** Seen items excluded from the recommendations per event. */
    static final int SEEN = 30;
    static final int CATEGORIES_K = 3;

    /** The version-2 model, random events on its catalogue, and hidden states the model reached on them. */
    @State(Scope.Benchmark)
    public static class Model {
        LstmModel model;
        /** {@link #model} with a co-occurrence prior, category and brand affinities, category history (as trained). */
        LstmModel served;
        LstmModel v1;
        float[][] inputs;
        int[] itemRows;
        int[] categoryRows;
        float[][] hiddens;

        @Setup(Level.Trial)
        public void setUp() {
            model = BenchCatalogue.model("bench-interests");
            served = ModelBundles.toModel(BenchCatalogue.servedBundle("bench-interests"));
            v1 = ModelBundles.toModel(ModelBundles.seededRandom("bench", BenchCatalogue.SEED, BenchCatalogue.HIDDEN));
            Random random = new Random(7);
            inputs = new float[ROTATION][model.inputSize()];
            itemRows = new int[ROTATION];
            categoryRows = new int[ROTATION];
            Catalogue catalogue = model.catalogue();
            for (int i = 0; i < ROTATION; i++) {
                for (int j = 0; j < inputs[i].length; j++) {
                    inputs[i][j] = (float) random.nextGaussian();
                }
                itemRows[i] = 1 + random.nextInt(BenchCatalogue.ITEMS);
                categoryRows[i] = catalogue.itemCategory(itemRows[i]);
            }
            hiddens = new float[ROTATION][model.hiddenSize()];
            float[] h = new float[model.hiddenSize()];
            float[] c = new float[model.hiddenSize()];
            for (int i = 0; i < ROTATION; i++) {
                model.step(inputs[i], itemRows[i], categoryRows[i], h, c);
                hiddens[i] = h.clone();
            }
            System.out.println("kernel: " + model.kernelName() + "; " + model);
        }
    }

    /** One user's recurrent state and the scores the heads write. */
    @State(Scope.Thread)
    public static class Step {
        float[] h;
        float[] c;
        Scores scores;
        Scores v1Scores;
        int next;

        @Setup(Level.Trial)
        public void setUp(Model m) {
            h = new float[m.model.hiddenSize()];
            c = new float[m.model.hiddenSize()];
            scores = Scores.forModel(m.model);
            v1Scores = Scores.forModel(m.v1);
        }
    }

    /** Top-K: K, and 30 excluded rows per hidden state. */
    @State(Scope.Thread)
    public static class TopK {
        @Param({"10", "20"})
        int k;
        int[][] excluded;
        int[] rows;
        float[] scores;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            Random random = new Random(11);
            excluded = new int[ROTATION][SEEN];
            for (int[] seen : excluded) {
                for (int j = 0; j < SEEN; j++) {
                    seen[j] = 1 + random.nextInt(BenchCatalogue.ITEMS);
                }
            }
            rows = new int[k];
            scores = new float[k];
        }
    }

    /**
     * The pipeline's per-event interest path: an {@code Interests} with K recommendations, a 30-item seen set and
     * the default 3 categories and profile decay; 256 users with 30 seen items each; 1,024 events with catalogue
     * item ids and level-3 category paths.
     */
    @State(Scope.Thread)
    public static class PerEvent {
        @Param({"10", "20"})
        int k;
        Object interests;
        UserState[] users;
        UserEvent[] events;
        Scores scores;
        Prediction prediction;
        int next;

        @Setup(Level.Trial)
        public void setUp(Model m) throws Throwable {
            LstmModel model = m.model;
            InterestSettings defaults = InterestSettings.defaults();
            InterestSettings settings = new InterestSettings(CATEGORIES_K, k, SEEN, true, defaults.profileDecay());
            Telemetry telemetry = new PipelineMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
            interests = PipelineInterests.NEW.invokeExact(settings, telemetry);
            Random random = new Random(13);
            events = new UserEvent[ROTATION];
            for (int i = 0; i < ROTATION; i++) {
                events[i] = event(i, 1 + random.nextInt(BenchCatalogue.ITEMS));
            }
            scores = Scores.forModel(model);
            prediction = new Prediction();
            users = new UserState[USERS];
            for (int u = 0; u < USERS; u++) {
                users[u] = UserState.newUser(model.hiddenSize(), model.featureSpec());
                // a history of 40 distinct items: the seen set full, the profile and the re-warm ring filled
                for (int e = 0; e < SEEN + 10; e++) {
                    UserEvent event = event(u, 1 + (u * 41 + e * 293) % BenchCatalogue.ITEMS);
                    perEvent(interests, model, event, m.inputs[e], users[u], scores, prediction);
                }
                if (users[u].seenItems().size() != SEEN) {
                    throw new IllegalStateException("user " + u + " has " + users[u].seenItems().size()
                            + " seen items, not " + SEEN);
                }
            }
        }
    }

    /** A view of catalogue item {@code row} with its level-3 category path. */
    static UserEvent event(int n, int row) {
        return UserEvent.newBuilder()
                .setEventId("event-" + n)
                .setUserId("user-" + n % USERS)
                .setType(EventType.VIEW)
                .setEventTime(Instant.EPOCH)
                .setItemId(BenchCatalogue.itemId(row))
                .setCategory(BenchCatalogue.eventCategory(row))
                .build();
    }

    /** The package-private {@code Interests} of the pipeline, reached as method handles (constants for the JIT). */
    static final class PipelineInterests {
        static final MethodHandle NEW;
        static final MethodHandle STEP;
        static final MethodHandle COMPLETE;

        static {
            try {
                Class<?> type = Class.forName("io.pulse.pipeline.processing.Interests");
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup());
                NEW = lookup.findConstructor(type, MethodType.methodType(void.class, InterestSettings.class,
                        Telemetry.class)).asType(MethodType.methodType(Object.class, InterestSettings.class,
                        Telemetry.class));
                STEP = lookup.findVirtual(type, "step", MethodType.methodType(void.class, LstmModel.class,
                                UserEvent.class, float[].class, float[].class, UserState.class))
                        .asType(MethodType.methodType(void.class, Object.class, LstmModel.class, UserEvent.class,
                                float[].class, float[].class, UserState.class));
                COMPLETE = lookup.findVirtual(type, "complete", MethodType.methodType(void.class, Prediction.class,
                                LstmModel.class, UserState.class, Scores.class))
                        .asType(MethodType.methodType(void.class, Object.class, Prediction.class, LstmModel.class,
                                UserState.class, Scores.class));
            } catch (ReflectiveOperationException e) {
                throw new ExceptionInInitializerError("the pipeline's Interests changed its per-event methods; adapt"
                        + " InterestStepBenchmark.PipelineInterests: " + e);
            }
        }

        private PipelineInterests() {
        }
    }

    /** What {@code ScoreProcessor} does for a version-2 event beyond the version-1 path, in its order. */
    static void perEvent(Object interests, LstmModel model, UserEvent event, float[] input, UserState state,
            Scores scores, Prediction prediction) throws Throwable {
        PipelineInterests.STEP.invokeExact(interests, model, event, input, input, state);
        model.heads(state.hidden(), scores);
        PipelineInterests.COMPLETE.invokeExact(interests, prediction, model, state, scores);
    }

    @Benchmark
    public float v1StepAndHeads(Model m, Step s) {
        m.v1.predict(m.inputs[s.next++ & (ROTATION - 1)], s.h, s.c, s.v1Scores);
        return s.v1Scores.nextAction[0] + s.v1Scores.churn;
    }

    @Benchmark
    public float stepWithEmbeddings(Model m, Step s) {
        int i = s.next++ & (ROTATION - 1);
        m.model.step(m.inputs[i], m.itemRows[i], m.categoryRows[i], s.h, s.c);
        return s.h[0];
    }

    @Benchmark
    public float heads(Model m, Step s) {
        m.model.heads(m.hiddens[s.next++ & (ROTATION - 1)], s.scores);
        return s.scores.nextCategory[1] + s.scores.churn;
    }

    @Benchmark
    public int nextItems(Model m, TopK t) {
        int i = t.next++ & (ROTATION - 1);
        int found = m.model.nextItems(m.hiddens[i], t.k, t.excluded[i], SEEN, t.rows, t.scores);
        return found + t.rows[0];
    }

    @Benchmark
    public Prediction perEventInterests(Model m, PerEvent p) throws Throwable {
        return nextEvent(m, m.model, p);
    }

    @Benchmark
    public Prediction perEventServed(Model m, PerEvent p) throws Throwable {
        return nextEvent(m, m.served, p);
    }

    /** The next event of the rotation through {@code model}'s per-event interest work. */
    private static Prediction nextEvent(Model m, LstmModel model, PerEvent p) throws Throwable {
        int i = p.next++;
        int e = i & (ROTATION - 1);
        // each pass over the events moves every event to the next user, so a user's events keep changing
        UserState user = p.users[(i + (i >>> 10)) & (USERS - 1)];
        perEvent(p.interests, model, p.events[e], m.inputs[e], user, p.scores, p.prediction);
        return p.prediction;
    }
}
