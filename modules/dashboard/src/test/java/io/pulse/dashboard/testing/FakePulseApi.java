package io.pulse.dashboard.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.pulse.dashboard.DashboardAssets;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A stand-in for the pipeline's dashboard API with canned data that changes every second: {@code GET
 * /api/overview}, {@code GET /api/alerts?limit=N}, {@code GET /api/users/{id}/timeline} and {@code GET
 * /users/{id}}, with the same JSON fields as the real pipeline. For browser tests of the dashboard, and for
 * working on the pages without Kafka: {@code java -cp
 * modules/dashboard/target/classes:modules/dashboard/target/test-classes io.pulse.dashboard.testing.FakePulseApi
 * [port]} (after {@code mvn -pl modules/dashboard test-compile}) serves the dashboard and this API on
 * {@code http://127.0.0.1:8080/}.
 *
 * <p>It starts either {@link #flowing()} or {@link #waiting()}: while waiting it answers like a pipeline that
 * has seen no event yet (empty rate series, zero histograms, no users, no alerts), until
 * {@link #startFlowing()}. Users {@link #USERS} are known; any other id is {@code 404}, and
 * {@value #RESTORING_USER} is always {@code 503} with {@code Retry-After}, like a user whose state is being
 * restored. {@link #failWith(int)} makes every endpoint fail, as an unhealthy backend would. Data is a pure
 * function of the clock and fixed seeds: no randomness.
 *
 * <p>Events carry items and categories ({@link #CATEGORIES}). The current model has interest heads: its points
 * carry the top next categories (each user's interests drift, and switch to another category every
 * {@value #INTEREST_PHASE} events) and an interest shift that jumps at each switch and decays as the profile catches
 * up, and the timeline carries the recommendations after the latest event; the {@link #PREVIOUS_MODEL}'s points carry
 * none. {@link #withoutInterestHeads()} plays a pipeline whose current model has none either.
 */
public final class FakePulseApi implements HttpHandler {

    /** The users the fake knows. */
    public static final List<String> USERS = List.of("user-1", "user-2", "user-3", "user-4", "user-5", "user-6",
            "user-7", "user-8", "user-9", "user-10", "user-11", "user-12");
    /** A user whose state is "being restored": always 503 with Retry-After. */
    public static final String RESTORING_USER = "user-restoring";
    /** The model version serving now; {@link #PREVIOUS_MODEL} served the oldest events of every timeline. */
    public static final String CURRENT_MODEL = "lstm-20261122-7f3a9c";
    /** The seeded random model Pulse serves until a trained one arrives. */
    public static final String PREVIOUS_MODEL = "random-1-h64";

    private static final List<String> EVENT_TYPES =
            List.of("VIEW", "CLICK", "ADD_TO_CART", "PURCHASE", "RATING", "LOGIN", "PAYMENT");
    private static final List<String> NEXT_ACTIONS =
            List.of("UNKNOWN", "VIEW", "CLICK", "ADD_TO_CART", "PURCHASE", "RATING", "LOGIN", "PAYMENT");
    /** Events each user had before the fake started flowing, so timelines are never short. */
    private static final int HISTORY = 30;
    private static final long ALERT_EVERY_MILLIS = 1_500;
    private static final int ALERT_HISTORY = 12;
    private static final int BINS = 20;
    /** The categories of the fake catalogue, as category paths. */
    public static final List<String> CATEGORIES = List.of("Beauty>Skin Care", "Beauty>Makeup", "Beauty>Hair Care",
            "Beauty>Fragrance", "Beauty>Bath & Body", "Beauty>Nails", "Beauty>Tools & Accessories");
    /** Events between two switches of a user's main interest. */
    static final int INTEREST_PHASE = 24;
    /** The top next categories (interests.categories.k) and recommendations (interests.recommendations.k). */
    private static final int CATEGORIES_K = 3;
    private static final int RECOMMENDATIONS_K = 10;

    private final LongSupplier clock;
    private final String instance;
    private volatile long flowingSince;
    private volatile int failureStatus;
    private volatile boolean interestHeads = true;
    private final AtomicLong requests = new AtomicLong();

    private FakePulseApi(LongSupplier clock, boolean flowing) {
        this.clock = clock;
        this.instance = "127.0.0.1:8080";
        this.flowingSince = flowing ? clock.getAsLong() : Long.MAX_VALUE;
    }

    /** A fake with live data from the start. */
    public static FakePulseApi flowing() {
        return new FakePulseApi(System::currentTimeMillis, true);
    }

    /** A fake that answers "no data yet" until {@link #startFlowing()}. */
    public static FakePulseApi waiting() {
        return new FakePulseApi(System::currentTimeMillis, false);
    }

    /** Data starts now (no-op when already flowing). */
    public FakePulseApi startFlowing() {
        if (flowingSince == Long.MAX_VALUE) {
            flowingSince = clock.getAsLong();
        }
        return this;
    }

    /** Every API request fails with {@code status} (e.g. 500 or 503) until {@link #recover()}. */
    public FakePulseApi failWith(int status) {
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status must be an HTTP error (400-599), was " + status);
        }
        failureStatus = status;
        return this;
    }

    /** The current model has no interest heads: no point carries categories, shift or recommendations. */
    public FakePulseApi withoutInterestHeads() {
        interestHeads = false;
        return this;
    }

    /** Ends {@link #failWith(int)}. */
    public FakePulseApi recover() {
        failureStatus = 0;
        return this;
    }

    /** API requests answered so far (any status). */
    public long requestCount() {
        return requests.get();
    }

    /** Mounts this API at {@code /api/} and {@code /users/} of {@code server}. */
    public void register(HttpServer server) {
        server.createContext("/api/", this);
        server.createContext("/users/", this);
    }

    /**
     * Starts a server on {@code address} with the dashboard ({@link DashboardAssets#register}) and this API;
     * port 0 picks a free one. Stop it with {@code server.stop(0)}.
     */
    public HttpServer serveWithDashboard(InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 0);
        DashboardAssets.register(server);
        register(server);
        server.setExecutor(Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "fake-pulse-http");
            thread.setDaemon(true);
            return thread;
        }));
        server.start();
        return server;
    }

    /** Serves the dashboard with fake data on {@code http://127.0.0.1:<port>/} (default 8080) until killed. */
    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        HttpServer server = flowing().serveWithDashboard(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        System.out.println("Pulse dashboard with fake data: http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            URI uri = exchange.getRequestURI();
            String path = uri.getRawPath();
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, error("only GET is supported"));
            } else if (failureStatus != 0) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                respond(exchange, failureStatus, error("fake failure " + failureStatus));
            } else if (path.equals("/api/overview")) {
                respond(exchange, 200, overview(clock.getAsLong()));
            } else if (path.equals("/api/alerts")) {
                respond(exchange, 200, alerts(clock.getAsLong(), limit(uri.getRawQuery())));
            } else if (path.equals("/api/entities")) {
                respond(exchange, 200, entities(clock.getAsLong()));
            } else if (path.startsWith("/api/users/") && path.endsWith("/timeline")) {
                user(exchange, decode(path.substring("/api/users/".length(), path.length() - "/timeline".length())),
                        true);
            } else if (path.startsWith("/users/") && path.length() > "/users/".length()) {
                user(exchange, decode(path.substring("/users/".length())), false);
            } else {
                respond(exchange, 404, error("no such endpoint: " + path));
            }
        }
    }

    private void user(HttpExchange exchange, String userId, boolean timeline) throws IOException {
        long now = clock.getAsLong();
        if (userId.equals(RESTORING_USER)) {
            exchange.getResponseHeaders().set("Retry-After", "1");
            respond(exchange, 503, error("state of " + userId + " is being restored; retry in 1 s"));
        } else if (!USERS.contains(userId) || now < flowingSince) {
            respond(exchange, 404, error("no events seen for user " + userId));
        } else {
            respond(exchange, 200, timeline ? timeline(userId, now) : userState(userId, now));
        }
    }

    // ---------------------------------------------------------------- overview

    private Map<String, Object> overview(long now) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("instance", instance);
        boolean flowing = now >= flowingSince;
        root.put("state", flowing ? "RUNNING" : "REBALANCING");
        List<Object> rate = new ArrayList<>();
        long nowSecond = now / 1000;
        long events = 0;
        double lastRate = 0;
        double lastP99 = Double.NaN;
        if (flowing) {
            // a flowing fake plays a pipeline that has been running for a while: two minutes of history at once
            long firstSecond = nowSecond - 119;
            for (long second = firstSecond; second <= nowSecond; second++) {
                lastRate = eventsPerSecond(second);
                lastP99 = p99(second);
                rate.add(object("t", second * 1000, "eventsPerSecond", round(lastRate, 1), "p99", round(lastP99, 1)));
            }
            events = 4_000 + Math.round((now - flowingSince) / 1000.0 * 150);
        }
        root.put("eventsPerSecond", round(lastRate, 1));
        root.put("rate", rate);
        root.put("latencyMillis", object("p50", round(lastP99 * 0.28, 1), "p95", round(lastP99 * 0.7, 1),
                "p99", round(lastP99, 1)));
        long deadLetters = events / 97;
        long duplicates = events / 450;
        int[] alertCounts = alertCounts(now);
        root.put("totals", object("events", events, "predictions", events - deadLetters - duplicates,
                "deadLetters", deadLetters, "duplicates", duplicates,
                "alerts", object("fraud", alertCounts[0], "churn", alertCounts[1], "interest", alertCounts[2])));
        double drift = flowing ? Math.sin((now - flowingSince) / 20_000.0) : 0;
        root.put("scoreHistograms", object(
                "churn", histogram(events, bin -> Math.exp(-Math.pow((bin - (0.32 + 0.1 * drift)) / 0.16, 2))
                        + 0.15 * Math.exp(-Math.pow((bin - 0.85) / 0.06, 2))),
                "fraud", histogram(events, bin -> Math.exp(-bin * 14) + 0.004 * Math.exp(-Math.pow((bin - 0.9) / 0.05, 2)))));
        double t = flowing ? (now - flowingSince) / 1000.0 : 0;
        long labels = flowing ? 40 + Math.round(t * 3) : 0;
        root.put("models", List.of(
                object("version", CURRENT_MODEL, "current", true, "randomInit", false, "quality", object(
                        "fraud", quality(labels, 0.87 + 0.02 * Math.sin(t / 9), 0.19 + 0.01 * Math.cos(t / 7)),
                        "churn", quality(labels / 3, 0.74 + 0.02 * Math.sin(t / 13), 0.47))),
                object("version", PREVIOUS_MODEL, "current", false, "randomInit", true, "quality", object(
                        "fraud", quality(120, 0.52, 0.69),
                        "churn", quality(0, Double.NaN, Double.NaN)))));
        List<Object> recent = new ArrayList<>();
        if (flowing) {
            int offset = (int) (nowSecond % USERS.size());
            for (int i = 0; i < USERS.size(); i++) {
                recent.add(USERS.get((offset + i * 5) % USERS.size()));
            }
        }
        root.put("recentUsers", recent);
        // flowing, it answers as a busy instance that follows one in four of its active users with a timeline
        root.put("followedOneIn", flowing ? 4 : 1);
        return root;
    }

    private static double eventsPerSecond(long second) {
        return Math.max(0, 150 + 55 * Math.sin(second / 17.0) + 25 * noise(second, 1));
    }

    private static double p99(long second) {
        return 28 + 10 * Math.sin(second / 11.0) + 9 * noise(second, 2);
    }

    private static Map<String, Object> quality(long labels, double auc, double logLoss) {
        return object("labels", labels, "auc", labels == 0 ? null : round(auc, 3),
                "logloss", labels == 0 ? null : round(logLoss, 3));
    }

    private static List<Object> histogram(long total, java.util.function.DoubleUnaryOperator density) {
        double[] weights = new double[BINS];
        double sum = 0;
        for (int i = 0; i < BINS; i++) {
            weights[i] = density.applyAsDouble((i + 0.5) / BINS);
            sum += weights[i];
        }
        List<Object> counts = new ArrayList<>();
        for (int i = 0; i < BINS; i++) {
            counts.add(total == 0 ? 0 : Math.round(total * weights[i] / sum));
        }
        return counts;
    }

    // ---------------------------------------------------------------- alerts

    private int[] alertCounts(long now) {
        int[] counts = new int[3];
        for (long k = 0; k < alertsRaisedBy(now); k++) {
            counts[isInterestShiftAlert(k) ? 2 : isChurnAlert(k) ? 1 : 0]++;
        }
        return counts;
    }

    private long alertsRaisedBy(long now) {
        return now < flowingSince ? 0 : (now - alertsSince()) / ALERT_EVERY_MILLIS + 1;
    }

    /** Alerts began {@link #ALERT_HISTORY} alerts before the data started flowing. */
    private long alertsSince() {
        return flowingSince - ALERT_HISTORY * ALERT_EVERY_MILLIS;
    }

    private static boolean isChurnAlert(long k) {
        return k % 3 == 1 && !isInterestShiftAlert(k);
    }

    private static boolean isInterestShiftAlert(long k) {
        return k % 5 == 3;
    }

    /**
     * The riskiest terminals, as a pipeline with {@code entities.types=terminal} and broadcast delivery answers:
     * none with a known fraud while waiting, three once flowing (T-17 first).
     */
    private Map<String, Object> entities(long now) {
        List<Object> ranked = new ArrayList<>();
        if (now >= flowingSince) {
            String lastFraud = Instant.ofEpochMilli(now - 3_600_000L).toString();
            ranked.add(object("id", "T-17", "risk", 0.4, "knownFrauds", 6.0, "transactions", 15.2,
                    "lastKnownFraud", lastFraud));
            ranked.add(object("id", "T-203", "risk", 0.12, "knownFrauds", 2.0, "transactions", 16.7,
                    "lastKnownFraud", lastFraud));
            ranked.add(object("id", "T-9", "risk", 0.02, "knownFrauds", 1.0, "transactions", 48.0,
                    "lastKnownFraud", lastFraud));
        }
        return object("scope", "all", "types", List.of(object("type", "terminal", "key", "attr.terminal",
                "horizon", "P7D", "labelDelay", "P7D", "entities", ranked)));
    }

    private List<Object> alerts(long now, int limit) {
        List<Object> alerts = new ArrayList<>();
        for (long k = alertsRaisedBy(now) - 1; k >= 0 && alerts.size() < limit; k--) {
            alerts.add(alert(k));
        }
        return alerts;
    }

    private Map<String, Object> alert(long k) {
        String userId = USERS.get((int) ((k * 7) % USERS.size()));
        boolean churn = isChurnAlert(k);
        boolean inactivity = churn && k % 2 == 0;
        double score = round(0.8 + 0.19 * Math.abs(noise(k, 3)), 3);
        String raisedAt = Instant.ofEpochMilli(alertsSince() + k * ALERT_EVERY_MILLIS).toString();
        List<Object> reasons;
        String summary;
        String kind = churn ? "CHURN" : "FRAUD";
        double threshold = 0.8;
        if (isInterestShiftAlert(k)) {
            kind = "INTEREST_SHIFT";
            threshold = 0.4;
            score = round(0.4 + 0.3 * Math.abs(noise(k, 3)), 3);
            summary = String.format(java.util.Locale.ROOT, "interests moved from Beauty>Skin Care to Electronics>Audio:"
                    + " interest shift %.2f >= 0.40 after a VIEW event on item-17", score);
            reasons = List.of(reason("category:Electronics>Audio", 0.62, 0.55),
                    reason("category:Home>Garden", 0.08, 0.03));
        } else if (!churn) {
            double amount = round(180 + 900 * Math.abs(noise(k, 4)), 2);
            summary = String.format(java.util.Locale.ROOT, "fraud score %.2f on a PAYMENT of %.2f at an unusual hour",
                    score, amount);
            reasons = List.of(reason("amount", round(Math.log1p(amount), 2), 0.31),
                    entityReason("terminal_risk_7d", 0.4, 0.18, "terminal:T-17"),
                    reason("hour_of_day", 3.0, 0.12), reason("gap_since_last", -2.4, 0.07));
        } else if (inactivity) {
            double days = round(2 + 5 * Math.abs(noise(k, 5)), 1);
            summary = "silent for " + days + " days, " + round(days / 1.1, 1) + "x the user's usual gap";
            reasons = List.of(reason("silence_days", days, 0.42), reason("events_7d", 0.0, 0.18));
        } else {
            summary = String.format(java.util.Locale.ROOT, "churn probability rose to %.2f", score);
            reasons = List.of(reason("events_7d", 1.0, 0.22), reason("login_30d", 0.4, 0.15),
                    reason("gap_trend", 1.8, 0.09));
        }
        return object("alertId", String.format(java.util.Locale.ROOT, "alert-%06d", k), "userId", userId,
                "kind", kind, "trigger", inactivity ? "INACTIVITY" : "EVENT",
                "score", score, "threshold", threshold, "raisedAt", raisedAt, "summary", summary, "reasons", reasons);
    }

    private static Map<String, Object> reason(String feature, double value, double contribution) {
        return object("feature", feature, "value", value, "contribution", contribution);
    }

    /** A reason that is an entity's feature, naming the entity ({@code type:id}) as the pipeline's API does. */
    private static Map<String, Object> entityReason(String feature, double value, double contribution,
            String entity) {
        return object("feature", feature, "value", value, "contribution", contribution, "entity", entity);
    }

    // ---------------------------------------------------------------- users

    /** Event {@code j} of a user happens about once a second of wall-clock time, the first HISTORY before flowing. */
    private long eventTime(int user, long j) {
        return flowingSince + (j - HISTORY) * 1_000 + Math.round(300 * Math.abs(noise(user * 10_007L + j, 6)));
    }

    private List<Map<String, Object>> points(String userId, long now) {
        int user = USERS.indexOf(userId) + 1;
        long last = HISTORY - 1 + Math.max(0, (now - flowingSince) / 1_000);
        while (last > 0 && eventTime(user, last) > now) {
            last--;
        }
        List<Map<String, Object>> points = new ArrayList<>();
        for (long j = Math.max(0, last - 99); j <= last; j++) {
            points.add(point(user, userId, j));
        }
        return points;
    }

    private Map<String, Object> point(int user, String userId, long j) {
        String type = EVENT_TYPES.get((int) Math.floorMod(hash(user * 31L + j, 7), (long) EVENT_TYPES.size()));
        Double amount = type.equals("PURCHASE") || type.equals("PAYMENT")
                ? round(5 + 120 * Math.abs(noise(user * 131L + j, 8)), 2) : null;
        double churn = sigmoid(-1.2 + 1.4 * Math.sin(j / 9.0 + user) + 0.35 * noise(user * 17L + j, 9));
        boolean spike = Math.floorMod(hash(user * 53L + j, 10), 17L) == 0;
        double fraud = spike ? 0.82 + 0.15 * Math.abs(noise(j, 11)) : 0.03 + 0.04 * Math.abs(noise(user * 7L + j, 12));
        Map<String, Object> nextAction = new LinkedHashMap<>();
        double[] logits = new double[NEXT_ACTIONS.size()];
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            logits[k] = Math.exp(k == 0 ? -3 : 1.2 * Math.sin(j / 12.0 + k * 0.9 + user) + 0.3 * noise(j * 8 + k, 13));
            sum += logits[k];
        }
        for (int k = 0; k < logits.length; k++) {
            nextAction.put(NEXT_ACTIONS.get(k), round(logits[k] / sum, 4));
        }
        Map<String, Object> point = new LinkedHashMap<>();
        point.put("eventTime", Instant.ofEpochMilli(eventTime(user, j)).toString());
        point.put("eventId", userId + "-e" + j);
        point.put("type", type);
        point.put("amount", amount);
        point.put("churn", round(churn, 4));
        point.put("fraud", round(fraud, 4));
        point.put("nextAction", nextAction);
        // the event's category follows the user's interests a step behind the prediction; its item from that category
        double[] before = interests(user, Math.max(0, j - 1));
        int category = Math.abs(noise(user * 211L + j, 14)) < 0.6 ? argmax(before) : (int) Math.floorMod(
                hash(user * 223L + j, 15), (long) CATEGORIES.size());
        point.put("itemId", itemId(category, (int) Math.floorMod(hash(user * 227L + j, 16), 60L)));
        point.put("category", CATEGORIES.get(category));
        String model = j < HISTORY / 2 ? PREVIOUS_MODEL : CURRENT_MODEL;
        List<Object> nextCategories = new ArrayList<>();
        Double shift = null;
        if (model.equals(CURRENT_MODEL) && interestHeads) {
            double[] distribution = interests(user, j);
            for (int k : topIndices(distribution, CATEGORIES_K)) {
                nextCategories.add(object("category", CATEGORIES.get(k), "probability", round(distribution[k], 4)));
            }
            long sinceSwitch = Math.floorMod(j + phaseOffset(user), (long) INTEREST_PHASE);
            shift = round(0.03 + 0.02 * Math.abs(noise(user * 229L + j, 17)) + 0.42 * Math.exp(-sinceSwitch / 2.5), 4);
        }
        point.put("nextCategories", nextCategories);
        point.put("interestShift", shift);
        point.put("modelVersion", model);
        return point;
    }

    /** The user's next-category distribution after event j: a main interest that switches every phase, and noise. */
    private static double[] interests(int user, long j) {
        long phase = Math.floorDiv(j + phaseOffset(user), (long) INTEREST_PHASE);
        long sinceSwitch = Math.floorMod(j + phaseOffset(user), (long) INTEREST_PHASE);
        int main = mainInterest(user, phase);
        int previous = mainInterest(user, phase - 1);
        int side = (user * 3) % CATEGORIES.size();
        double ramp = Math.min(1, (sinceSwitch + 1) / 4.0); // the model needs a few events to believe the switch
        double[] p = new double[CATEGORIES.size()];
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            double logit = 0.35 * noise(user * 1_009L + j * 13 + k, 18) + (k == side ? 0.9 : 0)
                    + (k == main ? 2.4 * ramp : 0) + (k == previous ? 2.4 * (1 - ramp) : 0);
            p[k] = Math.exp(logit);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    private static long phaseOffset(int user) {
        return user * 7L;
    }

    private static int mainInterest(int user, long phase) {
        return (int) Math.floorMod(hash(user * 233L + phase, 19), (long) CATEGORIES.size());
    }

    private static String itemId(int category, int n) {
        return String.format(java.util.Locale.ROOT, "B0%d%07d", category, 1_000 + n * 37);
    }

    private static int argmax(double[] values) {
        return topIndices(values, 1).get(0);
    }

    private static List<Integer> topIndices(double[] values, int k) {
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            indices.add(i);
        }
        indices.sort((a, b) -> Double.compare(values[b], values[a]));
        return indices.subList(0, Math.min(k, indices.size()));
    }

    private Map<String, Object> timeline(String userId, long now) {
        List<Map<String, Object>> points = points(userId, now);
        Map<String, Object> last = points.get(points.size() - 1);
        boolean heads = last.get("interestShift") != null;
        List<Object> recommendations = new ArrayList<>();
        if (heads) {
            // items of the most likely next categories, best first, with falling scores
            int user = USERS.indexOf(userId) + 1;
            long j = Long.parseLong(((String) last.get("eventId")).substring(userId.length() + 2));
            List<Integer> top = topIndices(interests(user, j), 2);
            double score = 3.1 + 0.3 * noise(user * 239L + j, 20);
            for (int r = 0; r < RECOMMENDATIONS_K; r++) {
                int category = top.get(r % 3 == 2 ? 1 : 0);
                String item = itemId(category, (int) Math.floorMod(hash(user * 241L + j, 21) + r * 7L, 60L));
                recommendations.add(
                        object("itemId", item, "score", round(score, 3), "category", CATEGORIES.get(category)));
                score -= 0.12 + 0.1 * Math.abs(noise(j * 31 + r, 22));
            }
        }
        return object("userId", userId, "servedBy", instance, "interestHeads", heads,
                "recommendations", recommendations, "points", points);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> userState(String userId, long now) {
        List<Map<String, Object>> points = points(userId, now);
        Map<String, Object> last = points.get(points.size() - 1);
        int user = USERS.indexOf(userId) + 1;
        long lastMillis = Instant.parse((String) last.get("eventTime")).toEpochMilli();
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("userId", userId);
        root.put("servedBy", instance);
        root.put("eventsSeen", 400L * user + points.size());
        root.put("firstSeen", Instant.ofEpochMilli(flowingSince - user * 86_400_000L * 9).toString());
        root.put("lastSeen", last.get("eventTime"));
        root.put("typicalGapMillis", 1_150);
        root.put("prediction", object("modelVersion", CURRENT_MODEL, "churnProbability", last.get("churn"),
                "fraudScoreOfLastEvent", last.get("fraud"), "nextAction", last.get("nextAction")));
        Map<String, Object> windows = new LinkedHashMap<>();
        String[] horizons = {"1h", "24h", "7d", "30d"};
        double[] scale = {1, 6.5, 31, 96};
        for (int h = 0; h < horizons.length; h++) {
            Map<String, Object> byType = new LinkedHashMap<>();
            double events = 0;
            double amount = 0;
            for (Map<String, Object> p : points) {
                byType.merge((String) p.get("type"), scale[h], (a, b) -> round((Double) a + (Double) b, 3));
                events += scale[h];
                amount += p.get("amount") == null ? 0 : (Double) p.get("amount") * scale[h];
            }
            windows.put(horizons[h], object("events", round(events, 3), "amount", round(amount, 3), "byType", byType));
        }
        root.put("windows", windows);
        root.put("alerts", object("nextInactivityCheck", Instant.ofEpochMilli(lastMillis + 3_600_000).toString(),
                "lastChurnAlert", null, "lastFraudAlert", Instant.ofEpochMilli(lastMillis - 42_000).toString(),
                "alertedForCurrentSilence", false));
        return root;
    }

    // ---------------------------------------------------------------- helpers

    private static String decode(String raw) {
        return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    private static int limit(String query) {
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("limit=")) {
                    try {
                        return Math.max(1, Math.min(100, Integer.parseInt(part.substring("limit=".length()))));
                    } catch (NumberFormatException e) {
                        return 50;
                    }
                }
            }
        }
        return 50;
    }

    /** A fixed function of (x, salt) in [-1, 1]: the fake's only source of variety. */
    private static double noise(long x, int salt) {
        return (hash(x, salt) >>> 11) / (double) (1L << 53) * 2 - 1;
    }

    private static long hash(long x, int salt) {
        long z = x * 0x9E3779B97F4A7C15L + salt * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static Double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return null;
        }
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static Map<String, Object> error(String message) {
        return object("error", message);
    }

    private static Map<String, Object> object(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Just enough JSON writing for the fake: maps, lists, strings, numbers (non-finite as null), booleans. */
    static final class Json {
        private Json() {
        }

        static String write(Object value) {
            StringBuilder out = new StringBuilder();
            write(value, out);
            return out.toString();
        }

        private static void write(Object value, StringBuilder out) {
            if (value == null) {
                out.append("null");
            } else if (value instanceof Map<?, ?> map) {
                out.append('{');
                boolean first = true;
                for (Map.Entry<?, ?> entry : map.entrySet()) {
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(String.valueOf(entry.getKey()), out);
                    out.append(':');
                    write(entry.getValue(), out);
                }
                out.append('}');
            } else if (value instanceof List<?> list) {
                out.append('[');
                for (int i = 0; i < list.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(list.get(i), out);
                }
                out.append(']');
            } else if (value instanceof Double d) {
                out.append(Double.isFinite(d) ? d.toString() : "null");
            } else if (value instanceof Number || value instanceof Boolean) {
                out.append(value);
            } else {
                string(value.toString(), out);
            }
        }

        private static void string(String s, StringBuilder out) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\n' -> out.append("\\n");
                    case '\r' -> out.append("\\r");
                    case '\t' -> out.append("\\t");
                    default -> {
                        if (c < 0x20) {
                            out.append(String.format("\\u%04x", (int) c));
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }
    }
}
