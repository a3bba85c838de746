package io.pulse.infra.internal;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Entry point of a child JVM that must not outlive the JVM that started it: it watches the parent process and exits
 * when the parent is gone (even if the parent was killed and ran no shutdown hook), then runs the real main class.
 *
 * <p>Usage: {@code java -cp <app>:<dir holding this class> io.pulse.infra.internal.ParentWatchdog <parentPid>
 * <mainClass> [args...]}. This class is copied on its own next to the child's data, so it must stay self-contained:
 * no references to other Pulse classes, no nested or anonymous classes (lambdas are fine).
 */
public final class ParentWatchdog {

    private ParentWatchdog() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: ParentWatchdog <parentPid> <mainClass> [args...]");
        }
        long parentPid = Long.parseLong(args[0]);
        Optional<ProcessHandle> parent = ProcessHandle.of(parentPid);
        if (parent.isEmpty()) {
            System.err.println("parent process " + parentPid + " is gone; not starting");
            System.exit(3);
        }
        // System.exit (not halt): the application's own shutdown hooks still run and close it cleanly
        parent.get().onExit().thenRun(() -> {
            System.err.println("parent process " + parentPid + " exited; shutting down");
            System.exit(0);
        });
        String[] rest = Arrays.copyOfRange(args, 2, args.length);
        try {
            Class.forName(args[1]).getMethod("main", String[].class).invoke(null, (Object) rest);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
