package io.pulse.deployment.container;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The image the build wrote ({@code target/jib-image.tar}, {@code pulse:0.1.0}), loaded into podman once per JVM.
 * Tests that need it are skipped, with the reason, when the build left the image out ({@code -Dpulse.image.skip=true})
 * or podman cannot be installed here.
 */
final class ContainerImage {

    private ContainerImage() {
    }

    /** Podman with the image loaded; the image's name is {@link #name()}. */
    static Podman require() {
        assumeTrue(!Boolean.getBoolean("pulse.image.skip"),
                "the image was not built (-Dpulse.image.skip=true), so there is no image to run");
        Path tarball = Path.of(System.getProperty("pulse.image.tar", "target/jib-image.tar"));
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("no image tarball at " + tarball + ": `package` builds it");
        }
        Podman podman = Podman.require();
        podman.load(tarball, name());
        return podman;
    }

    /** The image's name as podman lists it: an unqualified {@code pulse:0.1.0} is stored as {@code localhost/...}. */
    static String name() {
        String image = System.getProperty("pulse.image");
        if (image == null) {
            throw new IllegalStateException("run through Maven, which passes -Dpulse.image");
        }
        return image;
    }

    static String uid() {
        return System.getProperty("pulse.image.uid", "10001");
    }
}
