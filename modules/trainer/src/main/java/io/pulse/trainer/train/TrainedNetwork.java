package io.pulse.trainer.train;

import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Provenance;
import io.pulse.model.Catalogue;
import io.pulse.model.FeatureSpec;
import io.pulse.model.ModelBundles;
import io.pulse.model.dl4j.PulseNetwork;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;

/**
 * A trained DL4J network with the normalisation it was trained with and its training history, and its export as a
 * {@code ModelBundle}.
 *
 * @param graph        the network (best epoch's weights)
 * @param spec         the normalised feature spec it reads
 * @param config       how it was trained
 * @param epochs       every epoch run
 * @param bestEpoch    the epoch whose weights were kept
 * @param stoppedEarly whether early stopping ended training before {@link TrainingConfig#maxEpochs()}
 * @param seconds      wall time of training
 * @param catalogue    the item catalogue of a version-2 network, null for version 1
 */
public record TrainedNetwork(ComputationGraph graph, FeatureSpec spec, TrainingConfig config, List<EpochResult> epochs,
        int bestEpoch, boolean stoppedEarly, double seconds, Catalogue catalogue) {

    public TrainedNetwork {
        epochs = List.copyOf(epochs);
    }

    /** The parameters in the bundle's layout (row-major, DL4J gate order): {@link PulseNetwork#rowMajorTensors}. */
    public Map<String, float[]> rowMajorTensors() {
        return PulseNetwork.rowMajorTensors(graph);
    }

    /** A bundle builder with these weights and spec; the caller sets metrics before {@code build()}. */
    public ModelBundle.Builder toBundle(String name, String version, Provenance provenance) {
        return ModelBundles.fromWeights(name, version, spec, config.hiddenSize(), catalogue, rowMajorTensors(),
                provenance);
    }
}
