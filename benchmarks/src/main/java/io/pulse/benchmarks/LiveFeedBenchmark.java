package io.pulse.benchmarks;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.EventType;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.pipeline.telemetry.LiveFeed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the dashboard's live feed costs the stream thread per prediction ({@link LiveFeed#onPrediction}, called for
 * every event), with its default sizes (500 users' timelines of 50 points) and {@code users} active users taking turns,
 * as in the end-to-end benchmark's workload: more active users than timelines. The feed's clock advances by a
 * millisecond every 40 predictions (40,000 events a second, about what the end-to-end benchmark's full pipeline
 * scores), so the feed sees as many users active within a minute as it would there. Run with {@code -prof gc} for
 * the bytes allocated per event ({@code gc.alloc.rate.norm}). Version-1 predictions (eight next-action
 * probabilities, no interest fields).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class LiveFeedBenchmark {

    @Param({"10000"})
    public int users;

    private LiveFeed feed;
    private UserEvent[] events;
    private Prediction[] predictions;
    private int next;
    private long scored;

    @Setup
    public void setUp() {
        feed = new LiveFeed(LiveFeed.DEFAULT_TIMELINE_USERS, LiveFeed.DEFAULT_TIMELINE_POINTS);
        Instant at = Instant.parse("2026-12-06T00:00:00Z");
        List<ActionProbability> actions = new ArrayList<>();
        for (EventType type : EventType.values()) {
            actions.add(new ActionProbability(type.name(), 1.0 / EventType.values().length));
        }
        events = new UserEvent[users];
        predictions = new Prediction[users];
        for (int u = 0; u < users; u++) {
            String user = "user-" + u;
            events[u] = UserEvent.newBuilder().setEventId("event-" + u).setUserId(user).setType(EventType.VIEW)
                    .setEventTime(at).setItemId("item-" + u % 997).setCategory("category-" + u % 31).build();
            // as the pipeline builds it (Predictions.of), without the builder's copies of the interest fields
            predictions[u] = new Prediction("event-" + u, user, at, at, "pulse-lstm", "v1", actions, 0.1,
                    86_400_000L, 0.01, (long) u, new ArrayList<>(0), new ArrayList<>(0), null);
        }
    }

    @Benchmark
    public void onPrediction() {
        int u = next;
        next = u + 1 == users ? 0 : u + 1;
        long now = 1_000_000L + scored++ / 40;
        feed.onPrediction(events[u], predictions[u], now - 50, now);
    }
}
