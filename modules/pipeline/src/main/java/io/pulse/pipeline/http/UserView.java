package io.pulse.pipeline.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pulse.contracts.EventType;
import io.pulse.contracts.ItemScore;
import io.pulse.model.BehaviourWindows;
import io.pulse.model.Horizon;
import io.pulse.model.LstmModel;
import io.pulse.model.Scores;
import io.pulse.pipeline.state.UserState;
import java.time.Instant;
import java.util.List;

/**
 * Renders a user's state as the JSON answer of {@code GET /users/{id}}, and their recommendations as the answer of
 * {@code GET /users/{id}/recommendations}.
 */
final class UserView {

    private UserView() {
    }

    static ObjectNode render(String userId, UserState state, LstmModel model, String servedBy) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("userId", userId);
        root.put("servedBy", servedBy);
        BehaviourWindows windows = state.windows();
        root.put("eventsSeen", windows.eventsSeen());
        root.put("firstSeen", time(windows.firstSeenMillis()));
        root.put("lastSeen", time(windows.lastSeenMillis()));
        root.put("typicalGapMillis", Math.round(windows.typicalGapMillis()));

        ObjectNode prediction = root.putObject("prediction");
        boolean current = state.producedBy(model.version()) && state.hidden().length == model.hiddenSize();
        prediction.put("modelVersion", current ? model.version() : null);
        prediction.put("churnProbability", state.lastChurn());
        prediction.put("fraudScoreOfLastEvent", state.lastFraud());
        if (current) {
            // the heads are a pure function of the stored hidden state: the full distribution costs one evaluation
            Scores scores = Scores.forModel(model);
            model.heads(state.hidden(), scores);
            ObjectNode next = prediction.putObject("nextAction");
            for (int i = 0; i < scores.nextAction.length; i++) {
                next.put(model.nextActionLabels().get(i), scores.nextAction[i]);
            }
        } else {
            prediction.put("nextActionMostLikely", EventType.values()[state.lastTopAction()].name());
            prediction.put("note", "state produced by an earlier model; it is re-warmed at the user's next event");
        }

        ObjectNode windowsNode = root.putObject("windows");
        long at = windows.lastSeenMillis();
        if (at != Long.MIN_VALUE) {
            for (Horizon horizon : Horizon.values()) {
                ObjectNode h = windowsNode.putObject(horizon.label());
                h.put("events", round(windows.countAll(horizon, at)));
                h.put("amount", round(windows.amountSum(horizon, at)));
                ObjectNode byType = h.putObject("byType");
                for (EventType type : EventType.values()) {
                    double count = round(windows.count(type, horizon, at));
                    if (count > 0) {
                        byType.put(type.name(), count);
                    }
                }
            }
        }

        ObjectNode alerts = root.putObject("alerts");
        alerts.put("nextInactivityCheck", time(state.inactivityDueAtMillis()));
        alerts.put("lastChurnAlert", time(state.lastChurnAlertMillis()));
        alerts.put("lastFraudAlert", time(state.lastFraudAlertMillis()));
        alerts.put("alertedForCurrentSilence", state.alertedThisSilence());
        return root;
    }

    /**
     * The answer of {@code GET /users/{id}/recommendations}: who and which model, then the items best first, each
     * with the fields of the {@code Prediction}'s {@code ItemScore}.
     *
     * @param rewarmed whether the stored state came from an earlier model and was re-warmed for this answer
     */
    static ObjectNode recommendations(String userId, LstmModel model, int k, List<ItemScore> items,
            boolean rewarmed, String servedBy) {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("userId", userId);
        root.put("servedBy", servedBy);
        root.put("modelVersion", model.version());
        root.put("k", k);
        ArrayNode list = root.putArray("recommendations");
        for (ItemScore item : items) {
            ObjectNode entry = list.addObject();
            entry.put("itemId", item.getItemId());
            entry.put("score", item.getScore());
        }
        if (rewarmed) {
            root.put("note", "state produced by an earlier model; re-warmed from the user's recent events for this"
                    + " answer");
        }
        return root;
    }

    private static String time(long millis) {
        return millis <= 0 || millis == Long.MIN_VALUE ? null : Instant.ofEpochMilli(millis).toString();
    }

    private static double round(double value) {
        return Math.round(value * 1000.0) / 1000.0;
    }
}
