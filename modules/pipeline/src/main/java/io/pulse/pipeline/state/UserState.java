package io.pulse.pipeline.state;

import io.pulse.model.BehaviourWindows;
import io.pulse.model.FeatureSpec;
import java.util.Arrays;

/**
 * Everything Pulse remembers about one user (mutable; one instance per event being processed). Times are epoch
 * seconds in unsigned ints where second precision is enough (alert bookkeeping); 0 means never.
 */
public final class UserState {

    /** Hash of the model version that produced {@link #hidden} and {@link #cell}; 0 for a new user. */
    int modelVersionHash;
    final BehaviourWindows windows;
    final float[] hidden;
    final float[] cell;
    final InputRing recentInputs;
    float lastChurn;
    float lastFraud;
    int lastTopAction;
    long inactivityDueAtSeconds;
    long inactivityIndexedAtSeconds;
    long lastChurnAlertSeconds;
    long lastFraudAlertSeconds;
    long lastInterestAlertSeconds;
    boolean alertedThisSilence;
    /** Items the user consumed recently (catalogue rows of the model with interest heads that scored them). */
    final SeenItems seenItems = new SeenItems();
    /** Exponentially averaged next-category distribution; null until a model with interest heads scored the user. */
    float[] categoryProfile;
    /** {@link io.pulse.model.Catalogue#fingerprint()} of the catalogue whose rows the interest state holds. */
    int catalogueFingerprint;

    UserState(BehaviourWindows windows, int hiddenSize, FeatureSpec spec) {
        this.windows = windows;
        this.hidden = new float[hiddenSize];
        this.cell = new float[hiddenSize];
        this.recentInputs = new InputRing(spec);
    }

    /** A user Pulse has not seen before. */
    public static UserState newUser(int hiddenSize, FeatureSpec spec) {
        return new UserState(BehaviourWindows.empty(), hiddenSize, spec);
    }

    public static int versionHash(String modelVersion) {
        int hash = modelVersion.hashCode();
        return hash == 0 ? 1 : hash;
    }

    public boolean isNew() {
        return windows.eventsSeen() == 0;
    }

    public boolean producedBy(String modelVersion) {
        return modelVersionHash == versionHash(modelVersion);
    }

    public void markProducedBy(String modelVersion) {
        modelVersionHash = versionHash(modelVersion);
    }

    public BehaviourWindows windows() {
        return windows;
    }

    public float[] hidden() {
        return hidden;
    }

    public float[] cell() {
        return cell;
    }

    public InputRing recentInputs() {
        return recentInputs;
    }

    public float lastChurn() {
        return lastChurn;
    }

    public float lastFraud() {
        return lastFraud;
    }

    public int lastTopAction() {
        return lastTopAction;
    }

    public void rememberScores(float churn, float fraud, int topAction) {
        this.lastChurn = churn;
        this.lastFraud = fraud;
        this.lastTopAction = topAction;
    }

    public long inactivityDueAtMillis() {
        return inactivityDueAtSeconds * 1000L;
    }

    public void setInactivityDueAtMillis(long millis) {
        this.inactivityDueAtSeconds = millis <= 0 ? 0 : millis / 1000L;
    }

    /**
     * Where this user's entry in the inactivity index was put (0: none). It may be earlier than
     * {@link #inactivityDueAtMillis()}: an event that only postpones the check leaves the entry where it is, and the
     * punctuator moves it on when it fires — one index write per silence instead of two per event. The punctuator
     * moves it in the index only, so once the index has been handled past this position the entry is at the due time
     * (the scoring processor's {@code InactivityWatch} reads it so, and brings this field up to date at the next event).
     */
    public long inactivityIndexedAtMillis() {
        return inactivityIndexedAtSeconds * 1000L;
    }

    /** Records where the index entry is, truncated to whole seconds like the due time. */
    public void setInactivityIndexedAtMillis(long millis) {
        this.inactivityIndexedAtSeconds = millis <= 0 ? 0 : millis / 1000L;
    }

    public long lastChurnAlertMillis() {
        return lastChurnAlertSeconds * 1000L;
    }

    /** Rounded up to the second, so a cooldown measured from it is never shorter than configured. */
    public void setLastChurnAlertMillis(long millis) {
        this.lastChurnAlertSeconds = (millis + 999L) / 1000L;
    }

    public long lastFraudAlertMillis() {
        return lastFraudAlertSeconds * 1000L;
    }

    /** Rounded up to the second, so a cooldown measured from it is never shorter than configured. */
    public void setLastFraudAlertMillis(long millis) {
        this.lastFraudAlertSeconds = (millis + 999L) / 1000L;
    }

    public long lastInterestAlertMillis() {
        return lastInterestAlertSeconds * 1000L;
    }

    /** Rounded up to the second, so a cooldown measured from it is never shorter than configured. */
    public void setLastInterestAlertMillis(long millis) {
        this.lastInterestAlertSeconds = (millis + 999L) / 1000L;
    }

    public boolean alertedThisSilence() {
        return alertedThisSilence;
    }

    public void setAlertedThisSilence(boolean alerted) {
        this.alertedThisSilence = alerted;
    }

    /** The fingerprint of the catalogue whose rows the seen items, the profile and the ring's rows are. */
    public int catalogueFingerprint() {
        return catalogueFingerprint;
    }

    /**
     * Makes the interest state belong to the catalogue with {@code fingerprint}: when the rows it holds are another
     * catalogue's, they would name other items and categories there, so the seen items, the category profile and the
     * ring's rows are forgotten (the ring's inputs stay).
     */
    public void adoptCatalogue(int fingerprint) {
        if (fingerprint != catalogueFingerprint) {
            seenItems.clear();
            categoryProfile = null;
            recentInputs.forgetRows();
            catalogueFingerprint = fingerprint;
        }
    }

    public SeenItems seenItems() {
        return seenItems;
    }

    /** The user's slow-moving category profile, or null before a model with interest heads scored them. */
    public float[] categoryProfile() {
        return categoryProfile;
    }

    /** Replaces the category profile (null forgets it, e.g. when the catalogue's categories changed). */
    public void setCategoryProfile(float[] profile) {
        this.categoryProfile = profile;
    }

    /**
     * A copy for a model of another hidden size: windows, recent inputs, scores and alert bookkeeping carry over,
     * the recurrent state starts from zero (and will be re-warmed from the recent inputs).
     */
    public UserState withHiddenSize(int hiddenSize, FeatureSpec spec) {
        UserState resized = new UserState(windows, hiddenSize, spec);
        resized.recentInputs.copyFrom(recentInputs);
        resized.modelVersionHash = 0;
        resized.lastChurn = lastChurn;
        resized.lastFraud = lastFraud;
        resized.lastTopAction = lastTopAction;
        resized.inactivityDueAtSeconds = inactivityDueAtSeconds;
        resized.inactivityIndexedAtSeconds = inactivityIndexedAtSeconds;
        resized.lastChurnAlertSeconds = lastChurnAlertSeconds;
        resized.lastFraudAlertSeconds = lastFraudAlertSeconds;
        resized.lastInterestAlertSeconds = lastInterestAlertSeconds;
        resized.alertedThisSilence = alertedThisSilence;
        resized.seenItems.copyFrom(seenItems);
        resized.categoryProfile = categoryProfile == null ? null : categoryProfile.clone();
        resized.catalogueFingerprint = catalogueFingerprint;
        return resized;
    }

    /** Forgets the recurrent state (hidden and cell to zero), e.g. before re-warming with a new model. */
    public void resetRecurrentState() {
        Arrays.fill(hidden, 0f);
        Arrays.fill(cell, 0f);
    }
}
