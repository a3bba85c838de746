package io.pulse.trainer.interest;

import io.pulse.simulator.sequences.ItemAttributes;
import io.pulse.simulator.sequences.ItemAttributesFile;
import io.pulse.simulator.sequences.SequenceFile;
import io.pulse.simulator.sequences.SequenceFormat;
import io.pulse.simulator.sequences.UserSequence;
import io.pulse.trainer.eval.RankingMetrics;
import io.pulse.trainer.interest.LeaveOneOut.Result;
import io.pulse.trainer.interest.LeaveOneOut.TestFit;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs every next-item and next-category baseline through the {@link LeaveOneOut} protocol on a public sequence file
 * and prints a markdown report: validation and test metrics, the hyperparameters chosen on the validation targets
 * (validation NDCG@10; the test targets are scored once, after the choice), the test metrics again with the models
 * refitted on training + validation items, and the run time.
 *
 * <pre>
 * java -cp ... io.pulse.trainer.interest.BaselineReport --data Beauty.txt --items Beauty_item2attributes.json --level 2
 * </pre>
 *
 * {@code --items} is optional (without it, no category rows); {@code --format} is {@code auto} (default),
 * {@code user-per-line} or {@code pair-per-line}.
 */
public final class BaselineReport {

    private static final int[] ITEM_CUTOFFS = {10, 20};
    private static final int[] CATEGORY_CUTOFFS = {1, 3};
    private static final int[] RECENT_LAST = {1, 2, 3, 5, 10};
    private static final int[] WINDOWS = {1, 2, 3, 5};
    private static final int[] LAST_ITEMS = {1, 2, 3, 5};
    private static final double[] DECAYS = {1, 0.5, 0.25};
    private static final double[] BACKWARD = {0, 0.5};
    private static final int[] WEIGHTED_WINDOWS = {3, 5, 8};
    private static final int[] WEIGHTED_LAST_ITEMS = {3, 4, 5};
    private static final double[] SIMILARITIES = {0, 1, 2, 4, 8};
    private static final double[] CATEGORY_AFFINITIES = {0, 0.125, 0.25, 0.5, 1};
    private static final double[] BRAND_AFFINITIES = {0, 0.25, 0.5, 1, 2};
    private static final String NO_CATEGORY = "(none)";

    private BaselineReport() {
    }

    public static void main(String[] args) throws IOException {
        Path data = null;
        Path items = null;
        int level = 2;
        SequenceFormat format = SequenceFormat.AUTO;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--data" -> data = Path.of(required(args[i], value));
                case "--items" -> items = Path.of(required(args[i], value));
                case "--level" -> level = Integer.parseInt(required(args[i], value));
                case "--format" -> format = SequenceFormat.valueOf(
                        required(args[i], value).toUpperCase(Locale.ROOT).replace('-', '_'));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; usage: --data FILE [--items FILE] [--level N] [--format auto|user-per-line|pair-per-line]");
            }
            i++;
        }
        if (data == null) {
            throw new IllegalArgumentException("--data FILE is required");
        }
        run(data, items, level, format, System.out);
    }

    /** Reads the files, evaluates every baseline and prints the report to {@code out}. */
    public static void run(Path data, Path items, int level, SequenceFormat format, PrintStream out)
            throws IOException {
        long start = System.nanoTime();
        List<UserSequence> users = SequenceFile.read(data, format);
        ItemIndex itemIndex = new ItemIndex();
        List<int[]> sequences = new ArrayList<>(users.size());
        long interactions = 0;
        for (UserSequence user : users) {
            sequences.add(itemIndex.addAll(user.items()));
            interactions += user.items().size();
        }
        int itemCount = itemIndex.size();
        LeaveOneOut split = LeaveOneOut.split(sequences);

        out.printf(Locale.ROOT, "# Next-item and next-category baselines: %s%n%n", data.getFileName());
        out.printf(Locale.ROOT, "- data: `%s`: %,d users, %,d items, %,d interactions; %,d users evaluated, %,d with"
                + " fewer than %d items kept as training only%n", data, users.size(), itemCount, interactions,
                split.users(), split.skippedUsers(), LeaveOneOut.MIN_ITEMS);
        out.println("- protocol: leave-one-out (last item = test target, the one before = validation target), ranking"
                + " over ALL items with the user's history removed, ties broken by the lower item index; models"
                + " fitted on the training prefixes and used for both targets (as S3-Rec's and SASRec's code);"
                + " hyperparameters chosen on validation NDCG@10 only");

        List<Row> itemRows = new ArrayList<>();
        itemRows.add(evaluate(split, PopularityRanker::new, itemCount, ""));
        List<Row> recentSearch = new ArrayList<>();
        for (int last : RECENT_LAST) {
            recentSearch.add(validate(split, () -> new RecentPopularityRanker(last), itemCount));
        }
        Row recent = best(recentSearch);
        itemRows.add(evaluate(split, recent.rankers, itemCount, "chosen from last " + join(RECENT_LAST)));
        itemRows.add(evaluate(split, MarkovRanker::new, itemCount, ""));
        List<Row> cooccurrenceSearch = new ArrayList<>();
        for (int window : WINDOWS) {
            for (double backward : BACKWARD) {
                for (int last : LAST_ITEMS) {
                    for (double decay : last == 1 ? new double[] {1} : DECAYS) {
                        cooccurrenceSearch.add(validate(split,
                                () -> new CooccurrenceRanker(window, last, decay, backward), itemCount));
                    }
                }
            }
        }
        Row cooccurrence = best(cooccurrenceSearch);
        itemRows.add(evaluate(split, cooccurrence.rankers, itemCount, "chosen from W " + join(WINDOWS) + ", L "
                + join(LAST_ITEMS) + ", decay " + join(DECAYS) + ", backward " + join(BACKWARD)));
        List<Row> weightedSearch = new ArrayList<>();
        for (int window : WEIGHTED_WINDOWS) {
            for (int last : WEIGHTED_LAST_ITEMS) {
                for (double similarity : SIMILARITIES) {
                    weightedSearch.add(validate(split,
                            () -> CooccurrenceRanker.weighted(window, last, 0.5, similarity), itemCount));
                }
            }
        }
        Row weighted = best(weightedSearch);
        itemRows.add(evaluate(split, weighted.rankers, itemCount, "the served prior's family, chosen from W "
                + join(WEIGHTED_WINDOWS) + ", L " + join(WEIGHTED_LAST_ITEMS) + ", similarity " + join(SIMILARITIES)));
        cooccurrenceSearch.addAll(weightedSearch);
        Map<String, ItemAttributes> attributes = items == null ? Map.of() : ItemAttributesFile.readJsonArrays(items);
        List<Row> affinitySearch = new ArrayList<>();
        if (items != null) {
            int[] categoryOf = new int[itemCount];
            int[] brandOf = new int[itemCount];
            ItemIndex categoryIndex = new ItemIndex();
            ItemIndex brandIndex = new ItemIndex();
            for (int item = 0; item < itemCount; item++) {
                ItemAttributes attribute = attributes.get(itemIndex.id(item));
                categoryOf[item] = attribute == null ? -1 : categoryIndex.add(attribute.category().atLevel(level));
                brandOf[item] = attribute == null || attribute.brand().isEmpty() ? -1
                        : brandIndex.add(attribute.brand().get());
            }
            for (double category : CATEGORY_AFFINITIES) {
                for (double brand : BRAND_AFFINITIES) {
                    affinitySearch.add(validate(split, () -> new AffinityRanker(
                            (CooccurrenceRanker) weighted.rankers.get(), categoryOf, category, brandOf, brand),
                            itemCount));
                }
            }
            itemRows.add(evaluate(split, best(affinitySearch).rankers, itemCount, "the served ranking without the"
                    + " network: the family's best above with the user's categories (level " + level + ") and brands,"
                    + " weights chosen from category " + join(CATEGORY_AFFINITIES) + " × brand "
                    + join(BRAND_AFFINITIES)));
            cooccurrenceSearch.addAll(affinitySearch);
        }

        out.printf(Locale.ROOT, "%n## Next item (%,d items)%n%n", itemCount);
        out.println("| baseline | note | valid HR@10 | valid NDCG@10 | valid HR@20 | valid NDCG@20 | test HR@10"
                + " | test NDCG@10 | test HR@20 | test NDCG@20 |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        for (Row row : itemRows) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %s |%n", row.name, row.note, items(row.result.validation()),
                    items(row.result.test()));
        }

        out.printf(Locale.ROOT, "%n## Next item, test with the models refitted on training + validation items%n%n");
        out.println("| baseline | test HR@10 | test NDCG@10 | test HR@20 | test NDCG@20 |");
        out.println("|---|---|---|---|---|");
        for (Row row : itemRows) {
            Result refitted = split.evaluateItems(row.rankers, itemCount, TestFit.TRAINING_AND_VALIDATION,
                    ITEM_CUTOFFS);
            out.printf(Locale.ROOT, "| %s | %s |%n", row.name, items(refitted.test()));
        }

        out.printf(Locale.ROOT, "%n## Hyperparameter search on validation (best 8 of %d co-occurrence settings)%n%n",
                cooccurrenceSearch.size());
        out.println("| setting | valid HR@10 | valid NDCG@10 | valid HR@20 | valid NDCG@20 |");
        out.println("|---|---|---|---|---|");
        cooccurrenceSearch.stream().sorted(BY_VALIDATION_NDCG.reversed()).limit(8).forEach(row -> out.printf(
                Locale.ROOT, "| %s | %s |%n", row.name, items(row.result.validation())));
        cooccurrenceSearch.stream().filter(row -> row.name.endsWith("backward=0.5"))
                .max(BY_VALIDATION_NDCG).ifPresent(row -> out.printf(Locale.ROOT, "| best with backward counts: %s"
                        + " | %s |%n", row.name, items(row.result.validation())));
        for (Row row : recentSearch) {
            out.printf(Locale.ROOT, "| %s | %s |%n", row.name, items(row.result.validation()));
        }

        if (items != null) {
            categories(split, itemIndex, attributes, items, level, out);
        }
        out.printf(Locale.ROOT, "%nRun time: %.1f s (single thread, including the %d-setting search).%n",
                (System.nanoTime() - start) / 1e9, cooccurrenceSearch.size() + recentSearch.size());
    }

    private static void categories(LeaveOneOut split, ItemIndex itemIndex, Map<String, ItemAttributes> attributes,
            Path file, int level, PrintStream out) {
        ItemIndex categoryIndex = new ItemIndex();
        int[] categoryOf = new int[itemIndex.size()];
        int unclassified = 0;
        for (int item = 0; item < categoryOf.length; item++) {
            ItemAttributes itemAttributes = attributes.get(itemIndex.id(item));
            if (itemAttributes == null) {
                unclassified++;
            }
            categoryOf[item] = categoryIndex.add(itemAttributes == null ? NO_CATEGORY
                    : itemAttributes.category().atLevel(level));
        }
        out.printf(Locale.ROOT, "%n## Next category at level %d (%d categories; nothing removed from the ranking)%n%n",
                level, categoryIndex.size());
        out.printf(Locale.ROOT, "- items: `%s`, category paths derived from the attributes (brand = first attribute"
                + " when the second is a level-1 category); an item classified less deeply than level %d keeps its"
                + " deepest category; %d data-set items missing from the file share the category `%s`%n%n", file,
                level, unclassified, NO_CATEGORY);
        out.println("| baseline | valid HR@1 | valid HR@3 | test HR@1 | test HR@3 |");
        out.println("|---|---|---|---|---|");
        List<Supplier<SequenceRanker>> rankers = List.of(PopularityRanker::new, RepeatLastRanker::new,
                MostFrequentRanker::new, MarkovRanker::new);
        for (Supplier<SequenceRanker> ranker : rankers) {
            Result result = split.evaluateCategories(ranker, categoryOf, categoryIndex.size(), TestFit.TRAINING,
                    CATEGORY_CUTOFFS);
            String name = ranker.get().name();
            out.printf(Locale.ROOT, "| %s | %.4f | %.4f | %.4f | %.4f |%n",
                    name.equals("Markov chain") ? "category Markov chain" : name,
                    result.validation().hitRate(1), result.validation().hitRate(3), result.test().hitRate(1),
                    result.test().hitRate(3));
        }
    }

    private static final Comparator<Row> BY_VALIDATION_NDCG = Comparator.comparingDouble(
            row -> row.result.validation().ndcg(10));

    /** A baseline's validation result only, for the hyperparameter search. */
    private static Row validate(LeaveOneOut split, Supplier<SequenceRanker> rankers, int itemCount) {
        SequenceRanker ranker = rankers.get();
        ranker.fit(split.training(), itemCount);
        RankingMetrics validation = split.rankItems(ranker, itemCount, LeaveOneOut.Target.VALIDATION, ITEM_CUTOFFS);
        return new Row(ranker.name(), "", rankers, new Result(validation, null));
    }

    private static Row evaluate(LeaveOneOut split, Supplier<SequenceRanker> rankers, int itemCount, String note) {
        Result result = split.evaluateItems(rankers, itemCount, TestFit.TRAINING, ITEM_CUTOFFS);
        return new Row(rankers.get().name(), note, rankers, result);
    }

    /** The best by validation NDCG@10; the first of equals (the simpler setting, given the loops' order). */
    private static Row best(List<Row> rows) {
        Row best = rows.get(0);
        for (Row row : rows) {
            if (BY_VALIDATION_NDCG.compare(row, best) > 0) {
                best = row;
            }
        }
        return best;
    }

    private static String items(RankingMetrics metrics) {
        return String.format(Locale.ROOT, "%.4f | %.4f | %.4f | %.4f", metrics.hitRate(10), metrics.ndcg(10),
                metrics.hitRate(20), metrics.ndcg(20));
    }

    private static String join(int[] values) {
        StringBuilder text = new StringBuilder();
        for (int value : values) {
            text.append(text.isEmpty() ? "" : "/").append(value);
        }
        return text.toString();
    }

    private static String join(double[] values) {
        StringBuilder text = new StringBuilder();
        for (double value : values) {
            text.append(text.isEmpty() ? "" : "/").append(value == Math.rint(value) ? String.valueOf((long) value)
                    : String.valueOf(value));
        }
        return text.toString();
    }

    private static String required(String flag, String value) {
        if (value == null) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return value;
    }

    private record Row(String name, String note, Supplier<SequenceRanker> rankers, Result result) {
    }
}
