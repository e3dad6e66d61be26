package dev.mlsuite.detection.model;

/**
 * Platt scaling: maps a classifier logit {@code z} to the probability {@code sigmoid(scale * z + offset)}.
 *
 * @param scale slope applied to the logit
 * @param offset shift added after scaling
 */
public record PlattCalibration(double scale, double offset) {

    /** The identity: the probability is {@code sigmoid(z)}. */
    public static final PlattCalibration IDENTITY = new PlattCalibration(1, 0);

    public PlattCalibration {
        if (!Double.isFinite(scale) || !Double.isFinite(offset)) {
            throw new IllegalArgumentException("scale and offset must be finite, found " + scale + " and " + offset);
        }
    }

    /** Returns the calibrated probability for one logit. */
    public double probability(double logit) {
        return sigmoid(scale * logit + offset);
    }

    /** Returns {@code 1 / (1 + exp(-x))}, computed without overflow for large {@code |x|}. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /**
     * Fits scale and offset by Newton's method on the log loss, with Platt's smoothed targets
     * {@code (positives + 1) / (positives + 2)} and {@code 1 / (negatives + 2)} that keep the
     * fit finite when the logits separate the classes perfectly. Each Newton step is halved until
     * it lowers the loss enough (Armijo backtracking), because a full step can overshoot and
     * diverge when the logits are large.
     *
     * @param logits classifier outputs, ideally on data the classifier was not fitted on
     * @param labels 1 for positive (AI), 0 for negative (human)
     */
    public static PlattCalibration fit(double[] logits, int[] labels) {
        if (logits.length != labels.length || logits.length == 0) {
            throw new IllegalArgumentException("need the same positive number of logits and labels, found "
                    + logits.length + " and " + labels.length);
        }
        int positives = 0;
        for (int label : labels) {
            positives += label;
        }
        int negatives = labels.length - positives;
        double positiveTarget = (positives + 1.0) / (positives + 2.0);
        double negativeTarget = 1.0 / (negatives + 2.0);
        double[] targets = new double[labels.length];
        for (int i = 0; i < labels.length; i++) {
            targets[i] = labels[i] == 1 ? positiveTarget : negativeTarget;
        }

        double a = 1;
        double b = 0;
        double loss = logLoss(logits, targets, a, b);
        for (int iteration = 0; iteration < 100; iteration++) {
            double gradientA = 0;
            double gradientB = 0;
            double hessianAa = 1e-9;
            double hessianAb = 0;
            double hessianBb = 1e-9;
            for (int i = 0; i < logits.length; i++) {
                double p = sigmoid(a * logits[i] + b);
                double error = p - targets[i];
                double weight = p * (1 - p);
                gradientA += error * logits[i];
                gradientB += error;
                hessianAa += weight * logits[i] * logits[i];
                hessianAb += weight * logits[i];
                hessianBb += weight;
            }
            double determinant = hessianAa * hessianBb - hessianAb * hessianAb;
            if (Math.abs(determinant) < 1e-15) {
                break;
            }
            double stepA = -(hessianBb * gradientA - hessianAb * gradientB) / determinant;
            double stepB = -(hessianAa * gradientB - hessianAb * gradientA) / determinant;
            double slope = gradientA * stepA + gradientB * stepB;
            double fraction = 1;
            double nextLoss = logLoss(logits, targets, a + stepA, b + stepB);
            while (nextLoss > loss + 1e-4 * fraction * slope && fraction > 1e-10) {
                fraction /= 2;
                nextLoss = logLoss(logits, targets, a + fraction * stepA, b + fraction * stepB);
            }
            if (fraction <= 1e-10) {
                break;
            }
            a += fraction * stepA;
            b += fraction * stepB;
            loss = nextLoss;
            if (Math.abs(fraction * stepA) < 1e-10 && Math.abs(fraction * stepB) < 1e-10) {
                break;
            }
        }
        return new PlattCalibration(a, b);
    }

    /** Returns the cross-entropy of {@code sigmoid(a * logit + b)} against soft targets, without overflow. */
    private static double logLoss(double[] logits, double[] targets, double a, double b) {
        double loss = 0;
        for (int i = 0; i < logits.length; i++) {
            double z = a * logits[i] + b;
            loss += targets[i] * softplus(-z) + (1 - targets[i]) * softplus(z);
        }
        return loss;
    }

    /** Returns {@code log(1 + exp(x))}. */
    private static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
