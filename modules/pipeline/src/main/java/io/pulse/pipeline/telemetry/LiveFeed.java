package io.pulse.pipeline.telemetry;

import io.pulse.contracts.Alert;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * What the live dashboard shows, kept in memory by each instance: event rate and event-to-prediction latency per
 * second, score distributions of the latest predictions, the latest alerts, and short timelines of recently active
 * users. Bounded in every dimension; best effort (it sees what this instance processed, including attempts a crash
 * later rolled back), so it is a view for people, not a source of truth — that is the output topics.
 */
public final class LiveFeed {

    /**
     * One point of a user's timeline: the event and the prediction that followed it, kept by reference (both are
     * immutable once written), so recording costs no copy on the per-event path.
     *
     * <p>The user page's interest trajectory is read from these points too (each prediction's top next categories
     * and interest shift, and the newest one's recommendations), so a timeline is also the user's bounded interest
     * history: at most {@code timelineUsers} users of {@code timelinePoints} points each, least recently active user
     * evicted first. A point retains what was written anyway, except that once a newer point arrives its
     * prediction is replaced by a shallow copy without recommendations (they are only shown for the newest point,
     * and at {@code interests.recommendations.k} = 10 they would triple the interest fields' size). With interest
     * heads an older point then holds {@code interests.categories.k} categories (ids shared with the model's
     * catalogue) and the shift, about 150 bytes at the default k = 3: at most about 40 MB for 5,000 users × 50
     * points, plus one set of recommendations (about 0.4 KB at K = 10) per user.
     */
    public record TimelinePoint(UserEvent event, Prediction prediction) {
    }

    /** One second of throughput: events scored and the 99th percentile latency within it. */
    public record Second(long epochSecond, int events, double p99Millis) {
    }

    private static final int SECONDS = 120;
    /** Latencies kept per second for its p99 (the first ones of the second). */
    private static final int SAMPLES_PER_SECOND = 1000;
    private static final int LATENCY_SAMPLES = 4096;
    private static final int HISTOGRAM_WINDOW = 5000;
    private static final int BINS = 20;
    private static final int ALERTS = 100;
    private static final int RECENT_USERS = 20;
    private static final int PREDICTION_FIELDS = Prediction.getClassSchema().getFields().size();

    private final int timelineUsers;
    private final int timelinePoints;

    private final double[] latencies = new double[LATENCY_SAMPLES];
    private int latencyNext;
    private int latencyCount;

    /** The last {@link #SECONDS} seconds, oldest first; primitive arrays, so counting an event allocates nothing. */
    private final Deque<SecondBucket> perSecond = new ArrayDeque<>();

    private final float[] recentChurn = new float[HISTOGRAM_WINDOW];
    private final float[] recentFraud = new float[HISTOGRAM_WINDOW];
    private final int[] churnBins = new int[BINS];
    private final int[] fraudBins = new int[BINS];
    private int scoreNext;
    private int scoreCount;

    private final Deque<Alert> alerts = new ArrayDeque<>();
    private final LinkedHashSet<String> recentUsers = new LinkedHashSet<>();
    private final LinkedHashMap<String, Deque<TimelinePoint>> timelines;

    public LiveFeed(int timelineUsers, int timelinePoints) {
        this.timelineUsers = timelineUsers;
        this.timelinePoints = timelinePoints;
        this.timelines = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Deque<TimelinePoint>> eldest) {
                return size() > LiveFeed.this.timelineUsers;
            }
        };
    }

    /** Called for every prediction written; {@code ingestMillis} is the input record's timestamp. */
    public synchronized void onPrediction(UserEvent event, Prediction prediction, long ingestMillis, long nowMillis) {
        double latency = Math.max(0, nowMillis - ingestMillis);
        latencies[latencyNext] = latency;
        latencyNext = (latencyNext + 1) % LATENCY_SAMPLES;
        latencyCount = Math.min(latencyCount + 1, LATENCY_SAMPLES);
        countSecond(nowMillis / 1000, latency);

        if (scoreCount == HISTOGRAM_WINDOW) {
            churnBins[bin(recentChurn[scoreNext])]--;
            fraudBins[bin(recentFraud[scoreNext])]--;
        }
        recentChurn[scoreNext] = (float) prediction.getChurnProbability();
        recentFraud[scoreNext] = (float) prediction.getFraudScore();
        churnBins[bin(recentChurn[scoreNext])]++;
        fraudBins[bin(recentFraud[scoreNext])]++;
        scoreNext = (scoreNext + 1) % HISTOGRAM_WINDOW;
        scoreCount = Math.min(scoreCount + 1, HISTOGRAM_WINDOW);

        String userId = event.getUserId();
        recentUsers.remove(userId);
        recentUsers.add(userId);
        if (recentUsers.size() > RECENT_USERS) {
            recentUsers.remove(recentUsers.iterator().next());
        }
        Deque<TimelinePoint> timeline = timelines.computeIfAbsent(userId, id -> new ArrayDeque<>());
        TimelinePoint previous = timeline.peekLast();
        if (previous != null && !previous.prediction().getRecommendations().isEmpty()) {
            // only the newest point's recommendations are shown: older points keep their categories and shift only
            timeline.removeLast();
            timeline.addLast(new TimelinePoint(previous.event(), withoutRecommendations(previous.prediction())));
        }
        timeline.addLast(new TimelinePoint(event, prediction));
        if (timeline.size() > timelinePoints) {
            timeline.removeFirst();
        }
    }

    /** A shallow copy (every field shared, one object allocated) with no recommendations. */
    static Prediction withoutRecommendations(Prediction prediction) {
        Prediction copy = new Prediction();
        for (int field = 0; field < PREDICTION_FIELDS; field++) {
            copy.put(field, prediction.get(field));
        }
        copy.setRecommendations(List.of());
        return copy;
    }

    public synchronized void onAlert(Alert alert) {
        alerts.addFirst(alert);
        if (alerts.size() > ALERTS) {
            alerts.removeLast();
        }
    }

    private void countSecond(long second, double latency) {
        SecondBucket last = perSecond.peekLast();
        if (last == null || second > last.epochSecond) {
            perSecond.addLast(new SecondBucket(second));
            while (perSecond.size() > SECONDS) {
                perSecond.removeFirst();
            }
        }
        // stream threads' clocks may lag each other by a second: a late second counts into the newest one
        SecondBucket current = perSecond.peekLast();
        current.events++;
        if (current.sampled < current.latencies.length) {
            current.latencies[current.sampled++] = latency;
        }
    }

    /** One second of the series: the events counted in it and the first {@link #SAMPLES_PER_SECOND} latencies. */
    private static final class SecondBucket {
        final long epochSecond;
        final double[] latencies = new double[SAMPLES_PER_SECOND];
        int events;
        int sampled;

        SecondBucket(long epochSecond) {
            this.epochSecond = epochSecond;
        }
    }

    private static int bin(float score) {
        return Math.min(BINS - 1, Math.max(0, (int) (score * BINS)));
    }

    /** Events per second over the last complete seconds up to {@code nowMillis} (a 10 s average). */
    public synchronized double eventsPerSecond(long nowMillis) {
        long now = nowMillis / 1000;
        long total = 0;
        for (SecondBucket second : perSecond) {
            if (second.epochSecond < now && second.epochSecond >= now - 10) {
                total += second.events;
            }
        }
        return total / 10.0;
    }

    /** Latency percentile (0–100) over the latest samples, in milliseconds; NaN with no samples. */
    public synchronized double latencyPercentile(double percentile) {
        if (latencyCount == 0) {
            return Double.NaN;
        }
        double[] sorted = Arrays.copyOf(latencies, latencyCount);
        Arrays.sort(sorted);
        return percentileOf(sorted, percentile);
    }

    private static double percentileOf(double[] sorted, double percentile) {
        int index = (int) Math.ceil(percentile / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    public synchronized List<Second> seconds() {
        List<Second> series = new ArrayList<>();
        for (SecondBucket second : perSecond) {
            double[] sample = Arrays.copyOf(second.latencies, second.sampled);
            Arrays.sort(sample);
            series.add(new Second(second.epochSecond, second.events, sample.length == 0 ? 0
                    : percentileOf(sample, 99)));
        }
        return series;
    }

    public synchronized int[] churnHistogram() {
        return churnBins.clone();
    }

    public synchronized int[] fraudHistogram() {
        return fraudBins.clone();
    }

    public synchronized List<Alert> alerts(int limit) {
        return alerts.stream().limit(limit).toList();
    }

    /** Most recently active users, most recent first. */
    public synchronized List<String> recentUsers() {
        List<String> users = new ArrayList<>(recentUsers);
        Collections.reverse(users);
        return users;
    }

    /**
     * Forgets everything this feed holds about {@code userId} (erasure): the user's timeline, their place among the
     * recently active users and their alerts. The anonymous aggregates (rates, latencies, score histograms) keep no
     * user ids and stay.
     *
     * @return how many entries were removed (timeline points + alerts + the recent-users entry)
     */
    public synchronized long forget(String userId) {
        long removed = 0;
        Deque<TimelinePoint> timeline = timelines.remove(userId);
        if (timeline != null) {
            removed += timeline.size();
        }
        if (recentUsers.remove(userId)) {
            removed++;
        }
        int alertsBefore = alerts.size();
        alerts.removeIf(alert -> userId.equals(alert.getUserId()));
        removed += alertsBefore - alerts.size();
        return removed;
    }

    /** The user's latest points, oldest first; empty if this instance has none in memory. */
    public synchronized List<TimelinePoint> timeline(String userId) {
        Deque<TimelinePoint> timeline = timelines.get(userId);
        return timeline == null ? List.of() : List.copyOf(timeline);
    }
}
