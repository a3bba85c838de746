package io.pulse.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckoutToolTest {

    @TempDir
    Path checkout;

    @Test
    void shouldSendTheUserToASourceCheckoutWhenThereIsNone() {
        // no pulse.home: how the image's entrypoint starts the launcher
        assertThat(System.getProperty(CheckoutTool.HOME_PROPERTY)).isNull();
        StringWriter err = new StringWriter();

        int exit = Pulse.commandLine().setErr(new PrintWriter(err, true)).execute("bench", "--quick");

        assertThat(exit).isEqualTo(1);
        assertThat(err.toString()).contains("pulse bench: the benchmarks are not part of this installation",
                "run ./pulse bench from a source checkout of Pulse");
    }

    @Test
    void shouldSayHowToBuildTheToolWhenTheCheckoutHasNotBuiltIt() {
        assertThatThrownBy(() -> EvaluateCommand.EVALUATION.home(checkout.toString()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the evaluations are not built in " + checkout)
                .hasMessageContaining("mvn -DskipTests install");
    }

    @Test
    void shouldRunTheToolOnItsOwnClassPathWithTheArgumentsAsGiven() throws IOException {
        Path target = Files.createDirectories(checkout.resolve("benchmarks/target/lib"));
        Files.createFile(target.resolveSibling("pulse-benchmarks.jar"));

        Path home = BenchCommand.BENCHMARKS.home(checkout.toString());
        List<String> command = BenchCommand.BENCHMARKS.commandLine(home, List.of("--quick", "--out", "r.md"));

        assertThat(command.get(0)).endsWith("java");
        assertThat(command).containsSubsequence("-cp", checkout.resolve("benchmarks/target/pulse-benchmarks.jar")
                        + ":" + checkout.resolve("benchmarks/target/lib") + "/*", "io.pulse.benchmarks.BenchMain")
                .endsWith("io.pulse.benchmarks.BenchMain", "--quick", "--out", "r.md");
        // one class path, the tool's: the launcher's own stays out of the child
        assertThat(command).filteredOn(arg -> arg.equals("-cp") || arg.equals("-classpath")).hasSize(1);
        // the benchmarks' JFR profiles attribute samples to the method that ran
        assertThat(command).containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:+DebugNonSafepoints", "-cp");
        // and JFR is up before the JIT compiles anything, so that a profile starting later does not throw that away
        assertThat(command).containsSubsequence("-XX:StartFlightRecording=settings=none", "-cp");
    }

    @Test
    void shouldHandEveryArgumentToTheToolInOrder() {
        CommandLine.ParseResult bench = Pulse.commandLine().parseArgs("bench", "--quick", "--users", "10k,100k",
                "--no-jfr", "--help", "--out", "b.md").subcommand();
        CommandLine.ParseResult evaluate = Pulse.commandLine().parseArgs("evaluate", "fraud-handbook", "--folds", "1",
                "--driver", "broker").subcommand();

        assertThat(((BenchCommand) bench.commandSpec().userObject()).args)
                .containsExactly("--quick", "--users", "10k,100k", "--no-jfr", "--help", "--out", "b.md");
        assertThat(((EvaluateCommand) evaluate.commandSpec().userObject()).args)
                .containsExactly("fraud-handbook", "--folds", "1", "--driver", "broker");
    }
}
