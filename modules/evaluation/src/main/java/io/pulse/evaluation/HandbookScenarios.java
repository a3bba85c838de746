package io.pulse.evaluation;

import io.pulse.trainer.eval.Metrics;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.DoubleStream;

/**
 * What Pulse catches of each of the data set's fraud scenarios ({@code TX_FRAUD_SCENARIO}, read for this breakdown
 * only). Per scenario: how the scenario's frauds rank against the genuine transactions (AUC ROC of those frauds versus
 * every genuine test transaction), and the share of its compromised card-days that make the day's top 100 cards — the
 * investigators' daily queue of Card Precision@100, ranked by each card's highest score of the day, as
 * {@link HandbookMetrics#cardPrecisionAtK} ranks them (without the removal of cards detected on earlier days, so each
 * day's queue stands alone).
 */
public final class HandbookScenarios {

    /** The generator's scenarios, 1-based as in the data. */
    static final List<String> NAMES = List.of("amount above 220", "compromised terminal", "leaked card");
    /** The investigators' daily queue. */
    static final int QUEUE = 100;

    private HandbookScenarios() {
    }

    /**
     * One scenario's breakdown.
     *
     * @param scenario     1..3
     * @param frauds       test frauds of the scenario
     * @param cardDays     (card, day) pairs with a fraud of the scenario that day
     * @param auc          AUC ROC of the scenario's frauds against every genuine test transaction ({@code NaN} without
     *                     frauds)
     * @param caughtShare  share of {@code cardDays} whose card is in that day's top {@value #QUEUE} ({@code NaN}
     *                     without card-days)
     */
    public record Row(int scenario, long frauds, long cardDays, double auc, double caughtShare) {

        public String name() {
            return NAMES.get(scenario - 1);
        }
    }

    /** The breakdown of one fold's scored test set: a row per scenario, in scenario order. */
    public static List<Row> assess(List<HandbookMetrics.Scored> scored) {
        return assess(scored, QUEUE);
    }

    /** {@link #assess(List)} with a daily queue of {@code queue} cards. */
    static List<Row> assess(List<HandbookMetrics.Scored> scored, int queue) {
        Map<LocalDate, Map<String, Double>> cardScore = new TreeMap<>();
        Map<Integer, Set<String>> cardDays = new HashMap<>();
        List<Double> genuine = new ArrayList<>();
        Map<Integer, List<Double>> byScenario = new HashMap<>();
        for (HandbookMetrics.Scored s : scored) {
            Transaction t = s.transaction();
            cardScore.computeIfAbsent(t.day(), d -> new HashMap<>()).merge(t.customerId(), s.score(), Math::max);
            if (t.fraud() == 0) {
                genuine.add(s.score());
            } else if (t.scenario() >= 1 && t.scenario() <= NAMES.size()) {
                byScenario.computeIfAbsent(t.scenario(), k -> new ArrayList<>()).add(s.score());
                cardDays.computeIfAbsent(t.scenario(), k -> new HashSet<>()).add(t.day() + "|" + t.customerId());
            }
        }
        Set<String> queued = new HashSet<>();
        for (Map.Entry<LocalDate, Map<String, Double>> day : cardScore.entrySet()) {
            // the same order as cardPrecisionAtK: highest score first, ties by card id
            day.getValue().entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder())
                            .thenComparing(Map.Entry.comparingByKey()))
                    .limit(queue)
                    .forEach(e -> queued.add(day.getKey() + "|" + e.getKey()));
        }
        List<Row> rows = new ArrayList<>();
        for (int scenario = 1; scenario <= NAMES.size(); scenario++) {
            List<Double> frauds = byScenario.getOrDefault(scenario, List.of());
            Set<String> days = cardDays.getOrDefault(scenario, Set.of());
            long caught = days.stream().filter(queued::contains).count();
            rows.add(new Row(scenario, frauds.size(), days.size(), auc(frauds, genuine),
                    days.isEmpty() ? Double.NaN : caught / (double) days.size()));
        }
        return rows;
    }

    /**
     * The compromised-terminal frauds split by whether a label could have revealed the compromise
     * ({@link Transaction#compromiseRevealed()}), and the AUC ROC the data allows: the information ceiling.
     *
     * @param revealed        compromised-terminal frauds whose compromise had been revealed: the unbroken run of
     *                        frauds at the terminal they belong to began at least {@value HandbookFold#DELAY_DAYS}
     *                        days before them, so its first fraud label had arrived
     * @param revealedAuc     their AUC ROC against every genuine test transaction
     * @param unrevealed      the others: the run began less than {@value HandbookFold#DELAY_DAYS} days before (no
     *                        label of the compromise has arrived): ordinary transactions that only an older fraud
     *                        history of the same terminal, if any, sets apart from genuine ones
     * @param unrevealedAuc   their AUC ROC against every genuine test transaction (0.5 is a random ranking)
     * @param ceilingAuc      the AUC ROC of a ranking that puts every other fraud above every genuine transaction and
     *                        the unrevealed ones at random among them (AUC 0.5 each): (frauds − unrevealed / 2) ÷
     *                        frauds. Not a strict bound — a lucky ranking can do better on the unrevealed — but what
     *                        the information in the data supports
     */
    public record TerminalSplit(long revealed, double revealedAuc, long unrevealed, double unrevealedAuc,
            double ceilingAuc) {

        /** Over folds: counts summed, rates the mean over the folds where they are defined. */
        static TerminalSplit mean(List<TerminalSplit> folds) {
            return new TerminalSplit(folds.stream().mapToLong(TerminalSplit::revealed).sum(),
                    meanOfDefined(folds.stream().mapToDouble(TerminalSplit::revealedAuc)),
                    folds.stream().mapToLong(TerminalSplit::unrevealed).sum(),
                    meanOfDefined(folds.stream().mapToDouble(TerminalSplit::unrevealedAuc)),
                    meanOfDefined(folds.stream().mapToDouble(TerminalSplit::ceilingAuc)));
        }
    }

    /** {@link TerminalSplit} of one fold's scored test set. */
    public static TerminalSplit terminalSplit(List<HandbookMetrics.Scored> scored) {
        List<Double> genuine = new ArrayList<>();
        List<Double> revealed = new ArrayList<>();
        List<Double> unrevealed = new ArrayList<>();
        long frauds = 0;
        for (HandbookMetrics.Scored s : scored) {
            Transaction t = s.transaction();
            if (t.fraud() == 0) {
                genuine.add(s.score());
                continue;
            }
            frauds++;
            if (t.scenario() == 2) {
                (t.compromiseRevealed() ? revealed : unrevealed).add(s.score());
            }
        }
        return new TerminalSplit(revealed.size(), auc(revealed, genuine), unrevealed.size(),
                auc(unrevealed, genuine), frauds == 0 ? Double.NaN : (frauds - unrevealed.size() / 2.0) / frauds);
    }

    /** Over folds: counts summed, each rate the mean over the folds where the scenario occurs. */
    public static List<Row> mean(List<List<Row>> folds) {
        List<Row> rows = new ArrayList<>();
        for (int scenario = 1; scenario <= NAMES.size(); scenario++) {
            int index = scenario - 1;
            List<Row> perFold = folds.stream().map(fold -> fold.get(index)).toList();
            rows.add(new Row(scenario, perFold.stream().mapToLong(Row::frauds).sum(),
                    perFold.stream().mapToLong(Row::cardDays).sum(),
                    meanOfDefined(perFold.stream().mapToDouble(Row::auc)),
                    meanOfDefined(perFold.stream().mapToDouble(Row::caughtShare))));
        }
        return rows;
    }

    /** The mean of the values that are not {@code NaN}; {@code NaN} if there are none. */
    private static double meanOfDefined(DoubleStream values) {
        return values.filter(v -> !Double.isNaN(v)).average().orElse(Double.NaN);
    }

    private static double auc(List<Double> positives, List<Double> negatives) {
        if (positives.isEmpty() || negatives.isEmpty()) {
            return Double.NaN;
        }
        double[] scores = new double[positives.size() + negatives.size()];
        int[] labels = new int[scores.length];
        int i = 0;
        for (double p : positives) {
            scores[i] = p;
            labels[i++] = 1;
        }
        for (double n : negatives) {
            scores[i++] = n;
        }
        return Metrics.rocAuc(scores, labels);
    }
}
