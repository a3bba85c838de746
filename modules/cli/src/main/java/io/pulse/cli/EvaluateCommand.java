package io.pulse.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code pulse evaluate}: the evaluation module's entry point ({@code io.pulse.evaluation.EvaluateMain}) in a child
 * JVM on that module's class path, with the arguments as given; {@code pulse evaluate fraud-handbook} runs the fraud
 * data set's published prequential protocol through the real pipeline. Its commands, options and help are the
 * evaluation's own ({@code ./pulse evaluate fraud-handbook --help}); the launcher only finds and starts it
 * ({@link CheckoutTool}), so Kafka Streams' test-utils (the {@code topology-test-driver} mode) stay off the launcher's
 * class path and out of the image.
 */
@Command(name = "evaluate", customSynopsis = "pulse evaluate fraud-handbook|next-item [OPTION...]",
        description = {"Evaluate Pulse end to end against a published protocol: fraud-handbook (the fraud data set's"
                + " prequential protocol, results in benchmarks/FRAUD_HANDBOOK.md); next-item (leave-one-out next-item"
                + " and next-category ranking of a public sequence file such as Amazon Beauty, scored from the"
                + " pipeline's published recommendations, results in benchmarks/NEXT_ITEM.md).",
                "Runs the evaluation module of a source checkout in its own JVM: ./pulse evaluate fraud-handbook"
                        + " --help or ./pulse evaluate next-item --help for their options."})
final class EvaluateCommand implements Callable<Integer> {

    static final CheckoutTool EVALUATION = new CheckoutTool("evaluate", "evaluations", "modules/evaluation",
            "pulse-evaluation.jar", "io.pulse.evaluation.EvaluateMain", List.of());

    /** Every argument, the subcommand and options included, in order: they are the evaluation's to parse. */
    @Unmatched
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        return EVALUATION.run(args);
    }
}
