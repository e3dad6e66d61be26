package dev.mlsuite.vision.tokens;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits one {@link GaussianToken} to each region of an image.
 *
 * <p>The Gaussian has the mean and covariance of the region's area, with each pixel a unit
 * square: the covariance of the pixel centres plus {@code 1/12} on each variance (the variance
 * of a unit square). A {@code w x h} rectangle therefore gets {@code sigmaX = w / sqrt(12)},
 * {@code sigmaY = h / sqrt(12)} and {@code rho = 0}. The texture is the mean colour plus the
 * projection of the colour onto the normalised offsets {@code u} and {@code v}; on a rectangle
 * these basis functions are orthogonal, so the projection is the least-squares fit.
 */
public final class TokenFitter {

    private static final double UNIT_SQUARE_VARIANCE = 1.0 / 12.0;

    private TokenFitter() {
    }

    public static List<GaussianToken> fit(RgbImage image, List<Region> regions) {
        List<GaussianToken> tokens = new ArrayList<>(regions.size());
        for (Region region : regions) {
            tokens.add(fit(image, region));
        }
        return tokens;
    }

    public static GaussianToken fit(RgbImage image, Region region) {
        double count = region.pixelCount();
        double sumX = 0;
        double sumY = 0;
        double[] sumColour = new double[RgbImage.CHANNELS];
        for (int y = region.y0(); y < region.y0() + region.height(); y++) {
            for (int x = region.x0(); x < region.x0() + region.width(); x++) {
                sumX += x + 0.5;
                sumY += y + 0.5;
                for (int c = 0; c < RgbImage.CHANNELS; c++) {
                    sumColour[c] += image.get(x, y, c);
                }
            }
        }
        double muX = sumX / count;
        double muY = sumY / count;

        double varianceX = UNIT_SQUARE_VARIANCE;
        double varianceY = UNIT_SQUARE_VARIANCE;
        double covarianceXy = 0;
        for (int y = region.y0(); y < region.y0() + region.height(); y++) {
            for (int x = region.x0(); x < region.x0() + region.width(); x++) {
                double dx = x + 0.5 - muX;
                double dy = y + 0.5 - muY;
                varianceX += dx * dx / count;
                varianceY += dy * dy / count;
                covarianceXy += dx * dy / count;
            }
        }
        double sigmaX = Math.sqrt(varianceX);
        double sigmaY = Math.sqrt(varianceY);
        double rho = covarianceXy / (sigmaX * sigmaY);

        float[] features = new float[GaussianToken.FEATURE_SIZE];
        double[] meanColour = new double[RgbImage.CHANNELS];
        for (int c = 0; c < RgbImage.CHANNELS; c++) {
            meanColour[c] = sumColour[c] / count;
            features[c] = (float) meanColour[c];
        }
        fitLinearTexture(image, region, muX, muY, sigmaX, sigmaY, meanColour, features);
        return new GaussianToken(muX, muY, sigmaX, sigmaY, rho, features);
    }

    private static void fitLinearTexture(RgbImage image, Region region, double muX, double muY, double sigmaX,
            double sigmaY, double[] meanColour, float[] features) {
        double sumUu = 0;
        double sumVv = 0;
        double[] sumUColour = new double[RgbImage.CHANNELS];
        double[] sumVColour = new double[RgbImage.CHANNELS];
        for (int y = region.y0(); y < region.y0() + region.height(); y++) {
            for (int x = region.x0(); x < region.x0() + region.width(); x++) {
                double u = (x + 0.5 - muX) / sigmaX;
                double v = (y + 0.5 - muY) / sigmaY;
                sumUu += u * u;
                sumVv += v * v;
                for (int c = 0; c < RgbImage.CHANNELS; c++) {
                    double residual = image.get(x, y, c) - meanColour[c];
                    sumUColour[c] += u * residual;
                    sumVColour[c] += v * residual;
                }
            }
        }

        for (int c = 0; c < RgbImage.CHANNELS; c++) {
            // A region one pixel wide has u = 0 everywhere, so its u coefficient stays 0.
            features[RgbImage.CHANNELS + c] = sumUu > 0 ? (float) (sumUColour[c] / sumUu) : 0f;
            features[2 * RgbImage.CHANNELS + c] = sumVv > 0 ? (float) (sumVColour[c] / sumVv) : 0f;
        }
    }
}
