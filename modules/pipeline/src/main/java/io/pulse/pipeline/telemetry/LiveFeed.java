package io.pulse.pipeline.telemetry;

import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.Alert;
import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the live dashboard shows, kept in memory by each instance: event rate and event-to-prediction latency per
 * second, score distributions of the latest predictions, the latest alerts, and short timelines of recently active
 * users. Bounded in every dimension; best effort (it sees what this instance processed, including attempts a crash
 * later rolled back), so it is a view for people, not a source of truth — that is the output topics.
 *
 * <p><b>Followed users.</b> Timelines are kept for at most {@code timelineUsers} users, the most recently active
 * first. While no more users than that are active, every user is followed. When more are — the feed drops a user who
 * was active within the last minute to make room for another — it follows a stable sample instead: the users whose
 * id hashes into one of every 2, 4, 8, … buckets ({@link #followedOneIn()}), halving the sample at most once a second
 * until the followed users fit, and doubling it again once fewer than a quarter of the timelines have been active
 * within a minute. So a followed user keeps a full timeline under any load, the recent-users list (followed users
 * only, so each one it shows has a timeline) stops changing faster than anyone can read it, and an event of a user
 * who is not followed costs a hash instead of two map updates and a point: on the stream thread, a timeline map
 * touched for every event was 7.6 % of the full pipeline's samples at ten thousand active users (benchmarks/README.md,
 * item 21). The rates, latencies and histograms count every event.
 */
public final class LiveFeed {

    /**
     * One point of a user's timeline: the event and the prediction that followed it, copied into primitives and
     * shared strings when it is recorded. The feed holds up to {@code timelineUsers × timelinePoints} of them for
     * seconds to minutes, longer than a young collection, so everything a point keeps alive is copied by the
     * collector until it is promoted. Keeping the {@link UserEvent} and {@link Prediction} themselves held about
     * 1.2 KB a point (every action probability object, the event's attributes, boxes and instants): about 300 MB for
     * 5,000 users × 50 points, a quarter of the deployed heap. This form holds about 0.5 KB (mostly the event, item
     * and category ids the decoded event allocated anyway; both figures measured by filling a feed to capacity,
     * issue 15's notes).
     *
     * <p>The user page's interest trajectory is read from these points too (each prediction's top next categories
     * and interest shift), so a timeline is also the user's bounded interest history. The recommendations are kept
     * once per user, for the newest point only (the page shows no others).
     *
     * @param amount the event's amount, NaN if it had none (validation admits only finite amounts)
     * @param actions the next-action distribution's actions, most probable first (shared with the model's labels)
     * @param interestShift the prediction's interest shift, NaN if it had none or it was not finite
     * @param interestHeads whether the prediction came from a model with interest heads (its shift was set)
     */
    // the arrays are not copied on the way out: points are built here and only read by the views
    public record TimelinePoint(long eventTimeMillis, String eventId, EventType type, double amount, String itemId,
            String category, float churn, float fraud, String[] actions, float[] actionProbabilities,
            String[] nextCategories, float[] categoryProbabilities, float interestShift, boolean interestHeads,
            String modelVersion) {

        /** The point for {@code event} and the prediction that followed it. */
        public static TimelinePoint of(UserEvent event, Prediction prediction) {
            List<ActionProbability> next = prediction.getNextAction();
            String[] actions = new String[next.size()];
            float[] actionProbabilities = new float[next.size()];
            for (int i = 0; i < actions.length; i++) {
                actions[i] = next.get(i).getAction();
                actionProbabilities[i] = (float) next.get(i).getProbability();
            }
            List<CategoryProbability> categories = prediction.getNextCategories();
            String[] nextCategories = new String[categories.size()];
            float[] categoryProbabilities = new float[categories.size()];
            for (int i = 0; i < nextCategories.length; i++) {
                nextCategories[i] = categories.get(i).getCategory();
                categoryProbabilities[i] = (float) categories.get(i).getProbability();
            }
            Double shift = prediction.getInterestShift();
            Double amount = event.getAmount();
            return new TimelinePoint(event.getEventTime().toEpochMilli(), event.getEventId(), event.getType(),
                    amount == null ? Double.NaN : amount, event.getItemId(), event.getCategory(),
                    (float) prediction.getChurnProbability(), (float) prediction.getFraudScore(), actions,
                    actionProbabilities, nextCategories, categoryProbabilities,
                    shift == null ? Float.NaN : shift.floatValue(), shift != null, prediction.getModelVersion());
        }

        public Instant eventTime() {
            return Instant.ofEpochMilli(eventTimeMillis);
        }
    }

    /**
     * A user's timeline as the views read it: the points, oldest first, and the recommendations published after the
     * newest one.
     */
    public record UserTimeline(List<TimelinePoint> points, List<ItemScore> recommendations) {

        public static final UserTimeline EMPTY = new UserTimeline(List.of(), List.of());

        public boolean isEmpty() {
            return points.isEmpty();
        }

        public TimelinePoint latest() {
            return points.get(points.size() - 1);
        }
    }

    /**
     * What the feed holds per user: a bounded deque of points, the newest point's recommendations and when the user
     * was last active (the wall-clock time of their latest point).
     */
    private static final class Timeline {
        /** Sized for a full timeline at once: users come back into the bounded map, and a deque grows twice to 50. */
        final ArrayDeque<TimelinePoint> points;
        List<ItemScore> recommendations = List.of();
        long lastActiveMillis;

        Timeline(int capacity) {
            points = new ArrayDeque<>(capacity);
        }
    }

    /** One second of throughput: events scored and the 99th percentile latency within it. */
    public record Second(long epochSecond, int events, double p99Millis) {
    }

    /**
     * Users with a timeline, unless configured otherwise ({@code dashboard.timeline.users}). 500 rather than the
     * 5,000 of before: a point of a user who drops out of the most recent 500 dies before a young collection sees it,
     * where with 5,000 most points lived long enough to be copied by one (benchmarks/README.md item 14: G1's young
     * pauses in the latency rows about 40 % shorter).
     */
    public static final int DEFAULT_TIMELINE_USERS = 500;
    /** Points per timeline, unless configured otherwise ({@code dashboard.timeline.points}). */
    public static final int DEFAULT_TIMELINE_POINTS = 50;

    /** A user active within this long is one the timelines should still hold: dropping one means too many are followed. */
    static final long ACTIVE_MILLIS = 60_000;
    /** The sample never gets thinner than one user in 2^this. */
    private static final int MAX_SAMPLE_SHIFT = 20;
    /** A time long before any wall-clock time, for "never" (differences with it do not overflow). */
    private static final long LONG_AGO = Long.MIN_VALUE / 4;

    private static final int SECONDS = 120;
    /** Latencies kept per second for its p99 (the first ones of the second). */
    private static final int SAMPLES_PER_SECOND = 1000;
    private static final int LATENCY_SAMPLES = 4096;
    private static final int HISTOGRAM_WINDOW = 5000;
    private static final int BINS = 20;
    private static final int ALERTS = 100;
    private static final int RECENT_USERS = 20;

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
    /**
     * The most recently active users, least recent first: in access order and bounded, so a user's event is one
     * {@code put} (no remove, add and iterator to drop the eldest).
     */
    private final LinkedHashMap<String, Boolean> recentUsers = new LinkedHashMap<>(32, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > RECENT_USERS;
        }
    };
    private final LinkedHashMap<String, Timeline> timelines;
    /**
     * The timeline of the user who last dropped out of the map, emptied, for the next user who comes in (while the
     * sample adapts, most events' users are newcomers, and building each a timeline of its own allocated more per
     * event than the point itself).
     */
    private Timeline spare;
    /** The followed users are those whose id's mixed hash has this many leading zero bits: one in 2^sampleShift. */
    private int sampleShift;
    /** The wall-clock time of the latest change of {@link #sampleShift} (long ago: never). */
    private long sampleChangedMillis = LONG_AGO;
    /** The wall-clock time at which a user active within {@link #ACTIVE_MILLIS} was last dropped (long ago: never). */
    private long activeDroppedMillis = LONG_AGO;
    /** The wall-clock time of the event being recorded, for the map's eviction callback. */
    private long nowMillis;

    public LiveFeed(int timelineUsers, int timelinePoints) {
        this.timelineUsers = timelineUsers;
        this.timelinePoints = timelinePoints;
        this.timelines = new LinkedHashMap<>(16, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Timeline> eldest) {
                if (size() <= LiveFeed.this.timelineUsers) {
                    return false;
                }
                Timeline dropped = eldest.getValue();
                if (nowMillis - dropped.lastActiveMillis < ACTIVE_MILLIS) {
                    activeDroppedMillis = nowMillis;
                }
                dropped.points.clear();
                dropped.recommendations = List.of();
                spare = dropped;
                return true;
            }
        };
    }

    /** An empty timeline: the spare one (emptied when its user dropped out) if there is one, else a new one. */
    private Timeline emptyTimeline() {
        Timeline timeline = spare;
        spare = null;
        return timeline != null ? timeline : new Timeline(timelinePoints + 1);
    }

    /** At most how many users have a timeline at once (the most recently active of the followed ones). */
    public int timelineUsers() {
        return timelineUsers;
    }

    /** Most points a timeline keeps. */
    public int timelinePoints() {
        return timelinePoints;
    }

    /** Called for every prediction written; {@code ingestMillis} is the input record's timestamp. */
    public synchronized void onPrediction(UserEvent event, Prediction prediction, long ingestMillis, long nowMillis) {
        double latency = Math.max(0, nowMillis - ingestMillis);
        latencies[latencyNext] = latency;
        latencyNext = (latencyNext + 1) % LATENCY_SAMPLES;
        latencyCount = Math.min(latencyCount + 1, LATENCY_SAMPLES);
        long second = nowMillis / 1000;
        if (countSecond(second, latency) && timelineUsers > 0) {
            maybeFollowMore(second * 1000);
        }

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
        if (timelineUsers == 0) {
            recentUsers.put(userId, Boolean.TRUE); // configured without timelines: every user is listed, none followed
            return;
        }
        if (!isFollowed(userId, sampleShift)) {
            return;
        }
        recentUsers.put(userId, Boolean.TRUE);
        this.nowMillis = nowMillis;
        Timeline timeline = timelines.computeIfAbsent(userId, id -> emptyTimeline());
        timeline.lastActiveMillis = nowMillis;
        timeline.points.addLast(TimelinePoint.of(event, prediction));
        if (timeline.points.size() > timelinePoints) {
            timeline.points.removeFirst();
        }
        timeline.recommendations = prediction.getRecommendations();
        if (activeDroppedMillis > sampleChangedMillis && nowMillis - sampleChangedMillis >= 1000
                && sampleShift < MAX_SAMPLE_SHIFT) {
            follow(sampleShift + 1, nowMillis);
        }
    }

    /** Whether {@code userId} is among the followed users when one in 2^{@code shift} is followed. */
    static boolean isFollowed(String userId, int shift) {
        // Fibonacci hashing spreads String.hashCode's bits, so that its leading bits pick a fair, stable sample
        return shift == 0 || (userId.hashCode() * 0x9E3779B9) >>> (Integer.SIZE - shift) == 0;
    }

    /** One in how many active users the feed follows with a timeline (1: all of them). */
    public synchronized int followedOneIn() {
        return 1 << sampleShift;
    }

    /**
     * Follows one in 2^{@code shift} users from now on: the timelines and recent-users entries of users outside the
     * new sample are dropped (a thinner sample is a subset of a thicker one, so nobody else's are).
     */
    private void follow(int shift, long at) {
        sampleShift = shift;
        sampleChangedMillis = at;
        timelines.keySet().removeIf(userId -> !isFollowed(userId, shift));
        recentUsers.keySet().removeIf(userId -> !isFollowed(userId, shift));
    }

    /**
     * Once a second: a thicker sample when the timelines have room to spare — fewer than a quarter of them active
     * within {@link #ACTIVE_MILLIS}, so that twice as many followed users still fit — and neither an active user was
     * dropped nor the sample changed for as long.
     */
    private void maybeFollowMore(long at) {
        if (sampleShift == 0 || at - activeDroppedMillis < ACTIVE_MILLIS || at - sampleChangedMillis < ACTIVE_MILLIS) {
            return;
        }
        int active = 0;
        for (Timeline timeline : timelines.values()) {
            if (at - timeline.lastActiveMillis < ACTIVE_MILLIS) {
                active++;
            }
        }
        if (active * 4 < timelineUsers) {
            follow(sampleShift - 1, at);
        }
    }

    public synchronized void onAlert(Alert alert) {
        alerts.addFirst(alert);
        if (alerts.size() > ALERTS) {
            alerts.removeLast();
        }
    }

    /** Counts an event into its second; true when that second is a new one (once a second, for periodic work). */
    private boolean countSecond(long second, double latency) {
        SecondBucket last = perSecond.peekLast();
        boolean newSecond = last == null || second > last.epochSecond;
        if (newSecond) {
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
        return newSecond;
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
        List<String> users = new ArrayList<>(recentUsers.keySet());
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
        Timeline timeline = timelines.remove(userId);
        if (timeline != null) {
            removed += timeline.points.size();
        }
        if (recentUsers.remove(userId) != null) {
            removed++;
        }
        int alertsBefore = alerts.size();
        alerts.removeIf(alert -> userId.equals(alert.getUserId()));
        removed += alertsBefore - alerts.size();
        return removed;
    }

    /** The user's latest points, oldest first, and their recommendations; empty if this instance has none in memory. */
    public synchronized UserTimeline timeline(String userId) {
        Timeline timeline = timelines.get(userId);
        return timeline == null ? UserTimeline.EMPTY
                : new UserTimeline(List.copyOf(timeline.points), timeline.recommendations);
    }
}
