package io.pulse.trainer.publish;

import io.pulse.contracts.ModelBundle;
import io.pulse.model.InvalidBundleException;
import io.pulse.model.LstmModel;
import io.pulse.model.ModelBundles;
import java.time.Duration;
import java.util.Objects;

/**
 * The model a new one has to beat: none, one that runs on this build's kernel, or one that is incompatible (its
 * feature spec or shapes cannot be reproduced, or it predicts churn for another horizon) and so counts as beaten.
 *
 * @param bundle           the bundle, or null if there is no current model
 * @param model            the runnable model, or null if none or incompatible
 * @param incompatibility  why it cannot be compared, or null
 * @param origin           where it came from (topic or file), for messages
 */
public record CurrentModel(ModelBundle bundle, LstmModel model, String incompatibility, String origin) {

    /** Provenance config key under which the trainer records the churn horizon (ISO-8601 duration). */
    public static final String CHURN_HORIZON_KEY = "churnHorizon";

    /** There is no current model. */
    public static CurrentModel none(String origin) {
        return new CurrentModel(null, null, null, origin);
    }

    /**
     * Loads a current bundle for comparison on data labelled with {@code churnHorizon}.
     */
    public static CurrentModel of(ModelBundle bundle, String origin, Duration churnHorizon) {
        Objects.requireNonNull(bundle, "bundle");
        LstmModel model;
        try {
            model = ModelBundles.toModel(bundle);
        } catch (InvalidBundleException e) {
            return new CurrentModel(bundle, null, e.getMessage(), origin);
        }
        String horizon = bundle.getProvenance().getConfig().get(CHURN_HORIZON_KEY);
        if (horizon != null && !horizon.equals(churnHorizon.toString())) {
            return new CurrentModel(bundle, null, "its churn head predicts churn within " + horizon + ", not "
                    + churnHorizon, origin);
        }
        return new CurrentModel(bundle, model, null, origin);
    }

    public boolean exists() {
        return bundle != null;
    }

    public boolean comparable() {
        return model != null;
    }

    /** The current version, or null. */
    public String version() {
        return bundle == null ? null : bundle.getVersion();
    }
}
