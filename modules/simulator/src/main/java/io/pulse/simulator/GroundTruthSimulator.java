package io.pulse.simulator;

import io.pulse.contracts.EventType;
import io.pulse.contracts.UserEvent;
import io.pulse.simulator.internal.DiurnalRate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * An endless, reproducible stream of user events in event-time order, each with its {@link GroundTruth} and realised
 * {@link Outcome}. {@link EventSimulator} is the plain {@code Iterator<UserEvent>} view of the same stream.
 *
 * <h2>The generative model</h2>
 * <ul>
 *   <li><b>Engagement.</b> Each user has a base session rate (log-normal around {@code 1 / meanSessionGap}) and a
 *   latent log-engagement {@code x}; sessions arrive as a Poisson process with intensity
 *   {@code base * exp(x) * exp(-delta * (time since the last session)) * profile(hour of day)}. At every session
 *   start {@code x} takes a mean-reverting random step (a discretised Ornstein-Uhlenbeck process, step
 *   {@code 0.1 * (0 - x) + 0.2 * N(0,1)}). For a {@link SimulationConfig#decliningUserShare() declining} user,
 *   {@code x} instead drifts down continuously at a rate {@code delta} of 0.05 to 0.4 per day (random walk without
 *   mean reversion), so sessions thin out; since the remaining integrated intensity is finite, such a user at some
 *   point never comes back (the draw of the next session time exceeds it).</li>
 *   <li><b>Quitting.</b> At each session end a user also quits for good with probability
 *   {@code min(0.5, 0.002 * exp(-x))}: the less engaged, the likelier. A user who stopped is replaced by a newcomer
 *   (a new user id), so the population keeps its size and the stream never ends.</li>
 *   <li><b>Sessions</b> start with LOGIN (30 %) or VIEW (70 %) and follow a first-order Markov funnel (view, click,
 *   add-to-cart, purchase, payment, rating; see {@code FUNNEL}); each step may end the session. Gaps inside a
 *   session are exponential with a per-user mean of 2 % of their session gap (20 s to 30 min).</li>
 *   <li><b>Fraud.</b> A {@link SimulationConfig#compromisedUserShare() share} of users is at risk: at each of their
 *   session ends (if they did not quit) the account is compromised with probability 0.05, once. A fraudster then
 *   makes a burst of PAYMENT events at an unusual hour (uniformly between 01:00 and 05:00 UTC, the next such window
 *   at least 10 minutes later), on terminals the user never uses ({@code itemId} and {@code attributes.terminal}),
 *   with high amounts, about two minutes apart; a burst has at least 2 payments and continues after each further one
 *   with probability 0.7. The user's own next session is drawn from the end of the burst.</li>
 *   <li><b>Interests.</b> Items and categories come from the {@link SimulatedCatalogue} (category paths such as
 *   {@code Beauty>Skin Care>Face}, interests kept at level 2). Each user has log-weights over the level-2 categories:
 *   a dominant one {@code 3.5} above the others, which scatter around 0 with spread {@code 0.5} (so about two thirds of
 *   the browsing goes to the dominant category). At every session start the log-weights take a mean-reverting random
 *   step (reversion 0.1, step 0.2: slow drift), or, with probability {@link SimulationConfig#interestSwitchRate()}
 *   (never at the first session), the interests <em>switch</em>: a new dominant category, drawn uniformly from the
 *   others, and new log-weights around it, in force at once. A VIEW (or the first item-bearing event) browses a new
 *   item: its level-2 category drawn from the user's current interests, then with probability 0.2 one of the user's
 *   last 8 browsed items of that category (repeat consumption), otherwise a leaf of the category uniformly and an item
 *   of the leaf by popularity (Zipf); clicks, carts, purchases and ratings stay on the browsed item. Interests and item
 *   choice draw from a random stream of their own, so they change nothing else about the stream.</li>
 *   <li><b>Terminals.</b> A user pays at 3 habitual terminals out of 10,000 ({@code attributes.terminal}, also the
 *   payment's {@code itemId}). With {@link TerminalCompromises#busyTerminalShare()} above 0, an ordinary payment is
 *   instead made at one of 20 <em>busy</em> terminals (terminals 0 to 19, which many users share) with that
 *   probability, the terminal of rank k drawn with weight {@code 1/k} (Zipf).</li>
 *   <li><b>Compromised terminals</b> (the fraud handbook's scenario 2, off by default). Episodes start as a Poisson
 *   process at {@link TerminalCompromises#perDay()} per simulated day from the start; each compromises a busy terminal,
 *   drawn with the same Zipf weights as the traffic, for {@link TerminalCompromises#length()}
 *   ({@link #terminalCompromises()} lists them). Every ordinary payment made at a terminal while it is compromised is
 *   fraudulent; nothing else about it changes (time, amount, what the user does next). Busy-terminal choices and
 *   episodes draw from random streams of their own: with both off, the stream is exactly the one without them.</li>
 *   <li><b>Devices.</b> Each user has one device (60 %) or two ({@code attributes.device} on every event, an id such
 *   as {@code device-3f2a...}); each session uses one of them, uniformly. A fraud burst uses one of 100 fraudsters'
 *   devices ({@code device-fraud-<n>}), never a user's own. Devices draw from a random stream of their own too.</li>
 * </ul>
 *
 * <h2>Ground truth</h2>
 * Everything after an event depends only on the user's state at that event, so the truth is computed exactly, in
 * closed form, no Monte-Carlo and no approximation beyond floating point (and millisecond rounding of times):
 * <ul>
 *   <li><b>Next action.</b> With {@code cont} the funnel row of the current step (probabilities of continuing the
 *   session with each type), {@code end = 1 - sum(cont)}, {@code c} the quit probability, {@code phi} the compromise
 *   probability and {@code R = 1 - exp(-base * exp(x) * m(t, infinity))} the probability that a next session ever
 *   comes (1 for a non-declining user):
 *   {@code P(a) ∝ cont[a] + end * ((1-c) * phi * [a = PAYMENT] + (1-c) * (1-phi) * R * start[a])},
 *   normalised over the cases where a next event exists.</li>
 *   <li><b>Churn within H.</b> {@code sum(cont) * exp(-H / inSessionGap) + end * (c + (1-c) * phi * P(burst starts
 *   after t+H) + (1-c) * (1-phi) * exp(-base * exp(x) * m(t, H)))}, where {@code m} is the exact integral of the
 *   declining, diurnal intensity ({@link DiurnalRate}). Holding nothing constant is needed: between sessions
 *   engagement follows a known deterministic path (constant, or declining at {@code delta}) and its random steps happen
 *   only at session starts, which is what makes the value exact.</li>
 *   <li><b>Fraud.</b> The simulator knows which events are fraudulent ({@link GroundTruth#fraud()}): those the
 *   fraudster made, and the ordinary payments made at a compromised terminal. The episodes are drawn independently of
 *   the users and only decide which of the payments that happen anyway are fraudulent, so the next-action and churn
 *   truth above is unchanged by them (the user does not notice; no term for them is needed).</li>
 *   <li><b>Interests.</b> The user's category distribution at the event (what the next browsed item's level-2
 *   category is drawn from), their dominant category and the events since their last switch
 *   ({@link GroundTruth#interests()}).</li>
 * </ul>
 * The realised {@link Outcome} of each event is drawn from exactly these distributions, so the truth is calibrated
 * (the tests check it) and {@link BayesLogLoss} gives the best log-loss any model can reach on the stream.
 *
 * <p>Not thread-safe. Cost: a few microseconds per event at most, typically well under one.
 */
public final class GroundTruthSimulator implements Iterator<SimulatedEvent> {

    private static final EventType[] TYPES = EventType.values();
    private static final int TYPE_COUNT = TYPES.length;
    private static final int PAYMENT = EventType.PAYMENT.ordinal();

    /**
     * Funnel transitions by ordinal of the current step: probabilities of the next step's type within the session;
     * the rest ends the session. Columns in EventType ordinal order: UNKNOWN, VIEW, CLICK, CART, PURCHASE, RATING,
     * LOGIN, PAYMENT.
     */
    private static final double[][] FUNNEL = new double[TYPE_COUNT][];
    private static final double[] SESSION_END = new double[TYPE_COUNT];
    /** The type of the first event of a session. */
    private static final double[] SESSION_START = new double[TYPE_COUNT];

    static {
        FUNNEL[EventType.UNKNOWN.ordinal()] = new double[] {0, 0, 0, 0, 0, 0, 0, 0};
        FUNNEL[EventType.LOGIN.ordinal()] = new double[] {0, 0.85, 0.05, 0.00, 0.00, 0.02, 0.00, 0.03};
        FUNNEL[EventType.VIEW.ordinal()] = new double[] {0, 0.40, 0.35, 0.00, 0.00, 0.03, 0.00, 0.00};
        FUNNEL[EventType.CLICK.ordinal()] = new double[] {0, 0.35, 0.15, 0.25, 0.00, 0.02, 0.00, 0.00};
        FUNNEL[EventType.ADD_TO_CART.ordinal()] = new double[] {0, 0.20, 0.05, 0.15, 0.45, 0.00, 0.00, 0.00};
        FUNNEL[EventType.PURCHASE.ordinal()] = new double[] {0, 0.10, 0.00, 0.00, 0.00, 0.05, 0.00, 0.70};
        FUNNEL[EventType.PAYMENT.ordinal()] = new double[] {0, 0.25, 0.05, 0.00, 0.00, 0.10, 0.00, 0.00};
        FUNNEL[EventType.RATING.ordinal()] = new double[] {0, 0.40, 0.10, 0.00, 0.00, 0.05, 0.00, 0.00};
        for (int i = 0; i < TYPE_COUNT; i++) {
            double sum = 0;
            for (double p : FUNNEL[i]) {
                sum += p;
            }
            SESSION_END[i] = 1 - sum;
        }
        SESSION_START[EventType.LOGIN.ordinal()] = 0.3;
        SESSION_START[EventType.VIEW.ordinal()] = 0.7;
    }

    private static final SimulatedCatalogue CATALOGUE = SimulatedCatalogue.get();
    private static final int INTEREST_CATEGORIES = CATALOGUE.interestCategoryCount();
    /** Log-weight a user's dominant category has over the others (about two thirds of the browsing). */
    private static final double DOMINANCE = 3.5;
    /** Spread of the other categories' log-weights around 0. */
    private static final double INTEREST_SPREAD = 0.5;
    private static final double INTEREST_REVERSION = 0.1;
    private static final double INTEREST_STEP_SD = 0.2;
    /** Probability that a browsed item is one the user browsed recently (in the drawn category), if there is one. */
    private static final double REPEAT_ITEM = 0.2;
    private static final int RECENT_ITEMS = 8;
    /** Mixed into the seed for the interest streams, which are separate so that interests leave the rest alone. */
    private static final long INTEREST_SEED_MIX = 0x5DEECE66DL;
    /** Terminals (merchants) of ordinary payments; each user pays at a few of them. */
    private static final int TERMINALS = 10_000;
    /** Terminals used by fraudsters, numbered after the ordinary ones: never one of a user's own. */
    private static final int FRAUD_TERMINALS = 300;
    private static final int HABITUAL_TERMINALS = 3;
    /** Mixed into the seed for the busy-terminal and episode streams (separate: off, they leave the rest alone). */
    private static final long TERMINAL_SEED_MIX = 0x7E2A1C3B9D4F6A85L;
    /** Mixed into the seed for the device streams. */
    private static final long DEVICE_SEED_MIX = 0x3C6EF372FE94F82BL;
    /** Share of users with two devices (the others have one). */
    private static final double TWO_DEVICES = 0.4;
    /** Devices fraudsters use, shared by all of them and never a user's own. */
    private static final int FRAUD_DEVICES = 100;

    private static final double IN_SESSION_GAP_FRACTION = 0.02;
    private static final double MIN_IN_SESSION_GAP_MS = 20_000;
    private static final double MAX_IN_SESSION_GAP_MS = 30 * 60_000;
    private static final double OU_REVERSION = 0.1;
    private static final double OU_STEP_SD = 0.2;
    private static final double MIN_DECLINE_PER_DAY = 0.05;
    private static final double MAX_DECLINE_PER_DAY = 0.4;
    private static final double BASE_QUIT = 0.002;
    private static final double MAX_QUIT = 0.5;
    private static final double COMPROMISE_PER_SESSION_END = 0.05;
    private static final long FRAUD_MIN_DELAY_MS = 10 * 60_000L;
    private static final long FRAUD_WINDOW_START_MS = DiurnalRate.HOUR_MS;
    private static final long FRAUD_WINDOW_LENGTH_MS = 4 * DiurnalRate.HOUR_MS;
    private static final double FRAUD_GAP_MS = 120_000;
    private static final double FRAUD_CONTINUE = 0.7;

    private final SimulationConfig config;
    private final double horizonMs;
    private final SplittableRandom population;
    private final SplittableRandom interestPopulation;
    private final SplittableRandom terminalPopulation;
    private final SplittableRandom devicePopulation;
    private final TerminalEpisodes episodes;
    private final double busyTerminalShare;
    private long compromisedTerminalPayments;
    private final PriorityQueue<User> due;
    private int usersCreated;
    private long usersCompromised;
    private long usersStopped;
    private long usersAtRisk;
    /** Scratch for the unnormalised next-action distribution. */
    private final double[] scratch = new double[TYPE_COUNT];

    public GroundTruthSimulator(SimulationConfig config) {
        this.config = config;
        this.horizonMs = config.churnHorizon().toMillis();
        this.population = new SplittableRandom(config.seed());
        this.interestPopulation = new SplittableRandom(config.seed() ^ INTEREST_SEED_MIX);
        SplittableRandom terminals = new SplittableRandom(config.seed() ^ TERMINAL_SEED_MIX);
        this.episodes = new TerminalEpisodes(config.terminalCompromises(), config.start().toEpochMilli(),
                terminals.split());
        this.terminalPopulation = terminals;
        this.busyTerminalShare = config.terminalCompromises().busyTerminalShare();
        this.devicePopulation = new SplittableRandom(config.seed() ^ DEVICE_SEED_MIX);
        this.due = new PriorityQueue<>(config.users(), (a, b) -> a.nextMillis != b.nextMillis
                ? Long.compare(a.nextMillis, b.nextMillis) : Integer.compare(a.index, b.index));
        long start = config.start().toEpochMilli();
        for (int i = 0; i < config.users(); i++) {
            admitNewUser(start);
        }
    }

    public SimulationConfig config() {
        return config;
    }

    /** Always true: a user who stops is replaced, so the simulation never runs out of events. */
    @Override
    public boolean hasNext() {
        return true;
    }

    @Override
    public SimulatedEvent next() {
        User user = due.poll();
        if (user == null) {
            throw new NoSuchElementException("no active user (cannot happen: stopped users are replaced)");
        }
        SimulatedEvent event = user.emit();
        if (user.active) {
            due.add(user);
        } else {
            usersStopped++;
            admitNewUser(user.nextMillis);
        }
        return event;
    }

    /** Event time of the event {@link #next()} will return. */
    public Instant peekNextEventTime() {
        return Instant.ofEpochMilli(peekNextEventMillis());
    }

    /** Event time of the event {@link #next()} will return, in epoch milliseconds. */
    public long peekNextEventMillis() {
        User user = due.peek();
        if (user == null) {
            throw new NoSuchElementException("no active user");
        }
        return user.nextMillis;
    }

    /** Number of distinct user ids created so far (initial users and newcomers). */
    public int usersCreated() {
        return usersCreated;
    }

    /** Number of users whose account has been compromised so far (a fraud burst is scheduled or done). */
    public long usersCompromised() {
        return usersCompromised;
    }

    /** Number of users created so far who belong to the compromised share (at risk of a fraud burst). */
    public long usersAtRisk() {
        return usersAtRisk;
    }

    /** Number of users who stopped for good so far. */
    public long usersStopped() {
        return usersStopped;
    }

    /**
     * The compromised-terminal episodes that have started so far (up to the time of the last event emitted), in start
     * order: every ordinary payment at an episode's terminal within it is fraudulent. Empty without episodes.
     */
    public List<CompromiseEpisode> terminalCompromises() {
        return episodes.episodes();
    }

    /** Number of ordinary users' payments made at a compromised terminal so far (fraudulent, not a fraudster's). */
    public long compromisedTerminalPayments() {
        return compromisedTerminalPayments;
    }

    /** The id of ordinary (or, numbered after them, fraud-only) terminal number {@code number}. */
    static String terminalId(int number) {
        return "terminal-" + number;
    }

    private void admitNewUser(long fromMillis) {
        for (int attempt = 0; attempt < 1000; attempt++) {
            User user = new User(usersCreated++, population.split());
            if (user.scheduleFirstSession(fromMillis)) {
                due.add(user);
                return;
            }
            usersStopped++; // a newcomer who would never show up: try another one
        }
        throw new IllegalStateException("could not admit a new user after 1000 attempts");
    }

    /** A user's fixed traits, drawn from their own random stream in a fixed order. */
    private record Traits(double baseRatePerMs, double inSessionGapMs, double declinePerMs, boolean atRisk,
            int[] terminals) {
    }

    private static Traits drawTraits(SimulationConfig config, SplittableRandom random) {
        double gapMs = config.meanSessionGap().toMillis() * Math.exp(0.8 * gaussian(random));
        double inSessionGap = Math.min(MAX_IN_SESSION_GAP_MS,
                Math.max(MIN_IN_SESSION_GAP_MS, IN_SESSION_GAP_FRACTION * gapMs));
        boolean declining = random.nextDouble() < config.decliningUserShare();
        double declinePerDay = MIN_DECLINE_PER_DAY + (MAX_DECLINE_PER_DAY - MIN_DECLINE_PER_DAY) * random.nextDouble();
        boolean atRisk = random.nextDouble() < config.compromisedUserShare();
        int[] terminals = new int[HABITUAL_TERMINALS];
        for (int i = 0; i < terminals.length; i++) {
            terminals[i] = random.nextInt(TERMINALS);
        }
        return new Traits(1.0 / gapMs, inSessionGap, declining ? declinePerDay / DiurnalRate.DAY_MS : 0, atRisk,
                terminals);
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller on SplittableRandom, which has no nextGaussian of its own on Java 17
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static double exponential(SplittableRandom random, double mean) {
        return -mean * Math.log(1.0 - random.nextDouble());
    }

    /** A positive gap in whole milliseconds (at least 1, so a user's events never share a timestamp). */
    private static long gapMillis(double gapMs) {
        return Math.max(1, (long) Math.ceil(gapMs));
    }

    /** The start of the first fraud window (01:00 UTC) at or after {@code t + 10 min}. */
    private static long fraudWindowStart(long t) {
        long earliest = t + FRAUD_MIN_DELAY_MS;
        long dayStart = Math.floorDiv(earliest, DiurnalRate.DAY_MS) * DiurnalRate.DAY_MS;
        long window = dayStart + FRAUD_WINDOW_START_MS;
        return window >= earliest ? window : window + DiurnalRate.DAY_MS;
    }

    /** One simulated person: traits, engagement, where they are in the funnel, what comes next. */
    private final class User {
        final int index;
        final String userId;
        final SplittableRandom random;
        /** Interests and item choice draw from their own stream: the engagement, funnel and fraud draws stay put. */
        final SplittableRandom interestRandom;
        /** Busy-terminal choices draw from their own stream, devices from theirs: without them the rest stays put. */
        final SplittableRandom terminalRandom;
        final SplittableRandom deviceRandom;
        /** The user's own devices (one or two); a session uses one of them. */
        final String[] devices;
        /** The device of the current session or fraud burst. */
        String device;
        final Traits traits;
        final DiurnalRate rate;
        final double reversion;

        /** Log-engagement at {@link #referenceMillis}; it declines linearly (at delta) from there. */
        double referenceEngagement;
        long referenceMillis;

        boolean active = true;
        long nextMillis;
        EventType nextType;
        boolean sessionStartPending;
        boolean compromised;
        /** Payments made so far in the current fraud burst; -1 outside a burst. */
        int burstPayments = -1;
        /** Whether the event being described is an ordinary payment at a compromised terminal. */
        boolean paidAtCompromisedTerminal;

        int sessionNumber;
        String sessionId;
        String currentItem;
        String currentCategory;
        double cartValue;

        /** Long-run log-weights of the level-2 categories; the current ones revert towards them. */
        final double[] interestAnchor = new double[INTEREST_CATEGORIES];
        final double[] interestLogits = new double[INTEREST_CATEGORIES];
        /** softmax of the current log-weights; a new array whenever they change (truths share it). */
        float[] interests;
        int dominant;
        int eventsSinceSwitch = -1;
        final String[] recentItems = new String[RECENT_ITEMS];
        final String[] recentPaths = new String[RECENT_ITEMS];
        final int[] recentCategories = new int[RECENT_ITEMS];
        int recentCount;

        User(int index, SplittableRandom random) {
            this.index = index;
            this.userId = "user-" + index;
            this.random = random;
            this.traits = drawTraits(config, random);
            this.interestRandom = interestPopulation.split();
            newDominant(interestRandom.nextInt(INTEREST_CATEGORIES));
            this.terminalRandom = terminalPopulation.split();
            this.deviceRandom = devicePopulation.split();
            this.devices = new String[deviceRandom.nextDouble() < TWO_DEVICES ? 2 : 1];
            for (int i = 0; i < devices.length; i++) {
                devices[i] = String.format("device-%016x", deviceRandom.nextLong());
            }
            this.rate = new DiurnalRate(traits.declinePerMs());
            this.reversion = traits.declinePerMs() > 0 ? 0 : OU_REVERSION;
            if (traits.atRisk()) {
                usersAtRisk++;
            }
        }

        boolean scheduleFirstSession(long fromMillis) {
            referenceEngagement = 0;
            referenceMillis = fromMillis;
            return scheduleNextSession(fromMillis, 0);
        }

        double engagementAt(long t) {
            return referenceEngagement - traits.declinePerMs() * (t - referenceMillis);
        }

        SimulatedEvent emit() {
            long t = nextMillis;
            EventType type = nextType;
            boolean fraud = burstPayments >= 0;
            if (sessionStartPending) {
                sessionStartPending = false;
                sessionNumber++;
                sessionId = userId + "-s" + sessionNumber;
                cartValue = 0;
                device = devices[deviceRandom.nextInt(devices.length)];
                moveInterests();
                double x = engagementAt(t);
                referenceEngagement = x + reversion * (0 - x) + OU_STEP_SD * gaussian(random);
                referenceMillis = t;
            } else if (fraud && burstPayments == 0) {
                sessionNumber++;
                sessionId = userId + "-s" + sessionNumber;
                // a device none of the users own: the fraudsters' own
                device = "device-fraud-" + deviceRandom.nextInt(FRAUD_DEVICES);
            }
            double x = engagementAt(t);
            paidAtCompromisedTerminal = false;
            UserEvent event = fraud ? describeFraud(type, t) : describe(type, t);

            GroundTruth truth;
            if (fraud) {
                burstPayments++;
                double carryOn = burstPayments == 1 ? 1.0 : FRAUD_CONTINUE;
                double[] cont = scratch;
                Arrays.fill(cont, 0);
                cont[PAYMENT] = carryOn;
                truth = truth(t, x, cont, FRAUD_GAP_MS, 1 - carryOn, 0, 0, 0, true);
                if (carryOn >= 1 || random.nextDouble() < carryOn) {
                    nextType = EventType.PAYMENT;
                    nextMillis = t + gapMillis(exponential(random, FRAUD_GAP_MS));
                } else {
                    burstPayments = -1;
                    scheduleNextSession(t, x);
                }
            } else {
                double[] row = FUNNEL[type.ordinal()];
                double end = SESSION_END[type.ordinal()];
                double quit = Math.min(MAX_QUIT, BASE_QUIT * Math.exp(-x));
                double compromise = traits.atRisk() && !compromised ? COMPROMISE_PER_SESSION_END : 0;
                long window = compromise > 0 ? fraudWindowStart(t) : 0;
                System.arraycopy(row, 0, scratch, 0, TYPE_COUNT);
                truth = truth(t, x, scratch, traits.inSessionGapMs(), end, quit, compromise, window,
                        paidAtCompromisedTerminal);
                EventType following = nextInFunnel(row);
                if (following != null) {
                    nextType = following;
                    nextMillis = t + gapMillis(exponential(random, traits.inSessionGapMs()));
                } else {
                    endSession(t, x, quit, compromise, window);
                }
            }
            if (!fraud && eventsSinceSwitch >= 0) {
                eventsSinceSwitch++;
            }
            Outcome outcome = active
                    ? new Outcome(nextType, Instant.ofEpochMilli(nextMillis), nextMillis - t > horizonMs)
                    : new Outcome(null, null, true);
            return new SimulatedEvent(event, truth, outcome);
        }

        private void endSession(long t, double x, double quit, double compromise, long window) {
            double quitDraw = random.nextDouble();
            double compromiseDraw = random.nextDouble();
            if (quitDraw < quit) {
                stop(t);
            } else if (compromiseDraw < compromise) {
                compromised = true;
                usersCompromised++;
                burstPayments = 0;
                nextType = EventType.PAYMENT;
                nextMillis = window + (long) (random.nextDouble() * FRAUD_WINDOW_LENGTH_MS);
            } else {
                scheduleNextSession(t, x);
            }
        }

        /** Draws the next session from the intensity after {@code t}; false (and stopped) if it never comes. */
        private boolean scheduleNextSession(long t, double x) {
            double level = traits.baseRatePerMs() * Math.exp(x);
            double target = exponential(random, 1.0) / level;
            double gap = rate.invert(t, target, rate.dayMass(t));
            EventType startType = random.nextDouble() < SESSION_START[EventType.LOGIN.ordinal()]
                    ? EventType.LOGIN : EventType.VIEW;
            if (Double.isInfinite(gap) || gap > Long.MAX_VALUE / 4.0) {
                stop(t);
                return false;
            }
            nextMillis = t + gapMillis(gap);
            nextType = startType;
            sessionStartPending = true;
            return true;
        }

        private void stop(long t) {
            active = false;
            nextMillis = t;
            nextType = null;
        }

        /**
         * The exact truth at an event at {@code t} (see the class comment). {@code cont}: unnormalised probabilities
         * of continuing with each type (overwritten); {@code end}: probability that the session (or burst) ends here;
         * {@code quit}, {@code compromise}: what may happen at that end; {@code window}: start of the fraud window.
         */
        private GroundTruth truth(long t, double x, double[] cont, double contGapMs, double end, double quit,
                double compromise, long window, boolean fraud) {
            double level = traits.baseRatePerMs() * Math.exp(x);
            double dayMass = rate.dayMass(t);
            double noSessionWithinH = Math.exp(-level * rate.mass(t, horizonMs, dayMass));
            double massToInfinity = rate.massToInfinity(dayMass);
            double returnsEver = Double.isInfinite(massToInfinity) ? 1.0 : -Math.expm1(-level * massToInfinity);
            double continuing = 0;
            for (double p : cont) {
                continuing += p;
            }
            double burstAfterHorizon = 0;
            if (compromise > 0) {
                double late = (window + FRAUD_WINDOW_LENGTH_MS - (t + horizonMs)) / (double) FRAUD_WINDOW_LENGTH_MS;
                burstAfterHorizon = Math.max(0, Math.min(1, late));
            }
            double stay = 1 - quit;
            double churn = continuing * Math.exp(-horizonMs / contGapMs)
                    + end * (quit + stay * compromise * burstAfterHorizon
                            + stay * (1 - compromise) * noSessionWithinH);
            double noNext = end * (quit + stay * (1 - compromise) * (1 - returnsEver));
            double viaBurst = end * stay * compromise;
            double viaSession = end * stay * (1 - compromise) * returnsEver;
            cont[PAYMENT] += viaBurst;
            double total = 0;
            for (int a = 0; a < TYPE_COUNT; a++) {
                cont[a] += viaSession * SESSION_START[a];
                total += cont[a];
            }
            float[] next = new float[TYPE_COUNT];
            if (total > 0) {
                for (int a = 0; a < TYPE_COUNT; a++) {
                    next[a] = (float) (cont[a] / total);
                }
            } else {
                for (int a = 0; a < TYPE_COUNT; a++) {
                    next[a] = (float) SESSION_START[a];
                }
            }
            return new GroundTruth(next, Math.min(1, churn), Math.min(1, noNext), fraud, x,
                    new InterestTruth(interests, dominant, eventsSinceSwitch));
        }

        private EventType nextInFunnel(double[] probabilities) {
            double u = random.nextDouble();
            for (int i = 0; i < probabilities.length; i++) {
                u -= probabilities[i];
                if (u < 0 && probabilities[i] > 0) {
                    return TYPES[i];
                }
            }
            return null;
        }

        private UserEvent describe(EventType type, long t) {
            if (type == EventType.VIEW || currentItem == null) {
                pickItem();
            }
            String item = null;
            String category = null;
            Double amount = null;
            Float rating = null;
            Map<String, String> attributes = Map.of("device", device);
            switch (type) {
                case VIEW, CLICK -> {
                    item = currentItem;
                    category = currentCategory;
                }
                case ADD_TO_CART -> {
                    cartValue += price();
                    item = currentItem;
                    category = currentCategory;
                }
                case PURCHASE -> {
                    item = currentItem;
                    category = currentCategory;
                    amount = round2(Math.max(cartValue, price()));
                }
                case PAYMENT -> {
                    int number = payingTerminal(traits.terminals()[random.nextInt(HABITUAL_TERMINALS)]);
                    if (episodes.compromisedAt(number, t)) {
                        paidAtCompromisedTerminal = true;
                        compromisedTerminalPayments++;
                    }
                    String terminal = terminalId(number);
                    item = terminal;
                    amount = round2(Math.max(cartValue, price()));
                    attributes = attributes(terminal, device);
                }
                case RATING -> {
                    item = currentItem;
                    category = currentCategory;
                    rating = (float) (1 + random.nextInt(9) / 2.0);
                }
                default -> { }
            }
            return new UserEvent(randomUuid(), userId, type, Instant.ofEpochMilli(t), item, category, amount, rating,
                    sessionId, attributes);
        }

        /**
         * The terminal of an ordinary payment: with the busy-terminal share, a busy one by popularity (from the
         * terminal stream), otherwise {@code habitual}, the user's own drawn from the main stream either way.
         */
        private int payingTerminal(int habitual) {
            if (busyTerminalShare > 0 && terminalRandom.nextDouble() < busyTerminalShare) {
                return TerminalEpisodes.popularTerminal(terminalRandom.nextDouble());
            }
            return habitual;
        }

        private UserEvent describeFraud(EventType type, long t) {
            String terminal = terminalId(TERMINALS + random.nextInt(FRAUD_TERMINALS));
            // amounts well above a user's usual: log-normal around 450
            double amount = round2(450 * Math.exp(0.5 * gaussian(random)));
            return new UserEvent(randomUuid(), userId, type, Instant.ofEpochMilli(t), terminal, null, amount, null,
                    sessionId, attributes(terminal, device));
        }

        /** A version-4 UUID from the seeded generator, so the same seed gives the same event ids. */
        private String randomUuid() {
            long most = (random.nextLong() & ~0xF000L) | 0x4000L;
            long least = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
            return new UUID(most, least).toString();
        }

        /**
         * At a session start: a switch to a new dominant category with the configured probability, otherwise a small
         * mean-reverting step of every category's log-weight (slow drift).
         */
        private void moveInterests() {
            // never at the first session: a switch needs interests to switch from that the user has shown
            if (interestRandom.nextDouble() < config.interestSwitchRate() && sessionNumber > 1) {
                int next = interestRandom.nextInt(INTEREST_CATEGORIES - 1);
                newDominant(next >= dominant ? next + 1 : next);
                eventsSinceSwitch = 0;
                return;
            }
            for (int c = 0; c < INTEREST_CATEGORIES; c++) {
                interestLogits[c] += INTEREST_REVERSION * (interestAnchor[c] - interestLogits[c])
                        + INTEREST_STEP_SD * gaussian(interestRandom);
            }
            interests = softmax(interestLogits);
        }

        /** New long-run interests around {@code category}, taking effect at once. */
        private void newDominant(int category) {
            dominant = category;
            for (int c = 0; c < INTEREST_CATEGORIES; c++) {
                interestAnchor[c] = INTEREST_SPREAD * gaussian(interestRandom) + (c == category ? DOMINANCE : 0);
                interestLogits[c] = interestAnchor[c];
            }
            interests = softmax(interestLogits);
        }

        /**
         * The next browsed item: its level-2 category drawn from the user's interests, then, with probability
         * {@code REPEAT_ITEM}, one of the user's recent items of that category, otherwise a leaf of the category at
         * random and an item of the leaf by popularity.
         */
        private void pickItem() {
            int category = draw(interests, interestRandom.nextDouble());
            if (interestRandom.nextDouble() < REPEAT_ITEM && repeatRecent(category)) {
                return;
            }
            int leaf = interestRandom.nextInt(CATALOGUE.leaves(category).size());
            currentCategory = CATALOGUE.leaves(category).get(leaf);
            currentItem = CATALOGUE.itemId(category, leaf, CATALOGUE.popularityRank(interestRandom.nextDouble()));
            int slot = recentCount++ % RECENT_ITEMS;
            recentItems[slot] = currentItem;
            recentPaths[slot] = currentCategory;
            recentCategories[slot] = category;
        }

        /** Picks one of the recent items of {@code category} at random; false if there is none. */
        private boolean repeatRecent(int category) {
            int held = Math.min(recentCount, RECENT_ITEMS);
            int matching = 0;
            for (int i = 0; i < held; i++) {
                matching += recentCategories[i] == category ? 1 : 0;
            }
            if (matching == 0) {
                return false;
            }
            int pick = interestRandom.nextInt(matching);
            for (int i = 0; i < held; i++) {
                if (recentCategories[i] == category && pick-- == 0) {
                    currentItem = recentItems[i];
                    currentCategory = recentPaths[i];
                    return true;
                }
            }
            throw new IllegalStateException("unreachable: " + matching + " matching recent items");
        }

        private double price() {
            return Math.exp(2.5 + 2.0 * random.nextDouble());
        }
    }

    private static float[] softmax(double[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : logits) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[logits.length];
        for (int i = 0; i < logits.length; i++) {
            e[i] = Math.exp(logits[i] - max);
            sum += e[i];
        }
        float[] p = new float[logits.length];
        for (int i = 0; i < logits.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    /** The index a uniform draw {@code u} falls on in the distribution {@code p}. */
    private static int draw(float[] p, double u) {
        for (int i = 0; i < p.length - 1; i++) {
            u -= p[i];
            if (u < 0) {
                return i;
            }
        }
        return p.length - 1;
    }

    /** A payment's attributes, in a fixed order (so serialised events are the same bytes in every run). */
    private static Map<String, String> attributes(String terminal, String device) {
        Map<String, String> attributes = new LinkedHashMap<>(4);
        attributes.put("terminal", terminal);
        attributes.put("device", device);
        return Collections.unmodifiableMap(attributes);
    }

    private static double round2(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
