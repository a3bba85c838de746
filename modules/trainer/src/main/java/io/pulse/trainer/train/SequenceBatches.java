package io.pulse.trainer.train;

import io.pulse.model.Catalogue;
import io.pulse.model.FeatureSpec;
import io.pulse.trainer.data.Period;
import io.pulse.trainer.data.TrainingData;
import io.pulse.trainer.data.UserSequence;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Minibatches of one period for DL4J. A user's steps of the period are cut into chunks of
 * {@code chunkLength} labelled steps; each chunk is preceded by up to {@code warmUpSteps} of the user's earlier
 * steps, unlabelled, which warm the state up from zero. Chunks are sorted by length and grouped, padded at the end to
 * the longest of the batch, with a feature mask and per-output label masks. Arrays are [batch, features, time]
 * (DL4J's NCW).
 *
 * <p>Only the chunks' coordinates are kept ({@link #of}); a minibatch's arrays are built when it is asked for
 * ({@link #batch(int)}), from the sequences on disk, so an epoch holds one minibatch at a time however long the
 * history is.
 *
 * <p>With a catalogue (feature spec version 2) each step also has its item and category rows as two more inputs
 * ([batch, 1, time]; a step without a category reads its item's catalogue category, as the kernel does), and two
 * more labels: the next event's category row and item row (one-hot over the catalogue), masked where the next-action
 * label is masked or the next item or category is not in the catalogue.
 */
final class SequenceBatches {

    static final int NEXT_ACTION = 0;
    static final int CHURN = 1;
    static final int FRAUD = 2;
    private static final int ACTIONS = 8;

    /**
     * Steps [from, to) of the sequence at {@code user} in the data's list, labels used from {@code labelFrom} on and
     * only in the period.
     */
    record Piece(int user, int from, int to, int labelFrom) {
        int length() {
            return to - from;
        }
    }

    /** A built minibatch and how many labelled steps each head has in it. */
    record Batch(MultiDataSet data, long[] labelled) {
    }

    private final List<UserSequence> sequences;
    private final Period period;
    private final FeatureSpec spec;
    private final Catalogue catalogue;
    private final List<List<Piece>> groups;

    private SequenceBatches(List<UserSequence> sequences, Period period, FeatureSpec spec, Catalogue catalogue,
            List<List<Piece>> groups) {
        this.sequences = sequences;
        this.period = period;
        this.spec = spec;
        this.catalogue = catalogue;
        this.groups = groups;
    }

    /** The minibatches of chunks of similar length; chunks of equal length keep the users' order. */
    static SequenceBatches of(TrainingData data, Period period, TrainingConfig config, FeatureSpec spec,
            Catalogue catalogue) {
        List<Piece> pieces = new ArrayList<>(pieces(data, period, config));
        pieces.sort(Comparator.comparingInt(Piece::length));
        List<List<Piece>> groups = new ArrayList<>();
        for (int start = 0; start < pieces.size(); start += config.batchSize()) {
            groups.add(List.copyOf(pieces.subList(start, Math.min(pieces.size(), start + config.batchSize()))));
        }
        return new SequenceBatches(data.sequences(), period, spec, catalogue, groups);
    }

    /** Number of minibatches. */
    int size() {
        return groups.size();
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    /** Builds minibatch {@code k}. */
    Batch batch(int k) {
        return build(sequences, groups.get(k), period, spec, catalogue);
    }

    static List<Piece> pieces(TrainingData data, Period period, TrainingConfig config) {
        List<Piece> pieces = new ArrayList<>();
        List<UserSequence> sequences = data.sequences();
        for (int user = 0; user < sequences.size(); user++) {
            UserSequence sequence = sequences.get(user);
            int end = sequence.lastStepUpTo(period) + 1;
            int first = 0;
            while (first < end && sequence.period(first) != period) {
                first++;
            }
            for (int labelFrom = first; labelFrom < end; labelFrom += config.chunkLength()) {
                int to = Math.min(end, labelFrom + config.chunkLength());
                addIfLabelled(pieces, sequence, new Piece(user, Math.max(0, labelFrom - config.warmUpSteps()), to,
                        labelFrom), period);
            }
        }
        return pieces;
    }

    private static void addIfLabelled(List<Piece> pieces, UserSequence s, Piece piece, Period period) {
        for (int i = piece.labelFrom(); i < piece.to(); i++) {
            if (s.period(i) == period && (s.nextAction(i) >= 0 || s.churn(i) >= 0 || s.fraud(i) >= 0)) {
                pieces.add(piece);
                return;
            }
        }
    }

    static Batch build(List<UserSequence> sequences, List<Piece> pieces, Period period, FeatureSpec spec,
            Catalogue catalogue) {
        int mb = pieces.size();
        int in = spec.inputSize();
        int steps = pieces.stream().mapToInt(Piece::length).max().orElse(0);
        float[] features = new float[mb * in * steps];
        float[] featureMask = new float[mb * steps];
        float[] next = new float[mb * ACTIONS * steps];
        float[] churn = new float[mb * steps];
        float[] fraud = new float[mb * steps];
        float[] nextMask = new float[mb * steps];
        float[] churnMask = new float[mb * steps];
        float[] fraudMask = new float[mb * steps];
        long[] labelled = new long[3];
        float[] x = new float[in];
        boolean interests = catalogue != null;
        float[] itemRows = interests ? new float[mb * steps] : null;
        float[] categoryRows = interests ? new float[mb * steps] : null;
        float[] nextItemMask = interests ? new float[mb * steps] : null;
        float[] nextCategoryMask = interests ? new float[mb * steps] : null;
        INDArray nextItem = interests ? Nd4j.zeros(DataType.FLOAT, mb, catalogue.items(), steps) : null;
        INDArray nextCategory = interests ? Nd4j.zeros(DataType.FLOAT, mb, catalogue.categories(), steps) : null;
        for (int b = 0; b < mb; b++) {
            Piece piece = pieces.get(b);
            UserSequence s = sequences.get(piece.user());
            for (int t = 0; t < piece.length(); t++) {
                int i = piece.from() + t;
                spec.normalise(s.raw(i), x);
                for (int f = 0; f < in; f++) {
                    features[(b * in + f) * steps + t] = x[f];
                }
                featureMask[b * steps + t] = 1f;
                if (interests) {
                    int item = catalogue.itemRow(s.itemId(i));
                    int category = catalogue.categoryRow(s.category(i));
                    itemRows[b * steps + t] = item;
                    categoryRows[b * steps + t] = category > 0 ? category : catalogue.itemCategory(item);
                }
                if (i < piece.labelFrom() || s.period(i) != period) {
                    continue;
                }
                if (s.nextAction(i) >= 0) {
                    next[(b * ACTIONS + s.nextAction(i)) * steps + t] = 1f;
                    nextMask[b * steps + t] = 1f;
                    labelled[NEXT_ACTION]++;
                    if (interests) {
                        int item = catalogue.itemRow(s.itemId(i + 1));
                        int category = catalogue.categoryRow(s.category(i + 1));
                        category = category > 0 ? category : catalogue.itemCategory(item);
                        if (item > 0) {
                            nextItem.putScalar(new long[] {b, item, t}, 1f);
                            nextItemMask[b * steps + t] = 1f;
                        }
                        if (category > 0) {
                            nextCategory.putScalar(new long[] {b, category, t}, 1f);
                            nextCategoryMask[b * steps + t] = 1f;
                        }
                    }
                }
                if (s.churn(i) >= 0) {
                    churn[b * steps + t] = s.churn(i);
                    churnMask[b * steps + t] = 1f;
                    labelled[CHURN]++;
                }
                if (s.fraud(i) >= 0) {
                    fraud[b * steps + t] = s.fraud(i);
                    fraudMask[b * steps + t] = 1f;
                    labelled[FRAUD]++;
                }
            }
        }
        INDArray[] inputs = {Nd4j.create(features, new long[] {mb, in, steps}, 'c')};
        INDArray[] inputMasks = {Nd4j.create(featureMask, new long[] {mb, steps}, 'c')};
        INDArray[] labels = {
            Nd4j.create(next, new long[] {mb, ACTIONS, steps}, 'c'),
            Nd4j.create(churn, new long[] {mb, 1, steps}, 'c'),
            Nd4j.create(fraud, new long[] {mb, 1, steps}, 'c')};
        INDArray[] labelMasks = {
            Nd4j.create(nextMask, new long[] {mb, steps}, 'c'),
            Nd4j.create(churnMask, new long[] {mb, steps}, 'c'),
            Nd4j.create(fraudMask, new long[] {mb, steps}, 'c')};
        if (interests) {
            inputs = new INDArray[] {inputs[0], Nd4j.create(itemRows, new long[] {mb, 1, steps}, 'c'),
                Nd4j.create(categoryRows, new long[] {mb, 1, steps}, 'c')};
            inputMasks = new INDArray[] {inputMasks[0], inputMasks[0], inputMasks[0]};
            labels = new INDArray[] {labels[0], labels[1], labels[2], nextCategory, nextItem};
            labelMasks = new INDArray[] {labelMasks[0], labelMasks[1], labelMasks[2],
                Nd4j.create(nextCategoryMask, new long[] {mb, steps}, 'c'),
                Nd4j.create(nextItemMask, new long[] {mb, steps}, 'c')};
        }
        return new Batch(new org.nd4j.linalg.dataset.MultiDataSet(inputs, labels, inputMasks, labelMasks), labelled);
    }
}
