package io.pulse.simulator.internal;

/**
 * The session-arrival intensity of one user between two sessions, and its exact integrals.
 *
 * <p>The intensity {@code u} milliseconds after a reference instant {@code t} is
 * {@code lambda(t + u) = level * exp(-delta * u) * profile(hourOfDay(t + u))}: a level (the user's base rate times their
 * current engagement), an exponential decline at rate {@code delta} (zero for users whose engagement does not decay)
 * and a piecewise-constant 24-hour profile (UTC; mean 1) with quiet nights and busy evenings. This class works on the
 * level-free part, {@code m(t, s) = integral over [0, s] of exp(-delta u) profile(t + u) du}: multiplying by the
 * level gives the cumulative intensity, so {@code exp(-level * m(t, s))} is exactly the probability of no session in
 * {@code (t, t + s]}, and inverting {@code m} samples the next session time exactly. Whole days are summed as a
 * geometric series (the profile is periodic), so every operation costs at most a few dozen multiplications.
 */
public final class DiurnalRate {

    public static final long HOUR_MS = 3_600_000L;
    public static final long DAY_MS = 24 * HOUR_MS;

    /** Relative activity per UTC hour: quiet from 00:00 to 06:59, busiest in the evening. Normalised to mean 1. */
    private static final double[] PROFILE = normalise(new double[] {
        0.25, 0.15, 0.10, 0.10, 0.10, 0.15, 0.35, 0.70, 1.00, 1.10, 1.15, 1.20,
        1.25, 1.20, 1.15, 1.15, 1.20, 1.35, 1.60, 1.80, 1.80, 1.60, 1.10, 0.60});

    private final double delta;
    private final double hourDecay;
    private final double hourMass;
    private final double oneMinusDayDecay;

    /** @param deltaPerMs decline of the log-intensity per millisecond; 0 for a stationary user */
    public DiurnalRate(double deltaPerMs) {
        if (!(deltaPerMs >= 0) || Double.isInfinite(deltaPerMs)) {
            throw new IllegalArgumentException("deltaPerMs must be finite and >= 0, was " + deltaPerMs);
        }
        this.delta = deltaPerMs;
        this.hourDecay = Math.exp(-deltaPerMs * HOUR_MS);
        this.hourMass = segment(HOUR_MS);
        this.oneMinusDayDecay = -Math.expm1(-deltaPerMs * DAY_MS);
    }

    /** The relative activity of the given UTC hour (0..23); the profile's mean is 1. */
    public static double profile(int hourOfDay) {
        return PROFILE[hourOfDay];
    }

    public double delta() {
        return delta;
    }

    /** {@code m(t, DAY)}: the level-free mass of the 24 hours after {@code t}; the input of the methods below. */
    public double dayMass(long t) {
        return walk(t, DAY_MS);
    }

    /** {@code m(t, span)}, given {@code dayMass(t)}. */
    public double mass(long t, double span, double dayMass) {
        if (span <= 0) {
            return 0;
        }
        if (span <= DAY_MS) {
            return walk(t, span);
        }
        long days = (long) Math.floor(span / DAY_MS);
        double rest = span - days * (double) DAY_MS;
        double decayOfDays = Math.exp(-delta * DAY_MS * days);
        return dayMass * geometric(days) + decayOfDays * walk(t, rest);
    }

    /** {@code m(t, infinity)}: finite only for a declining user ({@code delta > 0}). */
    public double massToInfinity(double dayMass) {
        return delta > 0 ? dayMass / oneMinusDayDecay : Double.POSITIVE_INFINITY;
    }

    /**
     * The {@code s} with {@code m(t, s) = target}, i.e. the time to the next session when {@code target} is an
     * Exp(1) draw divided by the level; {@link Double#POSITIVE_INFINITY} when the remaining mass is smaller than the
     * target (a declining user who never comes back).
     */
    public double invert(long t, double target, double dayMass) {
        if (target <= 0) {
            return 0;
        }
        long days;
        if (delta > 0) {
            if (target >= dayMass / oneMinusDayDecay) {
                return Double.POSITIVE_INFINITY;
            }
            // cumulative mass after n whole days: dayMass * (1 - q^n) / (1 - q) <= target
            double n = Math.log1p(-target * oneMinusDayDecay / dayMass) / (-delta * DAY_MS);
            days = Math.max(0, (long) Math.floor(n));
        } else {
            days = Math.max(0, (long) Math.floor(target / dayMass));
        }
        double decayOfDays = Math.exp(-delta * DAY_MS * days);
        if (decayOfDays < 1e-280) {
            return Double.POSITIVE_INFINITY;
        }
        double rest = Math.max(0, (target - dayMass * geometric(days)) / decayOfDays);
        return days * (double) DAY_MS + walkTo(t, rest);
    }

    /** Sum of q^k for k in [0, n), q = exp(-delta DAY). */
    private double geometric(long n) {
        if (delta == 0) {
            return n;
        }
        return -Math.expm1(-delta * DAY_MS * n) / oneMinusDayDecay;
    }

    /** Integral of exp(-delta u) over [0, len]. */
    private double segment(double len) {
        return delta > 0 ? -Math.expm1(-delta * len) / delta : len;
    }

    private double walk(long t, double span) {
        if (span <= 0) {
            return 0;
        }
        long phase = Math.floorMod(t, DAY_MS);
        int hour = (int) (phase / HOUR_MS);
        double len = Math.min((hour + 1) * HOUR_MS - phase, span);
        double total = PROFILE[hour] * segment(len);
        double weight = Math.exp(-delta * len);
        double u = len;
        while (u < span) {
            hour = hour == 23 ? 0 : hour + 1;
            if (span - u >= HOUR_MS) {
                total += PROFILE[hour] * weight * hourMass;
                weight *= hourDecay;
                u += HOUR_MS;
            } else {
                total += PROFILE[hour] * weight * segment(span - u);
                break;
            }
        }
        return total;
    }

    /** The s with walk(t, s) = target, walking hour by hour (at most a little over a day when called from invert). */
    private double walkTo(long t, double target) {
        long phase = Math.floorMod(t, DAY_MS);
        int hour = (int) (phase / HOUR_MS);
        double len = (hour + 1) * HOUR_MS - phase;
        double weight = 1;
        double u = 0;
        double remaining = target;
        for (int guard = 0; guard < 24 * 400; guard++) {
            double rate = PROFILE[hour] * weight;
            double mass = rate * segment(len);
            if (remaining <= mass) {
                return u + within(rate, remaining, len);
            }
            remaining -= mass;
            u += len;
            weight *= len == HOUR_MS ? hourDecay : Math.exp(-delta * len);
            len = HOUR_MS;
            hour = hour == 23 ? 0 : hour + 1;
            if (weight < 1e-280) {
                return Double.POSITIVE_INFINITY;
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    /** The v in [0, len] with rate * integral of exp(-delta x) over [0, v] = mass. */
    private double within(double rate, double mass, double len) {
        if (delta == 0) {
            return Math.min(len, mass / rate);
        }
        double argument = mass * delta / rate;
        if (argument >= 1) {
            return len;
        }
        return Math.min(len, -Math.log1p(-argument) / delta);
    }

    private static double[] normalise(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i] / mean;
        }
        return out;
    }
}
