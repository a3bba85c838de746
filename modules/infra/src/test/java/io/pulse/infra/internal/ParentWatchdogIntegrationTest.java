package io.pulse.infra.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("integration")
class ParentWatchdogIntegrationTest {

    @Test
    void shouldStopTheChildWhenItsParentDies() throws Exception {
        // Given a stand-in "parent" process, and a child JVM watching it while its main method blocks forever
        Process parent = new ProcessBuilder("sleep", "300").start();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                ParentWatchdog.class.getName(), Long.toString(parent.pid()), BlockingMain.class.getName()))
                .redirectErrorStream(true)
                .redirectOutput(new File("target/parent-watchdog-test.log"))
                .start();
        try {
            await().alias("child keeps running while the parent lives")
                    .during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                    .until(child::isAlive);

            // When the parent is killed without any chance to clean up
            parent.destroyForcibly().waitFor();

            // Then the child exits by itself
            await().alias("child exits after its parent died")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> !child.isAlive());
            assertThat(child.exitValue()).isZero();
        } finally {
            parent.destroyForcibly();
            child.destroyForcibly();
        }
    }

    /** A main method that never returns on its own. */
    public static final class BlockingMain {
        private BlockingMain() {
        }

        public static void main(String[] args) throws InterruptedException {
            Thread.currentThread().join();
        }
    }
}
