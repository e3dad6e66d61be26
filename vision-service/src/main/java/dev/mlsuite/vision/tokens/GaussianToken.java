package dev.mlsuite.vision.tokens;

import java.util.Arrays;

/**
 * One image token: a 2D Gaussian in pixel coordinates and the texture it paints.
 *
 * <p>The covariance is {@code [[sigmaX^2, rho*sigmaX*sigmaY], [rho*sigmaX*sigmaY, sigmaY^2]]}.
 * The texture at a point with normalised offsets {@code u = (x - muX) / sigmaX} and
 * {@code v = (y - muY) / sigmaY} is {@code colour + u * colourPerU + v * colourPerV}, so
 * {@code features} contains {@value #FEATURE_SIZE} values: mean red, green, blue, then the
 * three {@code u} coefficients, then the three {@code v} coefficients.
 */
public record GaussianToken(double muX, double muY, double sigmaX, double sigmaY, double rho, float[] features) {

    /** Basis functions of the texture: the constant, {@code u} and {@code v}. */
    public static final int BASIS_SIZE = 3;

    public static final int FEATURE_SIZE = BASIS_SIZE * RgbImage.CHANNELS;

    public GaussianToken {
        if (!(sigmaX > 0) || !(sigmaY > 0)) {
            throw new IllegalArgumentException("sigmaX and sigmaY must be positive, got " + sigmaX + ", " + sigmaY);
        }
        if (!(Math.abs(rho) < 1)) {
            throw new IllegalArgumentException("rho must be in (-1, 1), got " + rho);
        }
        if (features.length != FEATURE_SIZE) {
            throw new IllegalArgumentException("Expected " + FEATURE_SIZE + " features, got " + features.length);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GaussianToken token && muX == token.muX && muY == token.muY
                && sigmaX == token.sigmaX && sigmaY == token.sigmaY && rho == token.rho
                && Arrays.equals(features, token.features);
    }

    @Override
    public int hashCode() {
        return 31 * java.util.Objects.hash(muX, muY, sigmaX, sigmaY, rho) + Arrays.hashCode(features);
    }

    @Override
    public String toString() {
        return "GaussianToken[mu=(" + muX + ", " + muY + "), sigma=(" + sigmaX + ", " + sigmaY + "), rho=" + rho
                + ", features=" + Arrays.toString(features) + "]";
    }
}
