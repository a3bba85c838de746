package io.pulse.pipeline.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.contracts.ItemScore;
import io.pulse.model.Catalogue;
import io.pulse.pipeline.telemetry.LiveFeed;

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
     * @param timeline the user's timeline, not empty
     * @param catalogue the catalogue of the model that scored the latest point, to name the recommended items'
     *     categories; {@code null} when that model is no longer the current one (the items are then listed without)
     */
    static ObjectNode render(String userId, String servedBy, LiveFeed.UserTimeline timeline, Catalogue catalogue) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("userId", userId);
        root.put("servedBy", servedBy);
        // Interests fills the shift for every prediction of a model with interest heads, even with no categories asked
        root.put("interestHeads", timeline.latest().interestHeads());
        ArrayNode recommendations = root.putArray("recommendations");
        for (ItemScore item : timeline.recommendations()) {
            ObjectNode node = recommendations.addObject();
            node.put("itemId", item.getItemId());
            node.put("score", item.getScore());
            if (catalogue != null) {
                int row = catalogue.itemRow(item.getItemId());
                node.put("category", row == 0 ? null : catalogue.categoryIds().get(catalogue.itemCategory(row)));
            }
        }
        ArrayNode array = root.putArray("points");
        for (LiveFeed.TimelinePoint point : timeline.points()) {
            ObjectNode node = array.addObject();
            node.put("eventTime", point.eventTime().toString());
            node.put("eventId", point.eventId());
            node.put("type", point.type().name());
            node.put("amount", Double.isNaN(point.amount()) ? null : point.amount());
            node.put("itemId", point.itemId());
            node.put("category", point.category());
            node.put("churn", point.churn());
            node.put("fraud", point.fraud());
            ObjectNode next = node.putObject("nextAction");
            for (int i = 0; i < point.actions().length; i++) {
                next.put(point.actions()[i], point.actionProbabilities()[i]);
            }
            // an array, not an object: category ids may look like numbers, and JavaScript reorders such keys
            ArrayNode categories = node.putArray("nextCategories");
            for (int i = 0; i < point.nextCategories().length; i++) {
                categories.addObject().put("category", point.nextCategories()[i])
                        .put("probability", point.categoryProbabilities()[i]);
            }
            node.put("interestShift", Float.isFinite(point.interestShift()) ? point.interestShift() : null);
            node.put("modelVersion", point.modelVersion());
        }
        return root;
    }
}
