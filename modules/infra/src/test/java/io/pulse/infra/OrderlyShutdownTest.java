package io.pulse.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/**
 * The registry's safety hook waits for the owner's shutdown hook ({@link LocalSchemaRegistry#shutDownAfter}) to have
 * run to its end, even when the JVM has not started the owner's hook yet: the registry must outlive a pipeline that is
 * still committing (issue #16: a demo stopped right after a hot swap failed to serialize an alert).
 */
class OrderlyShutdownTest {

    @Test
    void shouldWaitForAnOwnerHookThatHasNotStartedYetToFinish() throws InterruptedException {
        CountDownLatch ownerMayFinish = new CountDownLatch(1);
        Thread owner = new Thread(() -> {
            try {
                ownerMayFinish.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "owner-hook");
        Thread safetyHook = new Thread(() -> LocalSchemaRegistry.awaitTermination(owner, Duration.ofSeconds(30)),
                "safety-hook");

        // Given the safety hook running before the owner's hook has even started
        safetyHook.start();
        await("safety hook waiting for an owner not started yet").during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(2)).until(safetyHook::isAlive);

        // When the owner's hook starts, it still waits while the owner runs
        owner.start();
        await("safety hook waiting for a running owner").during(Duration.ofMillis(200))
                .atMost(Duration.ofSeconds(2)).until(safetyHook::isAlive);

        // Then it returns once the owner has finished
        ownerMayFinish.countDown();
        safetyHook.join(Duration.ofSeconds(10).toMillis());
        assertThat(safetyHook.isAlive()).isFalse();
        assertThat(owner.getState()).isEqualTo(Thread.State.TERMINATED);
    }

    @Test
    void shouldGiveUpWaitingAfterTheLimit() throws InterruptedException {
        Thread neverStarted = new Thread(() -> { }, "never-started");

        long started = System.nanoTime();
        LocalSchemaRegistry.awaitTermination(neverStarted, Duration.ofMillis(300));

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300))
                .isLessThan(Duration.ofSeconds(10));
    }
}
