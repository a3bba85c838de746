package io.pulse.evaluation;

import java.nio.file.Path;

/**
 * Runs the evaluation without the launcher: {@code FraudHandbookMain DATA_DIR FOLDS MODE OUT [MAX_EPOCHS]} with MODE
 * {@code broker} or {@code topology-test-driver}. {@code pulse evaluate fraud-handbook} is the supported entry point.
 */
public final class FraudHandbookMain {

    private FraudHandbookMain() {
    }

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args.length > 0 ? args[0] : "../shared/datasets/fraud-transactions");
        int folds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        PipelineScorer.Mode mode = args.length > 2 && args[2].equalsIgnoreCase("broker")
                ? PipelineScorer.Mode.BROKER : PipelineScorer.Mode.TOPOLOGY_TEST_DRIVER;
        Path out = Path.of(args.length > 3 ? args[3] : "benchmarks/FRAUD_HANDBOOK.md");
        var training = FraudHandbookEvaluation.Options.defaultTraining();
        if (args.length > 4) {
            training = training.withMaxEpochs(Integer.parseInt(args[4]));
        }
        String command = "./pulse evaluate fraud-handbook --data " + data + " --folds " + folds + " --driver "
                + (mode == PipelineScorer.Mode.BROKER ? "broker" : "topology-test-driver") + " --max-epochs "
                + training.maxEpochs() + " --hidden " + training.hiddenSize() + " --validation-days 2 --out " + out;
        var options = new FraudHandbookEvaluation.Options(data, folds, mode, out,
                Path.of(System.getProperty("java.io.tmpdir"), "pulse-handbook-" + ProcessHandle.current().pid()),
                training, 2, command);
        FraudHandbookEvaluation.run(options, System.out::println);
    }
}
