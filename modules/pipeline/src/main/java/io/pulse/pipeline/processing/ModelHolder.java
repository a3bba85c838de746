package io.pulse.pipeline.processing;

import io.pulse.model.LstmModel;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model every stream thread of this instance scores with. Swapped atomically when a new bundle arrives on the
 * model-weights topic; a scoring step reads it once per event, so an event is scored by exactly one model.
 */
public final class ModelHolder {

    private static final Logger LOG = LoggerFactory.getLogger(ModelHolder.class);

    private final AtomicReference<LstmModel> current;
    private final long createdAtNanos = System.nanoTime();
    private final List<Consumer<LstmModel>> listeners = new CopyOnWriteArrayList<>();

    /** @param fallback the model to use until a bundle arrives (normally seeded-random, marked as such) */
    public ModelHolder(LstmModel fallback) {
        this.current = new AtomicReference<>(Objects.requireNonNull(fallback, "fallback"));
    }

    public LstmModel current() {
        return current.get();
    }

    /** Adopts {@code model} unless it is the version already in use; returns whether it changed. */
    public boolean adopt(LstmModel model) {
        LstmModel previous = current.getAndSet(model);
        if (previous.version().equals(model.version())) {
            return false;
        }
        LOG.info("now scoring with model {} version {} (was {})", model.name(), model.version(), previous.version());
        listeners.forEach(listener -> listener.accept(model));
        return true;
    }

    /** Adds {@code listener}, called after every change of model (on the thread that adopted it). */
    public void onChange(Consumer<LstmModel> listener) {
        listeners.add(Objects.requireNonNull(listener));
    }

    long ageNanos() {
        return System.nanoTime() - createdAtNanos;
    }
}
