package dev.mlsuite.vision.tokens;

import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Turns tokens back into an image: each pixel is the Gaussian-weighted mean of the tokens'
 * textures evaluated at that pixel,
 * {@code I(p) = sum_k w_k(p) t_k(p) / sum_k w_k(p)} with {@code w_k(p) = exp(-q_k(p) / 2)}
 * where {@code q_k} is the squared Mahalanobis distance to token {@code k}. A token contributes
 * only where {@code q_k <= supportSigmas^2}. A pixel outside every token's support takes the
 * texture of its nearest token (smallest {@code q_k}), so moving or shrinking tokens never leaves
 * a black hole without a gradient that could close it.
 *
 * <p>Everything is DJL {@link NDArray} arithmetic, so gradients flow to all token parameters.
 * Results are attached to the managers of the inputs; callers scope them.
 *
 * <p>NOTE: every token is evaluated at every pixel ({@code [P, N]} arrays), so memory and time
 * grow with {@code P * N}. The support bound zeroes weights but does not skip that work.
 */
public final class GaussianSplatRenderer {

    public static final double DEFAULT_SUPPORT_SIGMAS = 3.0;

    private final double supportSigmas;

    public GaussianSplatRenderer(double supportSigmas) {
        if (!(supportSigmas > 0)) {
            throw new IllegalArgumentException("supportSigmas must be positive, got " + supportSigmas);
        }
        this.supportSigmas = supportSigmas;
    }

    public double supportSigmas() {
        return supportSigmas;
    }

    /**
     * Returns the pixel-centre coordinates of a {@code width x height} image in row-major order,
     * as two {@code [P, 1]} arrays {@code {x, y}} with {@code P = width * height}.
     */
    public static NDArray[] pixelCentres(NDManager manager, int width, int height) {
        float[] x = new float[width * height];
        float[] y = new float[width * height];
        for (int row = 0; row < height; row++) {
            for (int column = 0; column < width; column++) {
                x[row * width + column] = column + 0.5f;
                y[row * width + column] = row + 0.5f;
            }
        }
        Shape shape = new Shape((long) width * height, 1);
        return new NDArray[] {manager.create(x, shape), manager.create(y, shape)};
    }

    /**
     * Renders the tokens at the given pixel centres.
     *
     * @param pixelX {@code [P, 1]} x coordinates in pixels
     * @param pixelY {@code [P, 1]} y coordinates in pixels
     * @return {@code [P, 3]} RGB values, not clamped
     */
    public NDArray render(NDArray pixelX, NDArray pixelY, TokenTensors tokens) {
        NDArray muX = tokens.mean().get(":, 0").reshape(1, -1); // [1, N]
        NDArray muY = tokens.mean().get(":, 1").reshape(1, -1);
        NDArray sigma = tokens.logSigma().exp(); // [N, 2]
        NDArray sigmaX = sigma.get(":, 0").reshape(1, -1);
        NDArray sigmaY = sigma.get(":, 1").reshape(1, -1);
        NDArray rho = tokens.rhoParameter().tanh().mul(TokenTensors.RHO_LIMIT).reshape(1, -1);

        NDArray u = pixelX.sub(muX).div(sigmaX); // [P, N]
        NDArray v = pixelY.sub(muY).div(sigmaY);
        NDArray mahalanobis = u.square().add(v.square()).sub(u.mul(v).mul(rho).mul(2))
                .div(rho.square().neg().add(1)); // [P, N]

        // Weights relative to the nearest token, exp(-(q - qMin) / 2), leave the normalised blend
        // unchanged and keep the nearest token's weight at 1, so the denominator never underflows.
        NDArray nearest = mahalanobis.min(new int[] {1}, true); // [P, 1]
        NDArray contributes = mahalanobis.lte(supportSigmas * supportSigmas).logicalOr(mahalanobis.lte(nearest))
                .toType(DataType.FLOAT32, false);
        NDArray weight = mahalanobis.sub(nearest).mul(-0.5).exp().mul(contributes); // [P, N]

        int channels = RgbImage.CHANNELS;
        NDArray colour = tokens.features().get(":, 0:" + channels); // [N, 3]
        NDArray colourPerU = tokens.features().get(":, " + channels + ":" + 2 * channels);
        NDArray colourPerV = tokens.features().get(":, " + 2 * channels + ":" + 3 * channels);
        NDArray numerator = weight.matMul(colour)
                .add(weight.mul(u).matMul(colourPerU))
                .add(weight.mul(v).matMul(colourPerV)); // [P, 3]
        NDArray denominator = weight.sum(new int[] {1}, true); // [P, 1]
        return numerator.div(denominator);
    }

    /** Renders tokens into a {@code width x height} image clamped to {@code [0, 1]}, without gradients. */
    public RgbImage renderImage(NDManager manager, List<GaussianToken> tokens, int width, int height) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray[] centres = pixelCentres(scope, width, height);
            NDArray rendered = render(centres[0], centres[1], TokenTensors.of(scope, tokens));
            return new RgbImage(width, height, rendered.clip(0f, 1f).toFloatArray());
        }
    }
}
