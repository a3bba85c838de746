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

    /**
     * The collector {@code pulse pipeline} runs with wherever Pulse starts one: the JDK's default on a machine of this
     * size (at least 2 processors and 2 GiB), G1. Named, so that a child standing for a deployed pipeline gets it on
     * any machine and a report can say which one ran.
     */
    public static final String PIPELINE_COLLECTOR = "-XX:+UseG1GC";
    /**
     * A benchmark's child pipeline heap: small, so that the soak shows the pipeline's memory bounded and several
     * children fit on one machine.
     */
    public static final String CHILD_PIPELINE_HEAP = "-Xmx512m";
    /**
     * The heap the Kubernetes statefulset gives the pipeline ({@code -XX:MaxRAMPercentage=60} of its 2 GiB memory
     * limit, deploy/kubernetes/statefulset.yaml), for a child that stands for a deployed pipeline.
     */
    public static final String DEPLOYED_PIPELINE_HEAP = "-Xmx1229m";

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
