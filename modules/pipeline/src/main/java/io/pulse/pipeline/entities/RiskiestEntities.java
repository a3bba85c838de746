package io.pulse.pipeline.entities;

import io.pulse.model.EntityWindowSpec;
import io.pulse.model.EntityWindows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The entities of one type with the highest delayed fraud risk, for the dashboard's "riskiest entities" card (the
 * on-call view of issue 14: which terminal has turned bad). Ranked by the risk over the type's
 * {@link #rankingHorizon ranking horizon} (known frauds ÷ transactions old enough for their labels to have arrived,
 * {@link EntityWindows#risk}), then by known frauds, then by id; entities without a known fraud are left out. One pass
 * over the windows with a bounded heap: memory is {@code limit} entries whatever the store's size.
 */
public final class RiskiestEntities {

    private RiskiestEntities() {
    }

    /** One ranked entity, its figures as of {@code atMillis}. */
    public record Ranked(String id, double risk, double knownFrauds, double transactions, long lastKnownFraudMillis) {
    }

    /** The horizon entities are ranked on: the one closest to 7 days (the handbook's), else the first. */
    public static int rankingHorizon(EntityWindowSpec spec) {
        int best = 0;
        long week = Duration.ofDays(7).toMillis();
        for (int h = 1; h < spec.horizonCount(); h++) {
            if (Math.abs(spec.horizons().get(h).toMillis() - week)
                    < Math.abs(spec.horizons().get(best).toMillis() - week)) {
                best = h;
            }
        }
        return best;
    }

    /**
     * The {@code limit} riskiest of {@code windows} (entity id → {@link EntityWindows} bytes of {@code spec}) at
     * {@code atMillis}, riskiest first.
     */
    public static List<Ranked> top(EntityWindowSpec spec, Iterator<Map.Entry<String, byte[]>> windows, long atMillis,
            int limit) {
        int h = rankingHorizon(spec);
        Comparator<Ranked> order = Comparator.comparingDouble(Ranked::risk)
                .thenComparingDouble(Ranked::knownFrauds)
                .thenComparing(Ranked::id, Comparator.reverseOrder());
        PriorityQueue<Ranked> heap = new PriorityQueue<>(order); // the weakest of the kept on top
        while (windows.hasNext()) {
            Map.Entry<String, byte[]> entry = windows.next();
            EntityWindows entity = EntityWindows.fromBytes(spec, entry.getValue());
            if (entity.fraudsSeen() == 0) {
                continue;
            }
            Ranked ranked = new Ranked(entry.getKey(), entity.risk(h, atMillis), entity.knownFrauds(h, atMillis),
                    entity.transactions(h, atMillis), entity.lastKnownFraudMillis());
            if (heap.size() < limit) {
                heap.add(ranked);
            } else if (limit > 0 && order.compare(ranked, heap.peek()) > 0) {
                heap.poll();
                heap.add(ranked);
            }
        }
        List<Ranked> top = new ArrayList<>(heap);
        top.sort(order.reversed());
        return top;
    }
}
