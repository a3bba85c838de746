package io.pulse.simulator.publish;

import java.util.concurrent.TimeUnit;

/** The clock that paced publishing follows; tests substitute one that advances without sleeping. */
public interface PacingClock {

    /** Monotonic time for pacing, as {@link System#nanoTime()}. */
    long nanoTime();

    /** Wall-clock time for re-stamping events and labels, as {@link System#currentTimeMillis()}. */
    long currentTimeMillis();

    /** Waits this long (a positive number of nanoseconds). */
    void sleepNanos(long nanos) throws InterruptedException;

    /** The system clocks and {@link Thread#sleep}. */
    static PacingClock system() {
        return SystemClock.INSTANCE;
    }

    /** The system clocks. */
    enum SystemClock implements PacingClock {
        INSTANCE;

        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public long currentTimeMillis() {
            return System.currentTimeMillis();
        }

        @Override
        public void sleepNanos(long nanos) throws InterruptedException {
            TimeUnit.NANOSECONDS.sleep(nanos);
        }
    }
}
