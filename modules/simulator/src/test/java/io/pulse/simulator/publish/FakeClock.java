package io.pulse.simulator.publish;

/** A clock that advances only when someone sleeps on it; optionally interrupts the sleeper at the n-th sleep. */
public final class FakeClock implements PacingClock {

    private final long startEpochMillis;
    private long nanos;
    private int sleeps;
    private int interruptAtSleep = -1;

    public FakeClock(long startEpochMillis) {
        this.startEpochMillis = startEpochMillis;
    }

    public FakeClock interruptAtSleep(int n) {
        this.interruptAtSleep = n;
        return this;
    }

    @Override
    public long nanoTime() {
        return nanos;
    }

    @Override
    public long currentTimeMillis() {
        return startEpochMillis + nanos / 1_000_000;
    }

    @Override
    public void sleepNanos(long duration) throws InterruptedException {
        if (++sleeps == interruptAtSleep) {
            throw new InterruptedException("test");
        }
        nanos += duration;
    }

    public int sleeps() {
        return sleeps;
    }
}
