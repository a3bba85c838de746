package io.pulse.pipeline;

import io.pulse.contracts.Prediction;
import io.pulse.contracts.UserEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Input for deduplication specs: a random mix, from a fixed seed, of three users' new events (mostly forward in time,
 * sometimes late, sometimes at the very time of the user's newest event) and redeliveries of their earlier events (the
 * newest or an older one), with the reference answer: which deliveries are first ones.
 */
final class Redeliveries {

    private Redeliveries() {
    }

    /**
     * {@code count} deliveries in arrival order; {@code newEvent} makes a new event of a user at {@code TopologyFixture
     * .START} plus an offset.
     */
    static List<UserEvent> mix(long seed, int count, BiFunction<String, Duration, UserEvent> newEvent) {
        Random random = new Random(seed);
        List<UserEvent> sent = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String user = "u-" + random.nextInt(3);
            List<UserEvent> ofUser = sent.stream().filter(e -> e.getUserId().equals(user)).toList();
            if (!ofUser.isEmpty() && random.nextInt(3) == 0) {
                sent.add(ofUser.get(random.nextInt(ofUser.size())));
                continue;
            }
            Duration offset = Duration.ofMinutes(-600 + i * 2L - (random.nextInt(4) == 0 ? random.nextInt(120) : 0));
            if (!ofUser.isEmpty() && random.nextInt(10) == 0) {
                offset = Duration.between(TopologyFixture.START, ofUser.get(ofUser.size() - 1).getEventTime());
            }
            sent.add(newEvent.apply(user, offset));
        }
        return sent;
    }

    /** A delivery's identity for deduplication: its event id and event time. */
    static String key(UserEvent event) {
        return event.getEventId() + "@" + event.getEventTime().toEpochMilli();
    }

    /** The same identity, of the prediction made for a delivery. */
    static String key(Prediction prediction) {
        return prediction.getEventId() + "@" + prediction.getEventTime().toEpochMilli();
    }

    /** The first delivery of each event among {@code sent}, by {@link #key}, in arrival order: what must be scored. */
    static Map<String, UserEvent> firstDeliveries(List<UserEvent> sent) {
        Map<String, UserEvent> first = new LinkedHashMap<>();
        sent.forEach(event -> first.putIfAbsent(key(event), event));
        return first;
    }
}
