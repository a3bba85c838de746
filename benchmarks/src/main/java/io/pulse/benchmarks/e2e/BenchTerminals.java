package io.pulse.benchmarks.e2e;

import io.pulse.contracts.UserEvent;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.UnaryOperator;

/**
 * The terminals of the entity benchmark's input: every event gets {@code attr.terminal}, drawn from {@link #COUNT}
 * terminals with Zipf-distributed popularity (exponent {@link #EXPONENT}), so that a hot terminal exists, as in a
 * real payment network where a few merchants' terminals carry a large share of the traffic. With exponent 1 over
 * 5,000 terminals the most popular one takes about 11 % of the events, the top 10 about 32 %. Every event carries a
 * terminal (not only payments): the worst case for the entity cost, every event reads and writes a terminal's state.
 * Deterministic for a seed (events are adjusted in generation order). Counts what it assigned, for the report.
 */
final class BenchTerminals implements UnaryOperator<UserEvent> {

    /** The entity type (and event attribute) of the benchmark. */
    static final String TYPE = "terminal";
    static final int COUNT = 5_000;
    static final double EXPONENT = 1.0;

    private final double[] cumulative = new double[COUNT];
    private final SplittableRandom random;
    private final int[] hits = new int[COUNT];
    private int assigned;

    BenchTerminals(long seed) {
        double sum = 0;
        for (int rank = 0; rank < COUNT; rank++) {
            sum += 1.0 / Math.pow(rank + 1, EXPONENT);
            cumulative[rank] = sum;
        }
        for (int rank = 0; rank < COUNT; rank++) {
            cumulative[rank] /= sum;
        }
        this.random = new SplittableRandom(seed);
    }

    /** The terminal id of popularity rank {@code rank} (0: the most popular). */
    static String terminalId(int rank) {
        return String.format(Locale.ROOT, "T%05d", rank);
    }

    /** A popularity rank drawn from the Zipf distribution. */
    int nextRank() {
        int found = Arrays.binarySearch(cumulative, random.nextDouble());
        return Math.min(found >= 0 ? found : -found - 1, COUNT - 1);
    }

    @Override
    public UserEvent apply(UserEvent event) {
        int rank = nextRank();
        hits[rank]++;
        assigned++;
        Map<String, String> attributes = event.getAttributes() == null ? new HashMap<>()
                : new HashMap<>(event.getAttributes());
        attributes.put(TYPE, terminalId(rank));
        event.setAttributes(attributes);
        return event;
    }

    /** Distinct terminals among the events assigned so far, and the hottest terminal's share of them. */
    String describe() {
        long distinct = Arrays.stream(hits).filter(h -> h > 0).count();
        int hottest = 0;
        for (int rank = 1; rank < COUNT; rank++) {
            hottest = hits[rank] > hits[hottest] ? rank : hottest;
        }
        return String.format(Locale.ROOT, "every event carries `attr.%s`, one of %,d terminals with Zipf popularity"
                + " (exponent %.1f, `BenchTerminals`): %,d distinct terminals in the %,d generated events, the hottest"
                + " (%s) with %.1f %% of them", TYPE, COUNT, EXPONENT, distinct, assigned,
                terminalId(hottest), assigned == 0 ? 0.0 : 100.0 * hits[hottest] / assigned);
    }
}
