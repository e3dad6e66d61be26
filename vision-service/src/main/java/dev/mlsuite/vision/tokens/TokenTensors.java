package dev.mlsuite.vision.tokens;

import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The parameters of {@code N} tokens as unconstrained tensors, the form that gradient descent
 * updates: {@code sigma = exp(logSigma)} stays positive and
 * {@code rho = RHO_LIMIT * tanh(rhoParameter)} stays inside {@code (-1, 1)}.
 *
 * @param mean         {@code [N, 2]} centre {@code (muX, muY)} in pixels
 * @param logSigma     {@code [N, 2]} natural logarithm of {@code (sigmaX, sigmaY)}
 * @param rhoParameter {@code [N]} correlation before the {@code tanh} squashing
 * @param features     {@code [N, 9]} texture, laid out as in {@link GaussianToken}
 */
public record TokenTensors(NDArray mean, NDArray logSigma, NDArray rhoParameter, NDArray features) {

    /** Largest absolute correlation a token can reach; keeps the covariance invertible. */
    public static final double RHO_LIMIT = 0.95;

    /** Creates the tensors in {@code manager}. */
    public static TokenTensors of(NDManager manager, List<GaussianToken> tokens) {
        int count = tokens.size();
        float[] mean = new float[count * 2];
        float[] logSigma = new float[count * 2];
        float[] rho = new float[count];
        float[] features = new float[count * GaussianToken.FEATURE_SIZE];
        for (int i = 0; i < count; i++) {
            GaussianToken token = tokens.get(i);
            mean[2 * i] = (float) token.muX();
            mean[2 * i + 1] = (float) token.muY();
            logSigma[2 * i] = (float) Math.log(token.sigmaX());
            logSigma[2 * i + 1] = (float) Math.log(token.sigmaY());
            rho[i] = (float) atanh(Math.max(-RHO_LIMIT + 1e-6, Math.min(RHO_LIMIT - 1e-6, token.rho())) / RHO_LIMIT);
            System.arraycopy(token.features(), 0, features, i * GaussianToken.FEATURE_SIZE,
                    GaussianToken.FEATURE_SIZE);
        }
        return new TokenTensors(
                manager.create(mean, new Shape(count, 2)),
                manager.create(logSigma, new Shape(count, 2)),
                manager.create(rho, new Shape(count)),
                manager.create(features, new Shape(count, GaussianToken.FEATURE_SIZE)));
    }

    public NDArray[] arrays() {
        return new NDArray[] {mean, logSigma, rhoParameter, features};
    }

    public int count() {
        return (int) mean.getShape().get(0);
    }

    /** Copies the current values back into tokens. */
    public List<GaussianToken> toTokens() {
        float[] meanValues = mean.toFloatArray();
        float[] logSigmaValues = logSigma.toFloatArray();
        float[] rhoValues = rhoParameter.toFloatArray();
        float[] featureValues = features.toFloatArray();

        int count = count();
        List<GaussianToken> tokens = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] tokenFeatures = new float[GaussianToken.FEATURE_SIZE];
            System.arraycopy(featureValues, i * GaussianToken.FEATURE_SIZE, tokenFeatures, 0,
                    GaussianToken.FEATURE_SIZE);
            tokens.add(new GaussianToken(meanValues[2 * i], meanValues[2 * i + 1],
                    Math.exp(logSigmaValues[2 * i]), Math.exp(logSigmaValues[2 * i + 1]),
                    RHO_LIMIT * Math.tanh(rhoValues[i]), tokenFeatures));
        }
        return tokens;
    }

    private static double atanh(double value) {
        return 0.5 * Math.log((1 + value) / (1 - value));
    }
}
