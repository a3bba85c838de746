package io.pulse.pipeline.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.pulse.contracts.ErasureRequest;
import io.pulse.contracts.ItemScore;
import io.pulse.dashboard.DashboardAssets;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.LstmModel;
import io.pulse.pipeline.processing.ModelHolder;
import io.pulse.pipeline.processing.Recommender;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.state.UserState;
import io.pulse.pipeline.state.UserStateCodec;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.pipeline.validate.EventValidator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP server of one pipeline instance, on the JDK's built-in server (a handful of endpoints do not justify a
 * web framework). {@code GET /users/{id}} is answered from the local {@code user-state} store when this instance owns
 * the user's partition, and forwarded to the owner (found through Kafka Streams' metadata) otherwise; while the
 * owner is unknown or restoring it answers 503 with {@code Retry-After}. {@code DELETE /users/{id}} writes an erasure
 * request to {@code user-erasures} (any instance can: the topic's partitioner routes it to the owner's task) and
 * answers 202 with the request id that the audit record on {@code pulse-audit} will carry.
 * {@code GET /users/{id}/recommendations?k=N} is routed like {@code GET /users/{id}} and answered by the owner with
 * the top N items for the user's current state ({@link Recommender}); N defaults to
 * {@code interests.recommendations.k}, or {@value Recommender#DEFAULT_K} when that is 0 (recommendations on request
 * only); 400 for an N outside 1..1000, 404 for an unknown user, 409 while the model has no interest heads.
 *
 * <p>Every request that is not a GET or HEAD passes the {@link AdminGuard} first (bearer token).
 */
public final class PulseHttpServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PulseHttpServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String FORWARDED = "forwarded";
    private static final int RETRY_AFTER_SECONDS = 2;

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient forwarder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final PrometheusMeterRegistry prometheus;
    private final PipelineMetrics metrics;
    private final ModelHolder models;
    private final UserStateCodec codec;
    private volatile Supplier<KafkaStreams> streams = () -> null;
    private volatile HostInfo self;
    private volatile double[] alertThresholds = {0.8, 0.8, 1.0};
    private volatile List<EntityWindowSpec> entityTypes = List.of();
    private volatile boolean entitiesBroadcast;
    private volatile ErasureSubmitter erasures;
    private volatile Recommender recommender;

    /** Writes an erasure request; {@link io.pulse.pipeline.erasure.ErasureRequests#submit} in production. */
    @FunctionalInterface
    public interface ErasureSubmitter {
        ErasureRequest submit(String userId, String requestedBy, String origin, String reason);
    }

    private PulseHttpServer(HttpServer server, ExecutorService executor, PrometheusMeterRegistry prometheus,
            PipelineMetrics metrics, ModelHolder models, UserStateCodec codec) {
        this.server = server;
        this.executor = executor;
        this.prometheus = prometheus;
        this.metrics = metrics;
        this.models = models;
        this.codec = codec;
        this.recommender = Recommender.withDefaults(metrics);
    }

    /**
     * Binds and starts the server; the streams instance is attached later with {@link #serve}, because Kafka Streams
     * must be told this server's address ({@code application.server}) before it is created.
     */
    public static PulseHttpServer start(String host, int port, PrometheusMeterRegistry prometheus,
            PipelineMetrics metrics, ModelHolder models, UserStateCodec codec) throws IOException {
        return start(host, port, prometheus, metrics, models, codec, AdminGuard.refuseAll());
    }

    /** As {@link #start(String, int, PrometheusMeterRegistry, PipelineMetrics, ModelHolder, UserStateCodec)}, with
     * the guard of state-changing requests (see {@link AdminGuard#of}). */
    public static PulseHttpServer start(String host, int port, PrometheusMeterRegistry prometheus,
            PipelineMetrics metrics, ModelHolder models, UserStateCodec codec, AdminGuard guard) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(4, runnable -> {
            Thread thread = new Thread(runnable, "pulse-http");
            thread.setDaemon(true);
            return thread;
        });
        PulseHttpServer http = new PulseHttpServer(server, executor, prometheus, metrics, models, codec);
        // every context gets the guard: a new state-changing endpoint cannot forget it
        HttpHandler assets = DashboardAssets.handler();
        guarded(server, guard, "/", assets);
        guarded(server, guard, "/static/", assets);
        guarded(server, guard, "/api/", new DashboardApi(http));
        guarded(server, guard, "/health", http::health);
        guarded(server, guard, "/ready", http::ready);
        guarded(server, guard, "/metrics", http::metrics);
        guarded(server, guard, "/users/", http::user);
        server.setExecutor(executor);
        server.start();
        http.self = new HostInfo(host, server.getAddress().getPort());
        LOG.info("HTTP on http://{}:{} (/users/{{id}}, /users/{{id}}/recommendations, /health, /ready,"
                + " /metrics)", host, http.port());
        return http;
    }

    private static void guarded(HttpServer server, AdminGuard guard, String path, HttpHandler handler) {
        server.createContext(path, handler).getFilters().add(guard);
    }

    /** Lets {@code DELETE /users/{id}} write erasure requests through {@code submitter}. */
    public void acceptErasures(ErasureSubmitter submitter) {
        this.erasures = submitter;
    }

    /** Computes {@code GET /users/{id}/recommendations} with {@code recommender} (the pipeline's settings). */
    public void recommendWith(Recommender recommender) {
        this.recommender = recommender;
    }

    /** The fraud, churn and interest-shift alert thresholds, shown by the dashboard. */
    public void showThresholds(double fraud, double churn, double interest) {
        this.alertThresholds = new double[] {fraud, churn, interest};
    }

    double[] alertThresholds() {
        return alertThresholds.clone();
    }

    /** The configured entity types and how their features reach scoring, for the dashboard's riskiest entities. */
    public void showEntities(List<EntityWindowSpec> types, boolean broadcast) {
        this.entityTypes = List.copyOf(types);
        this.entitiesBroadcast = broadcast;
    }

    List<EntityWindowSpec> entityTypes() {
        return entityTypes;
    }

    boolean entitiesBroadcast() {
        return entitiesBroadcast;
    }

    /** The streams instance queries are answered from; null before {@link #serve}. */
    KafkaStreams currentStreams() {
        return streams.get();
    }

    /** Starts answering queries from {@code kafkaStreams}, advertised to other instances as {@code advertised}. */
    public void serve(KafkaStreams kafkaStreams, HostInfo advertised) {
        this.self = advertised;
        this.streams = () -> kafkaStreams;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private void health(HttpExchange exchange) throws IOException {
        KafkaStreams current = streams.get();
        KafkaStreams.State state = current == null ? KafkaStreams.State.CREATED : current.state();
        boolean alive = state != KafkaStreams.State.ERROR && state != KafkaStreams.State.PENDING_ERROR
                && state != KafkaStreams.State.NOT_RUNNING;
        respondJson(exchange, alive ? 200 : 503, status(state));
    }

    private void ready(HttpExchange exchange) throws IOException {
        KafkaStreams current = streams.get();
        KafkaStreams.State state = current == null ? KafkaStreams.State.CREATED : current.state();
        if (state == KafkaStreams.State.RUNNING) {
            respondJson(exchange, 200, status(state));
        } else {
            exchange.getResponseHeaders().add("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            respondJson(exchange, 503, status(state));
        }
    }

    private ObjectNode status(KafkaStreams.State state) {
        ObjectNode body = JSON.createObjectNode();
        body.put("state", state.name());
        body.put("model", models.current().version());
        return body;
    }

    private void metrics(HttpExchange exchange) throws IOException {
        byte[] body = prometheus.scrape().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private void user(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                String method = exchange.getRequestMethod();
                if (exchange.getRequestURI().getRawPath().endsWith(RECOMMENDATIONS)) {
                    recommendations(exchange);
                    return;
                }
                if (!"GET".equals(method) && !"DELETE".equals(method)) {
                    exchange.getResponseHeaders().add("Allow", "GET, DELETE");
                    respondError(exchange, 405, "GET /users/{id} reads a user, DELETE /users/{id} erases one");
                    return;
                }
                String userId = userIdFromPath(exchange.getRequestURI().getRawPath(), "/users/", "");
                if (userId == null) {
                    respondError(exchange, 400, "expected " + method + " /users/{id} with a URL-encoded id of"
                            + " printable characters");
                    return;
                }
                if ("DELETE".equals(method)) {
                    erase(exchange, userId);
                    return;
                }
                routeToOwner(exchange, userId, "/users/" + encode(userId),
                        (current, partition) -> answerLocally(exchange, current, userId, partition));
            } catch (RuntimeException e) {
                // the path holds a user id: not in logs at INFO and above
                LOG.warn("{} /users/{{id}} failed: {}", exchange.getRequestMethod(), e.getClass().getName());
                LOG.debug("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
                respondError(exchange, 500, "internal error: " + e.getMessage());
            }
        }
    }

    /**
     * {@code GET /users/{id}/recommendations?k=N}: the top N items for the user's current state, computed by the
     * instance owning the user from its store entry (forwarded there like {@code GET /users/{id}}).
     */
    private void recommendations(HttpExchange exchange) throws IOException {
        if (!"GET".equals(exchange.getRequestMethod())) {
            exchange.getResponseHeaders().add("Allow", "GET");
            respondError(exchange, 405, "GET /users/{id}/recommendations?k=N reads a user's recommendations");
            return;
        }
        String userId = userIdFromPath(exchange.getRequestURI().getRawPath(), "/users/", RECOMMENDATIONS);
        if (userId == null) {
            respondError(exchange, 400, "expected GET /users/{id}/recommendations?k=N with a URL-encoded id of"
                    + " printable characters");
            return;
        }
        Recommender current = recommender;
        int k;
        try {
            k = recommendationsK(exchange.getRequestURI().getRawQuery(), current.defaultK());
        } catch (IllegalArgumentException e) {
            respondError(exchange, 400, e.getMessage());
            return;
        }
        LstmModel model = models.current();
        if (!model.hasInterests()) {
            respondError(exchange, 409, noInterestHeads(model));
            return;
        }
        routeToOwner(exchange, userId, "/users/" + encode(userId) + RECOMMENDATIONS + "?k=" + k,
                (streams, partition) -> recommendLocally(exchange, streams, userId, partition, current, k));
    }

    private static final String RECOMMENDATIONS = "/recommendations";

    /**
     * The {@code k} of a recommendations query: {@code defaultK} ({@link Recommender#defaultK()}) when absent,
     * otherwise an integer in 1..{@value Recommender#MAX_K}.
     *
     * @throws IllegalArgumentException naming the rule otherwise
     */
    static int recommendationsK(String rawQuery, int defaultK) {
        String value = null;
        if (rawQuery != null) {
            for (String parameter : rawQuery.split("&")) {
                if (parameter.startsWith("k=")) {
                    value = URLDecoder.decode(parameter.substring(2), StandardCharsets.UTF_8);
                }
            }
        }
        if (value == null) {
            return defaultK;
        }
        int k;
        try {
            k = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            k = -1;
        }
        if (k < 1 || k > Recommender.MAX_K) {
            throw new IllegalArgumentException("k must be an integer from 1 to " + Recommender.MAX_K + ", was '"
                    + value + "'");
        }
        return k;
    }

    private static String noInterestHeads(LstmModel model) {
        return "model " + model.name() + " version " + model.version() + " has no interest heads (next-item and"
                + " next-category): recommendations need a model trained with `pulse train --interests`";
    }

    private void recommendLocally(HttpExchange exchange, KafkaStreams current, String userId, int partition,
            Recommender recommender, int k) throws IOException {
        UserState state = storedState(exchange, current, userId, partition);
        if (state == null) {
            return;
        }
        LstmModel model = models.current();
        if (!model.hasInterests()) {
            respondError(exchange, 409, noInterestHeads(model)); // this owner serves another model than the asker
            return;
        }
        boolean rewarmed = !Recommender.isCurrent(model, state);
        List<ItemScore> items = recommender.recommend(model, state, k);
        respondJson(exchange, 200, UserView.recommendations(userId, model, k, items, rewarmed,
                self.host() + ":" + self.port()));
    }

    /** The user's decoded state from the local store; null after answering 404 or 503. */
    private UserState storedState(HttpExchange exchange, KafkaStreams current, String userId, int partition)
            throws IOException {
        byte[] stored;
        try {
            ReadOnlyKeyValueStore<String, byte[]> store = current.store(StoreQueryParameters
                    .fromNameAndType(StateStores.USER_STATE, QueryableStoreTypes.<String, byte[]>keyValueStore())
                    .withPartition(partition));
            stored = store.get(userId);
        } catch (InvalidStateStoreException e) {
            retryLater(exchange, "the user's state is being restored or migrated");
            return null;
        }
        if (stored == null) {
            respondError(exchange, 404, "no events seen for user " + userId);
            return null;
        }
        return codec.decode(stored);
    }

    /** Writes an erasure request for {@code userId} (authorised by the {@link AdminGuard}); 202 with its id. */
    private void erase(HttpExchange exchange, String userId) throws IOException {
        if (!EventValidator.isValidId(userId, EventValidator.MAX_USER_ID_LENGTH)) {
            respondError(exchange, 400, "not a valid user id (printable, at most " + EventValidator.MAX_USER_ID_LENGTH
                    + " characters)");
            return;
        }
        ErasureSubmitter submitter = erasures;
        if (submitter == null) {
            retryLater(exchange, "erasure requests cannot be written yet (the pipeline is starting)");
            return;
        }
        String requestedBy = exchange.getRequestHeaders().getFirst(REQUESTED_BY);
        if (requestedBy == null || requestedBy.isBlank()) {
            requestedBy = "http admin token from " + exchange.getRemoteAddress().getAddress().getHostAddress();
        }
        ErasureRequest request;
        try {
            request = submitter.submit(userId, requestedBy, "http",
                    exchange.getRequestHeaders().getFirst(ERASURE_REASON));
        } catch (IllegalStateException e) {
            retryLater(exchange, "the erasure request could not be written: " + e.getMessage());
            return;
        }
        ObjectNode body = JSON.createObjectNode();
        body.put("status", "accepted");
        body.put("requestId", request.getRequestId());
        body.put("userId", userId);
        body.put("requestedBy", request.getRequestedBy());
        body.put("note", "the user is erased by the instance owning them; the audit record on the audit topic"
                + " carries this requestId");
        respondJson(exchange, 202, body);
    }

    /** Request header naming who asks for an erasure (kept in the audit record). */
    public static final String REQUESTED_BY = "X-Pulse-Requested-By";
    /** Request header saying why (kept in the erasure request). */
    public static final String ERASURE_REASON = "X-Pulse-Erasure-Reason";

    /**
     * The user id between {@code prefix} and {@code suffix} of a raw path, percent-decoded ({@code +} is a plus sign
     * in a path, not a space); null if missing, malformed, or containing control characters (which no valid user id
     * has, and which the pipeline uses for its own bookkeeping keys).
     */
    static String userIdFromPath(String rawPath, String prefix, String suffix) {
        if (!rawPath.startsWith(prefix) || !rawPath.endsWith(suffix)
                || rawPath.length() <= prefix.length() + suffix.length()) {
            return null;
        }
        String raw = rawPath.substring(prefix.length(), rawPath.length() - suffix.length());
        String id;
        try {
            id = URLDecoder.decode(raw.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
        // the same rule as for the ids of events: nothing else can be a user Pulse knows
        return EventValidator.isValidId(id, Integer.MAX_VALUE) ? id : null;
    }

    private void answerLocally(HttpExchange exchange, KafkaStreams current, String userId, int partition)
            throws IOException {
        UserState state = storedState(exchange, current, userId, partition);
        if (state == null) {
            return;
        }
        respondJson(exchange, 200, UserView.render(userId, state, models.current(), self.host() + ":" + self.port()));
    }

    /** Answers locally when this instance owns the user's partition, forwards to the owner otherwise. */
    void routeToOwner(HttpExchange exchange, String userId, String path, LocalAnswer local) throws IOException {
        KafkaStreams current = streams.get();
        if (current == null || current.state() != KafkaStreams.State.RUNNING) {
            retryLater(exchange, "the pipeline is " + (current == null ? "starting" : current.state()));
            return;
        }
        KeyQueryMetadata owner;
        try {
            owner = current.queryMetadataForKey(StateStores.USER_STATE, userId, Serdes.String().serializer());
        } catch (IllegalStateException e) {
            // the instance left RUNNING between the check above and the query (it is shutting down): not an error
            retryLater(exchange, "the pipeline is " + current.state());
            return;
        }
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            retryLater(exchange, "the owner of this user is not known yet (rebalancing)");
            return;
        }
        if (owner.activeHost().equals(self)) {
            local.answer(current, owner.partition());
        } else if (isForwarded(exchange)) {
            retryLater(exchange, "ownership moved while the request was forwarded");
        } else {
            forward(exchange, owner.activeHost(), path);
        }
    }

    /** The local answer to a routed request. */
    @FunctionalInterface
    interface LocalAnswer {
        void answer(KafkaStreams streams, int partition) throws IOException;
    }

    static String encode(String userId) {
        return URLEncoder.encode(userId, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private void forward(HttpExchange exchange, HostInfo owner, String path) throws IOException {
        URI target = URI.create("http://" + owner.host() + ":" + owner.port() + path
                + (path.contains("?") ? "&" : "?") + FORWARDED + "=1");
        try {
            HttpResponse<byte[]> response = forwarder.send(
                    forwardedRequest(target, exchange.getRequestMethod(), exchange.getRequestHeaders()),
                    HttpResponse.BodyHandlers.ofByteArray());
            response.headers().firstValue("Retry-After")
                    .ifPresent(value -> exchange.getResponseHeaders().add("Retry-After", value));
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            send(exchange, response.statusCode(), response.body());
        } catch (IOException e) {
            retryLater(exchange, "the instance owning this user (" + owner + ") is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            retryLater(exchange, "interrupted");
        }
    }

    /**
     * The request to the owning instance: same method, and for a state-changing request the caller's
     * {@code Authorization} header, so that the owner's {@link AdminGuard} decides exactly as this instance's did.
     * Reads need no token, so a token sent with one is not passed on over the (plain HTTP) hop between instances.
     */
    static HttpRequest forwardedRequest(URI target, String method, Headers incoming) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(5))
                .method(method, HttpRequest.BodyPublishers.noBody());
        String authorization = incoming.getFirst("Authorization");
        boolean changesState = !"GET".equals(method) && !"HEAD".equals(method);
        if (authorization != null && changesState) {
            request.header("Authorization", authorization);
        }
        return request.build();
    }

    private static boolean isForwarded(HttpExchange exchange) {
        String query = exchange.getRequestURI().getRawQuery();
        return query != null && query.contains(FORWARDED + "=1");
    }

    KafkaStreams.State state() {
        KafkaStreams current = streams.get();
        return current == null ? KafkaStreams.State.CREATED : current.state();
    }

    String self() {
        return self.host() + ":" + self.port();
    }

    PipelineMetrics metrics() {
        return metrics;
    }

    ModelHolder models() {
        return models;
    }

    static void retryLater(HttpExchange exchange, String why) throws IOException {
        exchange.getResponseHeaders().add("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        respondError(exchange, 503, why + "; retry in " + RETRY_AFTER_SECONDS + " s");
    }

    static void respondError(HttpExchange exchange, int status, String message) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("error", message);
        respondJson(exchange, status, body);
    }

    static void respondJson(HttpExchange exchange, int status, JsonNode body)
            throws IOException {
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        send(exchange, status, JSON.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
