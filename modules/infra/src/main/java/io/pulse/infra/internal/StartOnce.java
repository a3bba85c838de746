package io.pulse.infra.internal;

/**
 * The lifecycle the local broker, cluster and registry share: created, then started at most once, then closed; a
 * start that fails closes it. {@link #start} and {@link #close} run the owner's start and stop code under one monitor
 * ({@link #lock()}), which the owner also holds for anything that must not overlap them.
 */
public final class StartOnce {

    /** Where in its lifecycle the owner is. */
    public enum State { NEW, RUNNING, CLOSED }

    private final String owner;
    private final String noun;
    private final Object lock = new Object();
    private State state = State.NEW;

    /**
     * @param owner the owner's class name, for "a LocalKafkaBroker starts once"
     * @param noun  what the owner is called in messages, e.g. "the broker"
     */
    public StartOnce(String owner, String noun) {
        this.owner = owner;
        this.noun = noun;
    }

    /** The monitor {@link #start} and {@link #close} hold. */
    public Object lock() {
        return lock;
    }

    /**
     * Runs {@code start} unless a start or close came first; RUNNING once it returns, CLOSED if it throws (the owner
     * cleans up and chooses the exception; it is rethrown as is).
     *
     * @throws IllegalStateException if it was started or closed before
     */
    public void start(Runnable start) {
        synchronized (lock) {
            if (state != State.NEW) {
                throw new IllegalStateException("a " + owner + " starts once; this one is " + state);
            }
            try {
                start.run();
            } catch (RuntimeException e) {
                state = State.CLOSED;
                throw e;
            }
            state = State.RUNNING;
        }
    }

    /** Runs {@code stop} the first time only (started or not); later calls do nothing. */
    public void close(Runnable stop) {
        synchronized (lock) {
            if (state == State.CLOSED) {
                return;
            }
            state = State.CLOSED;
            stop.run();
        }
    }

    /** Whether the start succeeded and no close came yet. */
    public boolean isRunning() {
        synchronized (lock) {
            return state == State.RUNNING;
        }
    }

    /** @throws IllegalStateException if it was not started yet */
    public void requireStarted() {
        synchronized (lock) {
            if (state == State.NEW) {
                throw new IllegalStateException(noun + " is not started yet: call start() first");
            }
        }
    }

    /** @throws IllegalStateException unless it is running (started and not closed) */
    public void requireRunning() {
        synchronized (lock) {
            if (state != State.RUNNING) {
                throw new IllegalStateException(noun + " is not running: it is " + state);
            }
        }
    }
}
