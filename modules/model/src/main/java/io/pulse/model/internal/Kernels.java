package io.pulse.model.internal;

import java.util.Locale;

/**
 * Chooses the step kernel once, at class-load time. The Vector API kernel needs the incubator module, i.e. the JVM
 * flag {@code --add-modules jdk.incubator.vector}; without it the scalar kernel runs, so the pipeline works either
 * way (just slower). {@code -Dpulse.model.kernel=scalar|vector|auto} overrides the choice ({@code vector} without the
 * module fails fast).
 */
public final class Kernels {

    /** System property selecting the kernel: {@code auto} (default), {@code vector} or {@code scalar}. */
    public static final String PROPERTY = "pulse.model.kernel";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final StepKernel SELECTED = select(System.getProperty(PROPERTY, "auto"));

    private Kernels() {
    }

    /** The kernel this JVM uses. */
    public static StepKernel selected() {
        return SELECTED;
    }

    /** The portable kernel. */
    public static StepKernel scalar() {
        return new ScalarKernel();
    }

    /** True when the Vector API module is resolved in this JVM. */
    public static boolean vectorAvailable() {
        return ModuleLayer.boot().findModule(VECTOR_MODULE).isPresent();
    }

    /**
     * The Vector API kernel.
     *
     * @throws IllegalStateException if the module is not resolved
     */
    public static StepKernel vector() {
        if (!vectorAvailable()) {
            throw new IllegalStateException("the vector kernel needs the JVM flag --add-modules " + VECTOR_MODULE);
        }
        try {
            // Reflective, so that no class referring to jdk.incubator.vector is loaded when the module is absent.
            return (StepKernel) Class.forName("io.pulse.model.internal.VectorKernel").getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            throw new IllegalStateException("cannot load the vector kernel", e);
        }
    }

    static StepKernel select(String choice) {
        switch (choice.trim().toLowerCase(Locale.ROOT)) {
            case "scalar":
                return scalar();
            case "vector":
                return vector();
            case "auto":
                return vectorAvailable() ? vector() : scalar();
            default:
                throw new IllegalArgumentException(PROPERTY + " must be auto, vector or scalar, got " + choice);
        }
    }
}
