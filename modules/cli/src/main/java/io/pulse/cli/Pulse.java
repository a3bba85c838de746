package io.pulse.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code pulse} launcher. {@code System.exit} happens here and nowhere else. */
@Command(name = "pulse",
        mixinStandardHelpOptions = true,
        versionProvider = Pulse.Version.class,
        description = "Real-time per-user behaviour prediction on Kafka Streams.",
        subcommands = {DemoCommand.class, InfraCommand.class, SimulateCommand.class, ReplayCommand.class,
                PipelineCommand.class, EraseCommand.class, TrainCommand.class, EvaluateCommand.class,
                BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Pulse {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, shared by {@link #main} and tests. */
    public static CommandLine commandLine() {
        return new CommandLine(new Pulse())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setExecutionExceptionHandler(new FriendlyErrors());
    }

    /** Reports the version the build wrote into the jar manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Pulse.class.getPackage().getImplementationVersion();
            return new String[] {"pulse " + (version == null ? "(development build)" : version)};
        }
    }

    /** Prints what went wrong and what to do, without a stack trace unless PULSE_DEBUG is set. */
    static final class FriendlyErrors implements CommandLine.IExecutionExceptionHandler {
        @Override
        public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
            cmd.getErr().println(cmd.getColorScheme().errorText("pulse " + cmd.getCommandName() + ": "
                    + ex.getMessage()));
            if (System.getenv("PULSE_DEBUG") != null) {
                ex.printStackTrace(cmd.getErr());
            } else {
                cmd.getErr().println("(set PULSE_DEBUG=1 for the stack trace)");
            }
            return 1;
        }
    }
}
