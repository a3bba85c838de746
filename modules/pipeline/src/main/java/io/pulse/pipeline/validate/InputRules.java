package io.pulse.pipeline.validate;

import java.util.ArrayList;
import java.util.List;

/**
 * Every rule about input records, as one table: each {@link RejectReason} (dead-lettered) and the deliberate
 * non-rejections (accepted, or dropped as a repeat). The README's "What happens to bad input" section is this table;
 * a test regenerates it and fails when the README differs, so documentation and code cannot drift apart.
 */
public final class InputRules {

    /**
     * One row.
     *
     * @param input   what arrives
     * @param outcome what Pulse does with it
     * @param counter the metric that counts it
     */
    public record Rule(String input, String outcome, String counter) {
    }

    private InputRules() {
    }

    /** The rules in the order records are checked: key and bytes, decoding, then fields; then the accepted oddities. */
    public static List<Rule> all() {
        List<Rule> rules = new ArrayList<>();
        for (RejectReason reason : RejectReason.values()) {
            rules.add(new Rule(reason.rule(), "dead-lettered, `pulse.dlq.reason=" + reason.name() + "`",
                    "`pulse_dlq_records_total{reason=\"" + reason.name() + "\"}`"));
        }
        rules.add(new Rule("the same event again (same eventId and eventTime) arriving within `dedup.retention.ms`"
                + " (1 day) of the first delivery", "dropped: the first delivery's prediction stands",
                "`pulse_duplicates_dropped_total`"));
        rules.add(new Rule("a refused event sent again, corrected, with the same eventId",
                "accepted (refused events are not remembered for deduplication)", "`pulse_predictions_total`"));
        rules.add(new Rule("an event type this build does not know (written with a newer schema)",
                "accepted, scored as `UNKNOWN`", "`pulse_predictions_total`"));
        rules.add(new Rule("an event older than the user's last one, or many at the same millisecond",
                "accepted, scored in arrival order; added to the windows with the weight its age deserves",
                "`pulse_predictions_total`"));
        rules.add(new Rule("any characters (newlines, escapes, emoji) in itemId, category, sessionId, attribute"
                + " keys and values; ids of any script", "accepted: free text is never a key, a URL or log text",
                "`pulse_predictions_total`"));
        rules.add(new Rule("no amount, no rating; an amount of 0 or up to `validation.max.amount`",
                "accepted", "`pulse_predictions_total`"));
        rules.add(new Rule("any record while the Schema Registry is unreachable",
                "not the record's fault: the stream task is retried until the registry answers; nothing is"
                        + " dead-lettered or lost", "Kafka Streams' thread metrics"));
        return rules;
    }

    /** The rules as a Markdown table. */
    public static String markdownTable() {
        StringBuilder table = new StringBuilder("| input | what happens | counted in |\n|---|---|---|\n");
        for (Rule rule : all()) {
            table.append("| ").append(rule.input().replace("|", "\\|")).append(" | ").append(rule.outcome())
                    .append(" | ").append(rule.counter()).append(" |\n");
        }
        return table.toString();
    }
}
