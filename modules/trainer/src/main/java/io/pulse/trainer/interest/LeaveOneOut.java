package io.pulse.trainer.interest;

import io.pulse.trainer.eval.RankingMetrics;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collections;
import java.util.List;
import java.util.function.Supplier;

/**
 * The leave-one-out protocol of the public sequential-recommendation benchmarks (SASRec, S3-Rec and the papers that
 * report on their files). For each user with at least 3 items: the last item is the <b>test</b> target, the one
 * before it the <b>validation</b> target, the rest the training prefix. Users with fewer items are not evaluated;
 * their whole sequence is training data (as SASRec's {@code data_partition} does).
 *
 * <ul>
 *   <li>Validation: history = the training prefix; test: history = the training prefix + the validation item.</li>
 *   <li>Items: the ranking is over ALL items, with the items of the user's history removed (the seen filter); HR@K
 *       and NDCG@K averaged over users. A target that is itself in the history (repeat consumption; never in Beauty)
 *       cannot be recommended through the seen filter: it counts as a miss ({@link RankingMetrics#misses()}).</li>
 *   <li>Categories: the target is the category of the target item at the configured level, ranked among all
 *       categories with nothing removed, since staying in a category the user has already visited is the common,
 *       legitimate case (HR@1, HR@3).</li>
 *   <li>Fitting ({@link TestFit}): the reference code fits one model and evaluates both targets with it. S3-Rec's
 *       {@code run_finetune_full.py} trains on {@code items[:-3] -> items[1:-2]} (the training prefix only), keeps the
 *       checkpoint with the best validation score and tests that same checkpoint with the validation item added to
 *       the input only; SASRec's {@code data_partition}/{@code evaluate} does the same (train = {@code items[:-2]}).
 *       That is {@link TestFit#TRAINING}, the default for comparing with published numbers.
 *       {@link TestFit#TRAINING_AND_VALIDATION} refits on the training prefixes plus the validation items before
 *       testing, what a deployed system would do with the extra week of data; it is offered for the baselines, which
 *       have no early stopping to lose.</li>
 * </ul>
 * Ties in a ranking: lower index first ({@link RankingMetrics#rank}).
 */
public final class LeaveOneOut {

    /** The minimum sequence length for a user to be evaluated. */
    public static final int MIN_ITEMS = 3;

    /** Which held-out item a ranking targets. */
    public enum Target {
        VALIDATION, TEST
    }

    /** What the model that scores the test targets is fitted on. */
    public enum TestFit {
        /** The training prefixes only, one model for validation and test (the S3-Rec and SASRec code). */
        TRAINING,
        /** The training prefixes plus each user's validation item, refitted for the test. */
        TRAINING_AND_VALIDATION
    }

    /** Validation and test averages of one ranker. */
    public record Result(RankingMetrics validation, RankingMetrics test) {
    }

    private final List<int[]> evaluated;
    private final List<int[]> training;
    private final List<int[]> trainingWithValidation;
    private final int skippedUsers;

    private LeaveOneOut(List<int[]> evaluated, List<int[]> training, List<int[]> trainingWithValidation,
            int skippedUsers) {
        this.evaluated = evaluated;
        this.training = training;
        this.trainingWithValidation = trainingWithValidation;
        this.skippedUsers = skippedUsers;
    }

    /** Splits users' sequences (elements in time order). */
    public static LeaveOneOut split(List<int[]> sequences) {
        List<int[]> evaluated = new ArrayList<>();
        List<int[]> training = new ArrayList<>(sequences.size());
        List<int[]> trainingWithValidation = new ArrayList<>(sequences.size());
        int skipped = 0;
        for (int[] sequence : sequences) {
            if (sequence.length < MIN_ITEMS) {
                skipped++;
                training.add(sequence.clone());
                trainingWithValidation.add(sequence.clone());
                continue;
            }
            evaluated.add(sequence.clone());
            training.add(Arrays.copyOf(sequence, sequence.length - 2));
            trainingWithValidation.add(Arrays.copyOf(sequence, sequence.length - 1));
        }
        return new LeaveOneOut(Collections.unmodifiableList(evaluated), Collections.unmodifiableList(training),
                Collections.unmodifiableList(trainingWithValidation), skipped);
    }

    /** The evaluated users (at least {@link #MIN_ITEMS} items). */
    public int users() {
        return evaluated.size();
    }

    /** Users too short to evaluate, kept whole in the training data. */
    public int skippedUsers() {
        return skippedUsers;
    }

    /** The training sequences: every evaluated user's training prefix, and the short users' whole sequences. */
    public List<int[]> training() {
        return training;
    }

    /** {@link #training()} with each evaluated user's validation item appended. */
    public List<int[]> trainingWithValidation() {
        return trainingWithValidation;
    }

    /** The history of evaluated user {@code user} ({@code 0..users()-1}) before the given target. */
    public int[] history(int user, Target target) {
        int[] sequence = evaluated.get(user);
        return Arrays.copyOf(sequence, sequence.length - (target == Target.TEST ? 1 : 2));
    }

    /** The target item of evaluated user {@code user}. */
    public int target(int user, Target target) {
        int[] sequence = evaluated.get(user);
        return sequence[sequence.length - (target == Target.TEST ? 1 : 2)];
    }

    /**
     * Ranks every evaluated user's target among all {@code itemCount} items with a fitted ranker, the user's history
     * removed, and averages HR and NDCG at {@code cutoffs}.
     */
    public RankingMetrics rankItems(SequenceRanker fitted, int itemCount, Target target, int... cutoffs) {
        RankingMetrics metrics = new RankingMetrics(cutoffs);
        double[] scores = new double[itemCount];
        BitSet seen = new BitSet(itemCount);
        for (int user = 0; user < evaluated.size(); user++) {
            int[] history = history(user, target);
            int item = target(user, target);
            for (int h : history) {
                seen.set(h);
            }
            if (seen.get(item)) {
                metrics.addMiss();
            } else {
                fitted.score(history, scores);
                metrics.add(RankingMetrics.rank(scores, item, seen));
            }
            for (int h : history) {
                seen.clear(h);
            }
        }
        return metrics;
    }

    /**
     * Ranks every evaluated user's target category ({@code categoryOf[target item]}) among all {@code categoryCount}
     * categories with a ranker fitted on category sequences, given the categories of the user's history; nothing is
     * removed from the ranking.
     */
    public RankingMetrics rankCategories(SequenceRanker fitted, int[] categoryOf, int categoryCount, Target target,
            int... cutoffs) {
        RankingMetrics metrics = new RankingMetrics(cutoffs);
        double[] scores = new double[categoryCount];
        BitSet none = new BitSet();
        for (int user = 0; user < evaluated.size(); user++) {
            fitted.score(categories(history(user, target), categoryOf), scores);
            metrics.add(RankingMetrics.rank(scores, categoryOf[target(user, target)], none));
        }
        return metrics;
    }

    /** Fits a fresh ranker as {@code fit} says and ranks the validation and test items. */
    public Result evaluateItems(Supplier<SequenceRanker> rankers, int itemCount, TestFit fit, int... cutoffs) {
        SequenceRanker ranker = rankers.get();
        ranker.fit(training, itemCount);
        RankingMetrics validation = rankItems(ranker, itemCount, Target.VALIDATION, cutoffs);
        if (fit == TestFit.TRAINING_AND_VALIDATION) {
            ranker = rankers.get();
            ranker.fit(trainingWithValidation, itemCount);
        }
        return new Result(validation, rankItems(ranker, itemCount, Target.TEST, cutoffs));
    }

    /** Fits a fresh ranker on category sequences as {@code fit} says and ranks the validation and test categories. */
    public Result evaluateCategories(Supplier<SequenceRanker> rankers, int[] categoryOf, int categoryCount,
            TestFit fit, int... cutoffs) {
        SequenceRanker ranker = rankers.get();
        ranker.fit(categories(training, categoryOf), categoryCount);
        RankingMetrics validation = rankCategories(ranker, categoryOf, categoryCount, Target.VALIDATION, cutoffs);
        if (fit == TestFit.TRAINING_AND_VALIDATION) {
            ranker = rankers.get();
            ranker.fit(categories(trainingWithValidation, categoryOf), categoryCount);
        }
        return new Result(validation, rankCategories(ranker, categoryOf, categoryCount, Target.TEST, cutoffs));
    }

    /** Item sequences mapped to their items' categories. */
    public static List<int[]> categories(List<int[]> itemSequences, int[] categoryOf) {
        List<int[]> result = new ArrayList<>(itemSequences.size());
        for (int[] sequence : itemSequences) {
            result.add(categories(sequence, categoryOf));
        }
        return result;
    }

    private static int[] categories(int[] items, int[] categoryOf) {
        int[] result = new int[items.length];
        for (int i = 0; i < items.length; i++) {
            result[i] = categoryOf[items[i]];
        }
        return result;
    }
}
