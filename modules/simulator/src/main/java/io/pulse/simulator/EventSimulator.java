package io.pulse.simulator;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * An endless, reproducible stream of user events in event-time order.
 *
 * <p>Each user has a personal activity rate (log-normal around the configured mean gap, so a few users are very
 * active and many are occasional) and moves through a shopping funnel as a first-order Markov chain: a session
 * starts with a login or a view, views lead to clicks, clicks to carts, carts to purchases and payments, and any step
 * may end the session. Gaps inside a session are short; gaps between sessions follow the user's rate. This is the
 * first, simple generator: engagement drift, churn and fraud bursts with ground truth come with the full simulator.
 */
public final class EventSimulator implements Iterator<UserEvent> {

    private static final String[] CATEGORIES = {"books", "electronics", "fashion", "groceries", "home", "sports"};
    private static final int ITEMS_PER_CATEGORY = 200;
    /** Mean gap between two events within a session, as a fraction of the user's gap between sessions. */
    private static final double IN_SESSION_GAP_FRACTION = 0.02;

    private final SimulationConfig config;
    private final SplittableRandom random;
    private final PriorityQueue<SimulatedUser> dueNext;

    public EventSimulator(SimulationConfig config) {
        this.config = config;
        this.random = new SplittableRandom(config.seed());
        this.dueNext = new PriorityQueue<>(config.users(),
                (a, b) -> Long.compare(a.nextEventMillis, b.nextEventMillis));
        for (int i = 0; i < config.users(); i++) {
            dueNext.add(newUser(i));
        }
    }

    /** Always true: the simulation never runs out of users. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public UserEvent next() {
        SimulatedUser user = dueNext.poll();
        UserEvent event = user.emitEvent();
        dueNext.add(user);
        return event;
    }

    private SimulatedUser newUser(int index) {
        // log-normal with sigma 0.8: the median user has the configured gap, the tails are wide
        double sessionGapMillis = config.meanSessionGap().toMillis() * Math.exp(0.8 * gaussian());
        String favourite = CATEGORIES[random.nextInt(CATEGORIES.length)];
        SimulatedUser user = new SimulatedUser("user-" + index, sessionGapMillis, favourite, random.split());
        user.nextEventMillis = config.start().toEpochMilli() + (long) user.exponential(sessionGapMillis);
        return user;
    }

    private double gaussian() {
        // Box-Muller on SplittableRandom, which has no nextGaussian of its own on Java 17
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    /** One simulated person: their rhythm, taste and where they are in the funnel. */
    private static final class SimulatedUser {

        /** Funnel transitions: from a state, the probabilities of the next event type; the rest ends the session. */
        private static final Map<EventType, double[]> FUNNEL = Map.of(
                //                       VIEW  CLICK  CART  PURCH  RATING  LOGIN  PAYMENT
                EventType.LOGIN,       new double[] {0.85, 0.05, 0.00, 0.00, 0.02, 0.00, 0.03},
                EventType.VIEW,        new double[] {0.40, 0.35, 0.00, 0.00, 0.03, 0.00, 0.00},
                EventType.CLICK,       new double[] {0.35, 0.15, 0.25, 0.00, 0.02, 0.00, 0.00},
                EventType.ADD_TO_CART, new double[] {0.20, 0.05, 0.15, 0.45, 0.00, 0.00, 0.00},
                EventType.PURCHASE,    new double[] {0.10, 0.00, 0.00, 0.00, 0.05, 0.00, 0.70},
                EventType.PAYMENT,     new double[] {0.25, 0.05, 0.00, 0.00, 0.10, 0.00, 0.00},
                EventType.RATING,      new double[] {0.40, 0.10, 0.00, 0.00, 0.05, 0.00, 0.00});
        private static final EventType[] FUNNEL_ORDER = {
            EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART, EventType.PURCHASE,
            EventType.RATING, EventType.LOGIN, EventType.PAYMENT};

        private final String userId;
        private final double sessionGapMillis;
        private final String favouriteCategory;
        private final SplittableRandom random;
        private long nextEventMillis;
        private EventType state;
        private String currentItem;
        private String currentCategory;
        private double cartValue;
        private int sessionNumber;

        SimulatedUser(String userId, double sessionGapMillis, String favouriteCategory, SplittableRandom random) {
            this.userId = userId;
            this.sessionGapMillis = sessionGapMillis;
            this.favouriteCategory = favouriteCategory;
            this.random = random;
        }

        UserEvent emitEvent() {
            EventType type = state == null ? startSession() : state;
            UserEvent event = describe(type);
            EventType following = nextInFunnel(type);
            if (following == null) {
                state = null;
                nextEventMillis += 1 + (long) exponential(sessionGapMillis);
            } else {
                state = following;
                nextEventMillis += 1 + (long) exponential(sessionGapMillis * IN_SESSION_GAP_FRACTION);
            }
            return event;
        }

        private EventType startSession() {
            sessionNumber++;
            cartValue = 0;
            return random.nextDouble() < 0.3 ? EventType.LOGIN : EventType.VIEW;
        }

        private EventType nextInFunnel(EventType from) {
            double[] probabilities = FUNNEL.get(from);
            double u = random.nextDouble();
            for (int i = 0; i < probabilities.length; i++) {
                u -= probabilities[i];
                if (u < 0) {
                    return FUNNEL_ORDER[i];
                }
            }
            return null;
        }

        private UserEvent describe(EventType type) {
            if (type == EventType.VIEW || currentItem == null) {
                pickItem();
            }
            UserEvent.Builder event = UserEvent.newBuilder()
                    .setEventId(randomUuid().toString())
                    .setUserId(userId)
                    .setType(type)
                    .setEventTime(Instant.ofEpochMilli(nextEventMillis))
                    .setSessionId(userId + "-s" + sessionNumber);
            switch (type) {
                case VIEW, CLICK -> event.setItemId(currentItem).setCategory(currentCategory);
                case ADD_TO_CART -> {
                    cartValue += price();
                    event.setItemId(currentItem).setCategory(currentCategory);
                }
                case PURCHASE -> event.setItemId(currentItem).setCategory(currentCategory)
                        .setAmount(round2(Math.max(cartValue, price())));
                case PAYMENT -> event.setAmount(round2(Math.max(cartValue, price())));
                case RATING -> event.setItemId(currentItem).setCategory(currentCategory)
                        .setRating((float) (1 + random.nextInt(9) / 2.0));
                default -> { }
            }
            return event.build();
        }

        /** A version-4 UUID from the seeded generator, so the same seed gives the same event ids. */
        private UUID randomUuid() {
            long most = (random.nextLong() & ~0xF000L) | 0x4000L;
            long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
            return new UUID(most, least);
        }

        private void pickItem() {
            // 70 % of browsing stays in the user's favourite category
            currentCategory = random.nextDouble() < 0.7
                    ? favouriteCategory
                    : CATEGORIES[random.nextInt(CATEGORIES.length)];
            currentItem = currentCategory + "-" + random.nextInt(ITEMS_PER_CATEGORY);
        }

        private double price() {
            return Math.exp(2.5 + 1.0 * random.nextDouble() * 2);
        }

        private double exponential(double mean) {
            return -mean * Math.log(1.0 - random.nextDouble());
        }

        private static double round2(double value) {
            return Math.round(value * 100.0) / 100.0;
        }
    }
}
