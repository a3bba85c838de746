package io.pulse.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pulse.contracts.HeadActivation;
import io.pulse.contracts.HeadSpec;
import io.pulse.contracts.ModelBundle;
import io.pulse.contracts.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ModelBundlesTest {

    private static final ModelBundle SEEDED = ModelBundles.seededRandom("pulse", 7L, 16);

    @Test
    void shouldMakeSeededRandomBundlesAsAPureFunctionOfTheirArguments() {
        assertThat(ModelBundles.toBytes(ModelBundles.seededRandom("pulse", 7L, 16)))
                .containsExactly(ModelBundles.toBytes(SEEDED));
        assertThat(SEEDED.getVersion()).isEqualTo("random-7-h16");
        assertThat(SEEDED.getProvenance().getProducer()).isEqualTo("seeded-random");
        assertThat(SEEDED.getProvenance().getNotes()).contains("Untrained");
        assertThat(ModelBundles.toBytes(ModelBundles.seededRandom("pulse", 8L, 16)))
                .isNotEqualTo(ModelBundles.toBytes(SEEDED));

        LstmModel model = ModelBundles.toModel(SEEDED);
        assertThat(model.isRandomInit()).isTrue();
        assertThat(model.name()).isEqualTo("pulse");
        assertThat(model.version()).isEqualTo("random-7-h16");
        assertThat(model.inputSize()).isEqualTo(32);
        assertThat(model.hiddenSize()).isEqualTo(16);
        assertThat(model.featureSpec()).isEqualTo(FeatureSpec.v1());
        assertThat(model.nextActionLabels()).containsExactly("UNKNOWN", "VIEW", "CLICK", "ADD_TO_CART", "PURCHASE",
                "RATING", "LOGIN", "PAYMENT");
    }

    @Test
    void shouldRoundTripThroughBundleBytes() {
        ModelBundle copy = ModelBundles.fromBytes(ModelBundles.toBytes(SEEDED));
        assertThat(copy).isEqualTo(SEEDED);
    }

    @Test
    void shouldRefuseBytesThatAreNotExactlyOneBundle() {
        byte[] bytes = ModelBundles.toBytes(SEEDED);
        byte[] trailing = java.util.Arrays.copyOf(bytes, bytes.length + 1);
        assertThatThrownBy(() -> ModelBundles.fromBytes(trailing)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("trailing");
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length / 2);
        assertThatThrownBy(() -> ModelBundles.fromBytes(truncated)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining("not an Avro ModelBundle");
    }

    @Test
    void shouldIgnoreHeadsAndTensorsItDoesNotKnow() {
        ModelBundle extended = edit(b -> {
            List<HeadSpec> heads = new ArrayList<>(b.getArchitecture().getHeads());
            heads.add(HeadSpec.newBuilder().setName("interest").setActivation(HeadActivation.SOFTMAX)
                    .setOutputs(List.of("books", "games")).build());
            b.getArchitecture().setHeads(heads);
            b.getTensors().add(Tensor.newBuilder().setName("head.interest.W").setShape(List.of(16, 2))
                    .setValues(new ArrayList<>(java.util.Collections.nCopies(32, 0.5f))).build());
        });
        assertThat(ModelBundles.toModel(extended).hiddenSize()).isEqualTo(16);
    }

    @Test
    void shouldRefuseBundlesItCannotRunExactly() {
        assertInvalid(b -> b.setFormatVersion(3), "format version 3 is not supported; this build reads format 1 to 2");
        // fraud trees: only in format 2, and only over this model's input and hidden sizes
        assertInvalid(b -> b.getTensors().add(Tensor.newBuilder().setName(ModelBundles.FRAUD_TREES_NODES)
                .setShape(List.of(1, 4)).setValues(new ArrayList<>(java.util.Collections.nCopies(4, 0f))).build()),
                "tensor fraud_trees.nodes must be [nodes, 5]");
        assertInvalid(b -> {
            b.setFormatVersion(ModelBundles.FORMAT_WITH_FRAUD_TREES);
            b.getTensors().add(Tensor.newBuilder().setName(ModelBundles.FRAUD_TREES_NODES).setShape(List.of(1, 5))
                    .setValues(new ArrayList<>(List.of(-1f, 0.5f, 0f, 0f, 0f))).build());
            b.getTensors().add(Tensor.newBuilder().setName(ModelBundles.FRAUD_TREES_ROOTS).setShape(List.of(1))
                    .setValues(new ArrayList<>(List.of(0f))).build());
            b.getTensors().add(Tensor.newBuilder().setName(ModelBundles.FRAUD_TREES_SETTINGS).setShape(List.of(3))
                    .setValues(new ArrayList<>(List.of(0f, 7f, 16f))).build());
        }, "fraud trees read 7.0 inputs and 16.0 hidden units");
        assertInvalid(b -> b.getTensors().removeIf(t -> t.getName().equals("head.churn.b")),
                "tensor head.churn.b is missing");
        assertInvalid(b -> tensor(b, "lstm.RW").setShape(List.of(64, 16)), "tensor lstm.RW must have shape [16, 64]");
        assertInvalid(b -> tensor(b, "lstm.b").getValues().set(3, Float.NaN), "non-finite value NaN at 3");
        assertInvalid(b -> tensor(b, "lstm.W").getValues().set(0, Float.POSITIVE_INFINITY), "non-finite");
        assertInvalid(b -> b.setFeatureSpec(b.getFeatureSpec().replace("\"version\":1", "\"version\":3")),
                "cannot reproduce its feature spec");
        assertInvalid(b -> b.getArchitecture().setHeads(b.getArchitecture().getHeads().subList(0, 2)),
                "head fraud is missing");
        assertInvalid(b -> b.getArchitecture().getHeads().get(1).setActivation(HeadActivation.SOFTMAX),
                "head churn must use SIGMOID");
        assertInvalid(b -> b.getArchitecture().setCell("gru"), "cell \"gru\" is not supported");
        assertInvalid(b -> b.getTensors().add(b.getTensors().get(0)), "tensor lstm.W appears twice");
    }

    private static void assertInvalid(Consumer<ModelBundle> change, String message) {
        ModelBundle broken = edit(change);
        assertThatThrownBy(() -> ModelBundles.toModel(broken)).isInstanceOf(InvalidBundleException.class)
                .hasMessageContaining(message);
    }

    private static ModelBundle edit(Consumer<ModelBundle> change) {
        ModelBundle copy = ModelBundle.newBuilder(SEEDED).build();
        // deep copies of the parts the edits touch
        copy.setTensors(new ArrayList<>(copy.getTensors().stream().map(t -> Tensor.newBuilder(t)
                .setShape(new ArrayList<>(t.getShape())).setValues(new ArrayList<>(t.getValues())).build()).toList()));
        copy.setArchitecture(io.pulse.contracts.Architecture.newBuilder(copy.getArchitecture())
                .setHeads(new ArrayList<>(copy.getArchitecture().getHeads().stream()
                        .map(h -> HeadSpec.newBuilder(h).build()).toList())).build());
        change.accept(copy);
        return copy;
    }

    private static Tensor tensor(ModelBundle bundle, String name) {
        return bundle.getTensors().stream().filter(t -> t.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void shouldRefuseIncompleteWeightsWhenAssemblingABundle() {
        assertThatThrownBy(() -> ModelBundles.fromWeights("m", "v", FeatureSpec.v1(), 4, java.util.Map.of(),
                SEEDED.getProvenance())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tensor lstm.W needs 512 values");
    }
}
