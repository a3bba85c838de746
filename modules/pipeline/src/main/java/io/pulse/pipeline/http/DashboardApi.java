package io.pulse.pipeline.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.pulse.contracts.Alert;
import io.pulse.contracts.AlertKind;
import io.pulse.contracts.AlertReason;
import io.pulse.model.Catalogue;
import io.pulse.model.EntityWindowSpec;
import io.pulse.model.LstmModel;
import io.pulse.pipeline.entities.RiskiestEntities;
import io.pulse.pipeline.state.StateStores;
import io.pulse.pipeline.telemetry.LiveFeed;
import io.pulse.pipeline.telemetry.LiveQuality;
import io.pulse.pipeline.telemetry.PipelineMetrics;
import io.pulse.pipeline.telemetry.RollingQuality;
import java.io.IOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The dashboard's JSON API: {@code GET /api/overview}, {@code GET /api/alerts?limit=N},
 * {@code GET /api/entities?limit=N} (the riskiest entities of each configured type) and
 * {@code GET /api/users/{id}/timeline} (answered by the instance owning the user, like {@code /users/{id}}).
 */
final class DashboardApi implements HttpHandler {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final String TIMELINE_SUFFIX = "/timeline";

    private final PulseHttpServer server;

    DashboardApi(PulseHttpServer server) {
        this.server = server;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            try {
                route(exchange);
            } catch (RuntimeException e) {
                PulseHttpServer.respondError(exchange, 500, "internal error: " + e.getMessage());
            }
        }
    }

    private void route(HttpExchange exchange) throws IOException {
        {
            String path = exchange.getRequestURI().getRawPath();
            if (!"GET".equals(exchange.getRequestMethod())) {
                PulseHttpServer.respondError(exchange, 405, "only GET is supported");
            } else if (path.equals("/api/overview")) {
                PulseHttpServer.respondJson(exchange, 200, overview());
            } else if (path.equals("/api/alerts")) {
                PulseHttpServer.respondJson(exchange, 200, alerts(limit(exchange.getRequestURI().getRawQuery())));
            } else if (path.equals("/api/entities")) {
                entities(exchange, Math.min(20, limit(exchange.getRequestURI().getRawQuery())));
            } else if (path.startsWith("/api/users/") && path.endsWith(TIMELINE_SUFFIX)) {
                String userId = PulseHttpServer.userIdFromPath(path, "/api/users/", TIMELINE_SUFFIX);
                if (userId == null) {
                    PulseHttpServer.respondError(exchange, 400, "expected GET /api/users/{id}/timeline");
                    return;
                }
                server.routeToOwner(exchange, userId,
                        "/api/users/" + PulseHttpServer.encode(userId) + TIMELINE_SUFFIX,
                        (streams, partition) -> timeline(exchange, userId));
            } else {
                PulseHttpServer.respondError(exchange, 404, "no such endpoint: " + path);
            }
        }
    }

    private ObjectNode overview() {
        PipelineMetrics metrics = server.metrics();
        LiveFeed feed = metrics.feed();
        long now = System.currentTimeMillis();
        ObjectNode root = JSON.objectNode();
        root.put("instance", server.self());
        root.put("state", server.state().name());
        root.put("eventsPerSecond", feed.eventsPerSecond(now));
        ObjectNode latency = root.putObject("latencyMillis");
        latency.put("p50", finite(feed.latencyPercentile(50)));
        latency.put("p95", finite(feed.latencyPercentile(95)));
        latency.put("p99", finite(feed.latencyPercentile(99)));
        ObjectNode totals = root.putObject("totals");
        totals.put("events", (long) metrics.receivedCount());
        totals.put("predictions", (long) metrics.predictionCount());
        totals.put("deadLetters", (long) metrics.deadLetterTotal());
        totals.put("duplicates", (long) metrics.duplicateCount());
        ObjectNode alertTotals = totals.putObject("alerts");
        alertTotals.put("fraud", (long) metrics.alertCount(AlertKind.FRAUD));
        alertTotals.put("churn", (long) metrics.alertCount(AlertKind.CHURN));
        alertTotals.put("interest", (long) metrics.alertCount(AlertKind.INTEREST_SHIFT));
        ObjectNode histograms = root.putObject("scoreHistograms");
        ints(histograms.putArray("churn"), feed.churnHistogram());
        ints(histograms.putArray("fraud"), feed.fraudHistogram());
        ArrayNode rate = root.putArray("rate");
        for (LiveFeed.Second second : feed.seconds()) {
            ObjectNode point = rate.addObject();
            point.put("t", second.epochSecond() * 1000);
            point.put("eventsPerSecond", second.events());
            point.put("p99", second.p99Millis());
        }
        root.set("models", models(metrics.liveQuality()));
        ObjectNode thresholds = root.putObject("thresholds");
        thresholds.put("fraud", server.alertThresholds()[0]);
        thresholds.put("churn", server.alertThresholds()[1]);
        thresholds.put("interest", server.alertThresholds()[2]);
        ArrayNode users = root.putArray("recentUsers");
        feed.recentUsers().forEach(users::add);
        root.put("followedOneIn", feed.followedOneIn());
        return root;
    }

    private ArrayNode models(LiveQuality quality) {
        LstmModel current = server.models().current();
        TreeSet<String> versions = new TreeSet<>();
        quality.snapshot().keySet().forEach(key -> versions.add(key.substring(0, key.lastIndexOf('/'))));
        versions.add(current.version());
        ArrayNode models = JSON.arrayNode();
        for (String version : versions.descendingSet()) {
            ObjectNode model = models.addObject();
            model.put("version", version);
            model.put("current", version.equals(current.version()));
            model.put("randomInit", version.equals(current.version()) ? current.isRandomInit()
                    : version.startsWith("random-"));
            ObjectNode heads = model.putObject("quality");
            for (LiveQuality.Head head : LiveQuality.Head.values()) {
                RollingQuality rolling = quality.quality(version, head);
                ObjectNode h = heads.putObject(head.name().toLowerCase(Locale.ROOT));
                h.put("labels", rolling.total());
                h.put("auc", finite(rolling.auc()));
                h.put("logloss", finite(rolling.logLoss()));
            }
        }
        return models;
    }

    private ArrayNode alerts(int limit) {
        ArrayNode alerts = JSON.arrayNode();
        for (Alert alert : server.metrics().feed().alerts(limit)) {
            ObjectNode node = alerts.addObject();
            node.put("alertId", alert.getAlertId());
            node.put("userId", alert.getUserId());
            node.put("kind", alert.getKind().name());
            node.put("trigger", alert.getTrigger().name());
            node.put("score", alert.getScore());
            node.put("threshold", alert.getThreshold());
            node.put("raisedAt", alert.getRaisedAt().toString());
            node.put("summary", alert.getSummary());
            ArrayNode reasons = node.putArray("reasons");
            for (AlertReason reason : alert.getReasons()) {
                reasons.addObject().put("feature", reason.getFeature()).put("value", reason.getValue())
                        .put("contribution", reason.getContribution()).put("entity", reason.getEntity());
            }
        }
        return alerts;
    }

    private void timeline(HttpExchange exchange, String userId) throws IOException {
        LiveFeed.UserTimeline timeline = server.metrics().feed().timeline(userId);
        if (timeline.isEmpty()) {
            PulseHttpServer.respondError(exchange, 404, "no recent events of user " + userId + " on this instance");
            return;
        }
        // the recommended items' categories come from the catalogue of the model that recommended them, if still held
        LstmModel current = server.models().current();
        String scoredBy = timeline.latest().modelVersion();
        Catalogue catalogue = current.hasInterests() && current.version().equals(scoredBy) ? current.catalogue() : null;
        PulseHttpServer.respondJson(exchange, 200, TimelineView.render(userId, server.self(), timeline, catalogue));
    }

    private static void ints(ArrayNode array, int[] values) {
        for (int value : values) {
            array.add(value);
        }
    }

    /** JSON has no NaN: missing values are null. */
    private static Double finite(double value) {
        return Double.isFinite(value) ? value : null;
    }

    /**
     * The riskiest entities of each configured type ({@link RiskiestEntities}), as of now. With broadcast delivery
     * from this instance's global stores (every entity); with the round trip from the entity stores of this
     * instance's tasks only ({@code scope} says which). 503 while the stores are being restored.
     */
    private void entities(HttpExchange exchange, int limit) throws IOException {
        ObjectNode root = JSON.objectNode();
        List<EntityWindowSpec> types = server.entityTypes();
        boolean broadcast = server.entitiesBroadcast();
        root.put("scope", types.isEmpty() ? "none" : broadcast ? "all" : "instance");
        ArrayNode byType = root.putArray("types");
        KafkaStreams streams = server.currentStreams();
        long now = System.currentTimeMillis();
        for (EntityWindowSpec type : types) {
            String store = broadcast ? StateStores.entitySnapshots(type.type()) : StateStores.entity(type.type());
            List<RiskiestEntities.Ranked> top;
            try {
                if (streams == null) {
                    throw new InvalidStateStoreException("not started");
                }
                ReadOnlyKeyValueStore<String, byte[]> windows = streams.store(StoreQueryParameters
                        .fromNameAndType(store, QueryableStoreTypes.<String, byte[]>keyValueStore()));
                try (KeyValueIterator<String, byte[]> all = windows.all()) {
                    top = RiskiestEntities.top(type, new Iterator<>() {
                        @Override
                        public boolean hasNext() {
                            return all.hasNext();
                        }

                        @Override
                        public Map.Entry<String, byte[]> next() {
                            KeyValue<String, byte[]> entry = all.next();
                            return Map.entry(entry.key, entry.value);
                        }
                    }, now, limit);
                }
            } catch (InvalidStateStoreException e) {
                PulseHttpServer.respondError(exchange, 503, "the entity stores are being restored; retry shortly");
                return;
            }
            ObjectNode node = byType.addObject();
            node.put("type", type.type());
            node.put("key", type.key());
            node.put("horizon", type.horizons().get(RiskiestEntities.rankingHorizon(type)).toString());
            node.put("labelDelay", type.labelDelay().toString());
            ArrayNode entities = node.putArray("entities");
            for (RiskiestEntities.Ranked ranked : top) {
                ObjectNode entity = entities.addObject();
                entity.put("id", ranked.id());
                entity.put("risk", ranked.risk());
                entity.put("knownFrauds", ranked.knownFrauds());
                entity.put("transactions", ranked.transactions());
                entity.put("lastKnownFraud", Instant.ofEpochMilli(ranked.lastKnownFraudMillis()).toString());
            }
        }
        PulseHttpServer.respondJson(exchange, 200, root);
    }

    private static int limit(String query) {
        if (query != null) {
            for (String part : query.split("&")) {
                if (part.startsWith("limit=")) {
                    try {
                        return Math.max(1, Math.min(100, Integer.parseInt(part.substring(6))));
                    } catch (NumberFormatException e) {
                        return 50;
                    }
                }
            }
        }
        return 50;
    }
}
