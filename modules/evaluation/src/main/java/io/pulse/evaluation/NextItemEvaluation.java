package io.pulse.evaluation;

import io.pulse.contracts.CategoryProbability;
import io.pulse.contracts.ItemScore;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Prediction;
import io.pulse.model.Catalogue;
import io.pulse.model.ModelBundles;
import io.pulse.simulator.sequences.ItemAttributes;
import io.pulse.simulator.sequences.ItemAttributesFile;
import io.pulse.simulator.sequences.SequenceFile;
import io.pulse.simulator.sequences.SequenceFormat;
import io.pulse.simulator.sequences.UserSequence;
import io.pulse.trainer.eval.RankingMetrics;
import io.pulse.trainer.interest.BaselineReport;
import io.pulse.trainer.interest.LeaveOneOut;
import io.pulse.trainer.interest.NextItemModelReport.Settings;
import io.pulse.trainer.interest.NextItemServing;
import io.pulse.trainer.interest.RankingWeights;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * {@code ./pulse evaluate next-item}: the public sequential-recommendation protocol (leave-one-out, full ranking,
 * history removed; HR and NDCG at 10 and 20, category HR at 1 and 3) scored from what Pulse's pipeline published.
 * Trains with Pulse's trainer on the training prefixes ({@link NextItemServing}: the network, then the co-occurrence
 * prior and its blend chosen on the validation targets), replays each evaluated user's history (all but the test item)
 * through the production topology ({@link NextItemReplay}), and reads the recommendations and next categories of the
 * prediction published after the user's last history event. Also ranks offline with the same bundle, as the trainer
 * would, and reports how often the two top-K lists agree; and runs the baselines ({@link BaselineReport}) on the same
 * split. Writes a markdown report with the published table next to Pulse's rows.
 */
public final class NextItemEvaluation {

    /** Items each prediction recommends: enough for HR@20. */
    static final int RECOMMENDATIONS = 20;
    /** Categories each prediction lists: enough for HR@3. */
    static final int CATEGORIES = 3;

    /** What to run. */
    public record Options(Path data, Path items, SequenceFormat format, int level, Settings settings, Path out,
            Path workDir, String command) {
    }

    /** The figures, for the console and tests. */
    public record Outcome(RankingMetrics published, RankingMetrics publishedCategories, RankingMetrics offline,
            RankingMetrics offlineHead, double agreement, double seconds, String report) {
    }

    private NextItemEvaluation() {
    }

    public static Outcome run(Options options, Consumer<String> progress) throws Exception {
        long started = System.nanoTime();
        progress.accept("reading " + options.data() + (options.items() == null ? "" : " and " + options.items()));
        List<UserSequence> users = SequenceFile.read(options.data(), options.format());
        Map<String, ItemAttributes> attributes = options.items() == null ? Map.of()
                : ItemAttributesFile.readJsonArrays(options.items());

        progress.accept("baselines on the same split …");
        ByteArrayOutputStream baselineText = new ByteArrayOutputStream();
        try (PrintStream baselineOut = new PrintStream(baselineText, true, StandardCharsets.UTF_8)) {
            BaselineReport.run(options.data(), options.items(), options.level(), options.format(), baselineOut);
        }
        String baselines = baselineText.toString(StandardCharsets.UTF_8);

        NextItemServing serving = new NextItemServing(users, attributes, options.level());
        progress.accept(String.format(Locale.ROOT, "training on the training prefixes of %,d users (%,d items) …",
                users.size(), serving.catalogue().items() - 1));
        PrintStream trainingLog = new PrintStream(new LineStream(progress), true, StandardCharsets.UTF_8);
        NextItemServing.Model model = serving.train(options.settings(), trainingLog);
        trainingLog.flush();
        ModelBundle bundle = model.bundle();

        progress.accept("ranking the test targets offline with the chosen bundle …");
        NextItemServing.Ranking offline = serving.rank(bundle, LeaveOneOut.Target.TEST, RECOMMENDATIONS, CATEGORIES);
        NextItemServing.Ranking offlineStored = serving.rank(bundle, LeaveOneOut.Target.TEST, RECOMMENDATIONS,
                CATEGORIES, true);
        ModelBundle headOnly = ModelBundles.withCategoryHistory(RankingWeights.NONE.applyTo(bundle,
                ModelBundles.toModel(bundle).cooccurrence(), null), 0f);
        NextItemServing.Ranking offlineHead = serving.rank(headOnly, LeaveOneOut.Target.TEST, RECOMMENDATIONS,
                CATEGORIES);

        progress.accept("replaying every evaluated user's history through the production topology …");
        List<NextItemReplay.History> histories = histories(users, attributes, serving);
        Map<String, Prediction> published = NextItemReplay.replay(histories, bundle, RECOMMENDATIONS, CATEGORIES,
                options.workDir(), progress);

        Catalogue catalogue = serving.catalogue();
        RankingMetrics items = new RankingMetrics(10, 20);
        RankingMetrics categories = new RankingMetrics(1, 3);
        int identical = 0;
        int identicalStored = 0;
        double overlap = 0;
        for (int user = 0; user < histories.size(); user++) {
            NextItemReplay.History history = histories.get(user);
            Prediction prediction = published.get(history.userId());
            if (prediction == null) {
                throw new IllegalStateException("the pipeline published nothing for user " + history.userId());
            }
            int[] rows = itemRows(catalogue, prediction.getRecommendations());
            int[] target = serving.itemRows(user);
            NextItemServing.add(items, rows, target[target.length - 1]);
            int targetCategory = catalogue.itemCategory(target[target.length - 1]);
            if (targetCategory > 0) {
                NextItemServing.add(categories, categoryRows(catalogue, prediction.getNextCategories()),
                        targetCategory);
            }
            identical += Arrays.equals(offline.topItems().get(user), rows) ? 1 : 0;
            overlap += overlap(offline.topItems().get(user), rows);
            identicalStored += Arrays.equals(offlineStored.topItems().get(user), rows) ? 1 : 0;
        }
        progress.accept("replaying again with the prior recounted on training + validation items (reported"
                + " apart: not the published protocol) …");
        Map<String, Prediction> publishedRecounted = NextItemReplay.replay(histories,
                serving.recountedWithValidation(model), RECOMMENDATIONS, CATEGORIES, options.workDir(), progress);
        RankingMetrics recounted = new RankingMetrics(10, 20);
        for (int user = 0; user < histories.size(); user++) {
            Prediction prediction = publishedRecounted.get(histories.get(user).userId());
            if (prediction == null) {
                throw new IllegalStateException("the pipeline published nothing for user "
                        + histories.get(user).userId());
            }
            int[] target = serving.itemRows(user);
            NextItemServing.add(recounted, itemRows(catalogue, prediction.getRecommendations()),
                    target[target.length - 1]);
        }
        double agreement = identicalStored / (double) histories.size();
        Agreement agreements = new Agreement(identical / (double) histories.size(), overlap / histories.size(),
                agreement);
        double seconds = (System.nanoTime() - started) / 1e9;
        String report = NextItemReport.write(options, users, catalogue, model, items, categories, offline,
                offlineHead, recounted, agreements, baselines, seconds);
        if (options.out() != null) {
            Path parent = options.out().toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(options.out(), report);
        }
        return new Outcome(items, categories, offline.items(), offlineHead.items(), agreement, seconds, report);
    }

    /**
     * How the pipeline's published top-20 lists compare with the offline ones for the same bundle.
     *
     * @param identical       share of users whose lists are identical to the plain offline ranking
     * @param overlap         mean share of the offline list's items in the published list
     * @param identicalStored share identical to the offline ranking with the state stored as the pipeline stores it
     */
    record Agreement(double identical, double overlap, double identicalStored) {
    }

    /** Every evaluated user's history before the test target, with each item's category path (null if unknown). */
    private static List<NextItemReplay.History> histories(List<UserSequence> users,
            Map<String, ItemAttributes> attributes, NextItemServing serving) {
        List<NextItemReplay.History> histories = new ArrayList<>(serving.evaluatedUsers());
        for (UserSequence user : users) {
            if (user.items().size() < LeaveOneOut.MIN_ITEMS) {
                continue;
            }
            List<String> items = user.items().subList(0, user.items().size() - 1);
            List<String> categories = new ArrayList<>(items.size());
            for (String item : items) {
                ItemAttributes attribute = attributes.get(item);
                categories.add(attribute == null ? null : attribute.category().toString());
            }
            histories.add(new NextItemReplay.History(user.user(), List.copyOf(items), categories));
        }
        if (histories.size() != serving.evaluatedUsers()) {
            throw new IllegalStateException(histories.size() + " histories for " + serving.evaluatedUsers()
                    + " evaluated users");
        }
        return histories;
    }

    private static int[] itemRows(Catalogue catalogue, List<ItemScore> recommendations) {
        int[] rows = new int[recommendations.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = catalogue.itemRow(recommendations.get(i).getItemId());
        }
        return rows;
    }

    private static int[] categoryRows(Catalogue catalogue, List<CategoryProbability> categories) {
        int[] rows = new int[categories.size()];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = catalogue.categoryRow(categories.get(i).getCategory());
        }
        return rows;
    }

    /** The share of {@code expected}'s items also in {@code actual}, order ignored. */
    static double overlap(int[] expected, int[] actual) {
        if (expected.length == 0) {
            return actual.length == 0 ? 1 : 0;
        }
        int common = 0;
        for (int row : expected) {
            for (int other : actual) {
                if (row == other) {
                    common++;
                    break;
                }
            }
        }
        return common / (double) expected.length;
    }

    /** Today's date in UTC, for the report. */
    static LocalDate today() {
        return LocalDate.now(ZoneOffset.UTC);
    }

    /** Passes complete lines of a print stream on to a consumer. */
    private static final class LineStream extends OutputStream {
        private final Consumer<String> lines;
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();

        LineStream(Consumer<String> lines) {
            this.lines = lines;
        }

        @Override
        public void write(int b) throws IOException {
            if (b == '\n') {
                lines.accept("  " + line.toString(StandardCharsets.UTF_8));
                line.reset();
            } else {
                line.write(b);
            }
        }
    }
}
