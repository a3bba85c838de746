package io.pulse.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A developer tool that exists only in a source checkout of Pulse (the benchmarks, the evaluations), run by the
 * launcher in a child JVM on the tool module's own class path: {@code <module>/target/<jar>} and
 * {@code <module>/target/lib/*}, both written by the Maven build that {@code ./pulse} runs. The launcher has no compile
 * dependency on these modules, so neither its class path nor the container image carries JMH, Kafka Streams'
 * test-utils or benchmark code.
 *
 * <p>The checkout is found through the system property {@value #HOME_PROPERTY}, which {@code ./pulse} sets to the
 * repository root. The image's entrypoint does not set it, so there the command fails saying where to run it.
 */
final class CheckoutTool {

    /** The repository root of a source checkout; set by {@code ./pulse}. */
    static final String HOME_PROPERTY = "pulse.home";

    private final String command;
    private final String what;
    private final String module;
    private final String jar;
    private final String mainClass;
    private final List<String> jvmFlags;

    /**
     * @param command the launcher's command, for messages ({@code bench})
     * @param what what the tool is, plural, for messages ({@code benchmarks})
     * @param module the tool's module directory, relative to the repository root ({@code benchmarks})
     * @param jar the tool module's jar in {@code <module>/target} ({@code pulse-benchmarks.jar})
     * @param mainClass the tool's entry point, a class of that jar
     * @param jvmFlags flags the tool's JVM gets besides this one's
     */
    CheckoutTool(String command, String what, String module, String jar, String mainClass, List<String> jvmFlags) {
        this.command = command;
        this.what = what;
        this.module = module;
        this.jar = jar;
        this.mainClass = mainClass;
        this.jvmFlags = List.copyOf(jvmFlags);
    }

    /** Runs the tool with {@code args}, sharing this process's terminal; returns its exit code. */
    int run(List<String> args) {
        List<String> commandLine = commandLine(home(System.getProperty(HOME_PROPERTY)), args);
        ProcessBuilder builder = new ProcessBuilder(commandLine).inheritIO();
        try {
            Process child = builder.start();
            // Ctrl-C reaches the child through the terminal; a SIGTERM to the launcher alone must not orphan it
            Thread stopChild = new Thread(child::destroy, "pulse-" + command + "-stop-child");
            Runtime.getRuntime().addShutdownHook(stopChild);
            int code = child.waitFor();
            Runtime.getRuntime().removeShutdownHook(stopChild);
            return code;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the child JVM " + commandLine.get(0), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /**
     * The repository root named by {@code property} (the value of {@value #HOME_PROPERTY}), checked to hold the tool's
     * build output.
     *
     * @throws IllegalStateException saying what to do when this is not a source checkout or the tool is not built
     */
    Path home(String property) {
        if (property == null || property.isBlank()) {
            throw new IllegalStateException("the " + what + " are not part of this installation (the container"
                    + " image ships without them): run ./pulse " + command + " from a source checkout of Pulse");
        }
        Path home = Path.of(property);
        if (!Files.isRegularFile(home.resolve(module).resolve("target").resolve(jar))
                || !Files.isDirectory(home.resolve(module).resolve("target").resolve("lib"))) {
            throw new IllegalStateException("the " + what + " are not built in " + home + ": run `mvn -DskipTests"
                    + " install` there (./pulse does it when sources change; PULSE_REBUILD=1 forces it)");
        }
        return home;
    }

    /**
     * The child JVM's command: this JVM's flags (so {@code --add-modules jdk.incubator.vector} and {@code JAVA_OPTS}
     * carry over, as when the tool ran inside the launcher) and the tool's own, the tool's class path under
     * {@code home}, its main class and {@code args} unchanged.
     */
    List<String> commandLine(Path home, List<String> args) {
        Path target = home.resolve(module).resolve("target");
        List<String> commandLine = new ArrayList<>();
        commandLine.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        commandLine.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        commandLine.addAll(jvmFlags);
        commandLine.add("-cp");
        commandLine.add(target.resolve(jar) + System.getProperty("path.separator") + target.resolve("lib") + "/*");
        commandLine.add(mainClass);
        commandLine.addAll(args);
        return commandLine;
    }
}
