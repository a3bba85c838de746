package io.pulse.evaluation;

import io.pulse.trainer.eval.Metrics;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The fraud handbook's assessment rules, as its code defines them ({@code get_train_test_set},
 * {@code card_precision_top_k}): which test transactions count, and Card Precision@k.
 */
public final class HandbookMetrics {

    private HandbookMetrics() {
    }

    /** A test transaction and the score the pipeline gave it when it arrived. */
    public record Scored(Transaction transaction, double score) {
    }

    /**
     * Cards known to be compromised on {@code testDay}: every customer with a fraud on a day from {@code trainStart}
     * to {@code testDay - delayDays - 1} inclusive (the training week's frauds plus those of the delay period whose
     * labels have arrived, at day granularity, as {@code get_train_test_set} accumulates them).
     */
    public static Set<String> knownCompromised(List<Transaction> transactions, LocalDate trainStart,
            LocalDate testDay, int delayDays) {
        LocalDate lastKnownDay = testDay.minusDays(delayDays + 1L);
        Set<String> known = new HashSet<>();
        for (Transaction t : transactions) {
            if (t.fraud() == 1 && !t.day().isBefore(trainStart) && !t.day().isAfter(lastKnownDay)) {
                known.add(t.customerId());
            }
        }
        return known;
    }

    /**
     * The test set of a fold: the test week's transactions, each test day without the cards known to be compromised
     * on that day.
     *
     * @param transactions every transaction from the fold's training start on (earlier ones are ignored)
     */
    public static List<Transaction> testSet(List<Transaction> transactions, HandbookFold fold) {
        List<Transaction> test = new ArrayList<>();
        for (LocalDate day = fold.testStart(); day.isBefore(fold.testEnd()); day = day.plusDays(1)) {
            Set<String> known = knownCompromised(transactions, fold.trainStart(), day, HandbookFold.DELAY_DAYS);
            for (Transaction t : transactions) {
                if (t.day().equals(day) && !known.contains(t.customerId())) {
                    test.add(t);
                }
            }
        }
        return test;
    }

    /**
     * Card Precision@k averaged over the days of {@code scored}: per day, each customer's maximum score and maximum
     * label, customers ranked by score (ties by customer id), the share of compromised cards among the top k
     * (divided by k even if fewer customers transacted).
     *
     * @param removeDetected as the handbook's {@code card_precision_top_k} by default: a compromised card found in a
     *                       day's top k is left out of the following days (it would be blocked)
     */
    public static double cardPrecisionAtK(List<Scored> scored, int k, boolean removeDetected) {
        Map<LocalDate, List<Scored>> byDay = new TreeMap<>();
        for (Scored s : scored) {
            byDay.computeIfAbsent(s.transaction().day(), d -> new ArrayList<>()).add(s);
        }
        if (byDay.isEmpty()) {
            return Double.NaN;
        }
        Set<String> detected = new HashSet<>();
        double sum = 0;
        for (List<Scored> day : byDay.values()) {
            Map<String, double[]> cards = new LinkedHashMap<>(); // customer -> {max score, max label}
            for (Scored s : day) {
                if (detected.contains(s.transaction().customerId())) {
                    continue;
                }
                double[] card = cards.computeIfAbsent(s.transaction().customerId(),
                        c -> new double[] {Double.NEGATIVE_INFINITY, 0});
                card[0] = Math.max(card[0], s.score());
                card[1] = Math.max(card[1], s.transaction().fraud());
            }
            List<Map.Entry<String, double[]>> ranked = new ArrayList<>(cards.entrySet());
            ranked.sort(Comparator.<Map.Entry<String, double[]>>comparingDouble(e -> -e.getValue()[0])
                    .thenComparing(Map.Entry::getKey));
            int hits = 0;
            for (int i = 0; i < Math.min(k, ranked.size()); i++) {
                if (ranked.get(i).getValue()[1] == 1) {
                    hits++;
                    if (removeDetected) {
                        detected.add(ranked.get(i).getKey());
                    }
                }
            }
            sum += hits / (double) k;
        }
        return sum / byDay.size();
    }

    /** AUC ROC, average precision and Card Precision@100 (handbook definition, and without the removal). */
    public static Result assess(List<Scored> scored) {
        double[] scores = new double[scored.size()];
        int[] labels = new int[scored.size()];
        long frauds = 0;
        Set<String> cards = new HashSet<>();
        for (int i = 0; i < scored.size(); i++) {
            scores[i] = scored.get(i).score();
            labels[i] = scored.get(i).transaction().fraud();
            frauds += labels[i];
            if (labels[i] == 1) {
                cards.add(scored.get(i).transaction().customerId());
            }
        }
        return new Result(scored.size(), frauds, cards.size(), Metrics.rocAuc(scores, labels),
                Metrics.averagePrecision(scores, labels), cardPrecisionAtK(scored, 100, true),
                cardPrecisionAtK(scored, 100, false));
    }

    /** The numbers of one fold (or their mean). */
    public record Result(long transactions, long frauds, long compromisedCards, double auc, double averagePrecision,
            double cardPrecision100, double cardPrecision100NoRemoval) {

        /** The mean of each metric over folds (counts summed). */
        public static Result mean(List<Result> results) {
            long n = 0;
            long f = 0;
            long c = 0;
            double auc = 0;
            double ap = 0;
            double cp = 0;
            double cpn = 0;
            for (Result r : results) {
                n += r.transactions;
                f += r.frauds;
                c += r.compromisedCards;
                auc += r.auc;
                ap += r.averagePrecision;
                cp += r.cardPrecision100;
                cpn += r.cardPrecision100NoRemoval;
            }
            int m = results.size();
            return new Result(n, f, c, auc / m, ap / m, cp / m, cpn / m);
        }
    }

    /** Scores by event id joined to the test set; a test transaction without a score is an error. */
    public static List<Scored> join(List<Transaction> test, Map<String, Double> scoresByEventId) {
        List<Scored> scored = new ArrayList<>(test.size());
        List<String> missing = new ArrayList<>();
        for (Transaction t : test) {
            Double score = scoresByEventId.get(t.eventId());
            if (score == null) {
                if (missing.size() < 5) {
                    missing.add(t.eventId());
                }
                continue;
            }
            scored.add(new Scored(t, score));
        }
        if (scored.size() != test.size()) {
            throw new IllegalStateException((test.size() - scored.size()) + " of " + test.size()
                    + " test transactions got no prediction from the pipeline, e.g. " + missing);
        }
        return scored;
    }

    static Map<String, Double> emptyScores() {
        return new HashMap<>();
    }
}
