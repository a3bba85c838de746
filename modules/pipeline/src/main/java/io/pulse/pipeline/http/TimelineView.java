package io.pulse.pipeline.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.contracts.ActionProbability;
import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import io.pulse.model.Catalogue;
import io.pulse.pipeline.telemetry.LiveFeed;
import java.util.List;

/**
 * Renders a user's recent events and the predictions that followed them as the JSON answer of
 * {@code GET /api/users/{id}/timeline}: per point the event (time, id, type, amount, item, category) and its scores
 * (churn, fraud, next-action distribution, the top next categories and the interest shift), oldest first; and, from
 * the latest point, the recommendations Pulse published after the user's last event.
 *
 * <p>{@code interestHeads} says whether the model that scored the latest event has interest heads: a prediction from
 * a model without them carries no categories, no recommendations and a {@code null} interest shift, and the page says
 * so instead of drawing empty charts. Older points may come from another model: each point carries its own
 * {@code interestShift} ({@code null} without interest heads).
 */
final class TimelineView {

    private TimelineView() {
    }

    /**
     * @param points the user's points, oldest first, not empty
     * @param catalogue the catalogue of the model that scored the latest point, to name the recommended items'
     *     categories; {@code null} when that model is no longer the current one (the items are then listed without)
     */
    static ObjectNode render(String userId, String servedBy, List<LiveFeed.TimelinePoint> points, Catalogue catalogue) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("userId", userId);
        root.put("servedBy", servedBy);
        Prediction latest = points.get(points.size() - 1).prediction();
        root.put("interestHeads", hasInterestHeads(latest));
        ArrayNode recommendations = root.putArray("recommendations");
        for (ItemScore item : latest.getRecommendations()) {
            ObjectNode node = recommendations.addObject();
            node.put("itemId", item.getItemId());
            node.put("score", item.getScore());
            if (catalogue != null) {
                int row = catalogue.itemRow(item.getItemId());
                node.put("category", row == 0 ? null : catalogue.categoryIds().get(catalogue.itemCategory(row)));
            }
        }
        ArrayNode array = root.putArray("points");
        for (LiveFeed.TimelinePoint point : points) {
            UserEvent event = point.event();
            Prediction prediction = point.prediction();
            ObjectNode node = array.addObject();
            node.put("eventTime", event.getEventTime().toString());
            node.put("eventId", event.getEventId());
            node.put("type", event.getType().name());
            if (event.getAmount() == null) {
                node.putNull("amount");
            } else {
                node.put("amount", event.getAmount());
            }
            node.put("itemId", event.getItemId());
            node.put("category", event.getCategory());
            node.put("churn", prediction.getChurnProbability());
            node.put("fraud", prediction.getFraudScore());
            ObjectNode next = node.putObject("nextAction");
            for (ActionProbability action : prediction.getNextAction()) {
                next.put(action.getAction(), action.getProbability());
            }
            // an array, not an object: category ids may look like numbers, and JavaScript reorders such keys
            ArrayNode categories = node.putArray("nextCategories");
            for (CategoryProbability category : prediction.getNextCategories()) {
                categories.addObject().put("category", category.getCategory())
                        .put("probability", category.getProbability());
            }
            Double shift = prediction.getInterestShift();
            node.put("interestShift", shift == null || !Double.isFinite(shift) ? null : shift);
            node.put("modelVersion", prediction.getModelVersion());
        }
        return root;
    }

    /** Interests fills the shift for every prediction of a model with interest heads, even with no categories asked. */
    static boolean hasInterestHeads(Prediction prediction) {
        return prediction.getInterestShift() != null;
    }
}
