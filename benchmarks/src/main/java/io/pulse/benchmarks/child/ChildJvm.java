package io.pulse.benchmarks.child;

import io.pulse.infra.internal.ParentWatchdog;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a benchmark's child JVM, defined once: this JVM's {@code java}, the given flags, this class path,
 * and {@code mainClass} run under {@link ParentWatchdog}, which ends the child if the benchmark JVM dies.
 */
public final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * {@code java <jvmFlags> -cp <this class path> ParentWatchdog <this pid> <mainClass> <args>}, as a mutable list
     * (a caller may wrap or extend it).
     */
    public static List<String> command(List<String> jvmFlags, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(ParentWatchdog.class.getName());
        command.add(Long.toString(ProcessHandle.current().pid()));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
