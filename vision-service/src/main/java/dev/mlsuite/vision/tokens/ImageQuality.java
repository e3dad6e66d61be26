package dev.mlsuite.vision.tokens;

/**
 * Full-reference image quality on images with values in {@code [0, 1]}.
 *
 * <p>SSIM follows Wang et al., "Image quality assessment: from error visibility to structural
 * similarity" (IEEE TIP 2004): an 11 x 11 Gaussian window with standard deviation 1.5,
 * {@code C1 = (0.01)^2}, {@code C2 = (0.03)^2}, averaged over all window positions that lie
 * fully inside the image and then over the three channels. Images smaller than 11 pixels on a
 * side use the largest odd window that fits.
 */
public final class ImageQuality {

    private static final int WINDOW_SIZE = 11;
    private static final double WINDOW_SIGMA = 1.5;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;

    private ImageQuality() {
    }

    /** Returns the mean squared error over all pixels and channels. */
    public static double meanSquaredError(RgbImage reference, RgbImage test) {
        requireSameSize(reference, test);
        double sum = 0;
        float[] a = reference.data();
        float[] b = test.data();
        for (int i = 0; i < a.length; i++) {
            double difference = a[i] - b[i];
            sum += difference * difference;
        }
        return sum / a.length;
    }

    /** Returns the peak signal-to-noise ratio in dB for a peak of 1; infinite for identical images. */
    public static double psnr(RgbImage reference, RgbImage test) {
        double mse = meanSquaredError(reference, test);
        return mse == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    }

    public static double ssim(RgbImage reference, RgbImage test) {
        requireSameSize(reference, test);
        int windowSize = Math.min(WINDOW_SIZE, Math.min(reference.width(), reference.height()));
        if (windowSize % 2 == 0) {
            windowSize--;
        }
        double[] kernel = gaussianKernel(windowSize);

        double total = 0;
        for (int c = 0; c < RgbImage.CHANNELS; c++) {
            total += ssimOfChannel(channel(reference, c), channel(test, c), reference.width(), reference.height(),
                    kernel);
        }
        return total / RgbImage.CHANNELS;
    }

    private static double ssimOfChannel(double[] x, double[] y, int width, int height, double[] kernel) {
        int n = x.length;
        double[] xx = new double[n];
        double[] yy = new double[n];
        double[] xy = new double[n];
        for (int i = 0; i < n; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }

        int outWidth = width - kernel.length + 1;
        int outHeight = height - kernel.length + 1;
        double[] meanX = filterValid(x, width, height, kernel);
        double[] meanY = filterValid(y, width, height, kernel);
        double[] meanXx = filterValid(xx, width, height, kernel);
        double[] meanYy = filterValid(yy, width, height, kernel);
        double[] meanXy = filterValid(xy, width, height, kernel);

        double sum = 0;
        for (int i = 0; i < outWidth * outHeight; i++) {
            double varianceX = meanXx[i] - meanX[i] * meanX[i];
            double varianceY = meanYy[i] - meanY[i] * meanY[i];
            double covariance = meanXy[i] - meanX[i] * meanY[i];
            double luminance = (2 * meanX[i] * meanY[i] + C1) / (meanX[i] * meanX[i] + meanY[i] * meanY[i] + C1);
            double structure = (2 * covariance + C2) / (varianceX + varianceY + C2);
            sum += luminance * structure;
        }
        return sum / (outWidth * outHeight);
    }

    /** Separable correlation with the kernel, keeping only positions where it fits ("valid"). */
    private static double[] filterValid(double[] values, int width, int height, double[] kernel) {
        int k = kernel.length;
        int outWidth = width - k + 1;
        int outHeight = height - k + 1;

        double[] horizontal = new double[outWidth * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < outWidth; x++) {
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    sum += kernel[i] * values[y * width + x + i];
                }
                horizontal[y * outWidth + x] = sum;
            }
        }

        double[] result = new double[outWidth * outHeight];
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                double sum = 0;
                for (int i = 0; i < k; i++) {
                    sum += kernel[i] * horizontal[(y + i) * outWidth + x];
                }
                result[y * outWidth + x] = sum;
            }
        }
        return result;
    }

    private static double[] gaussianKernel(int size) {
        double[] kernel = new double[size];
        double sum = 0;
        int centre = size / 2;
        for (int i = 0; i < size; i++) {
            kernel[i] = Math.exp(-((i - centre) * (i - centre)) / (2 * WINDOW_SIGMA * WINDOW_SIGMA));
            sum += kernel[i];
        }
        for (int i = 0; i < size; i++) {
            kernel[i] /= sum;
        }
        return kernel;
    }

    private static double[] channel(RgbImage image, int channel) {
        double[] values = new double[image.pixelCount()];
        for (int i = 0; i < values.length; i++) {
            values[i] = image.data()[i * RgbImage.CHANNELS + channel];
        }
        return values;
    }

    private static void requireSameSize(RgbImage reference, RgbImage test) {
        if (reference.width() != test.width() || reference.height() != test.height()) {
            throw new IllegalArgumentException("Images differ in size: " + reference.width() + "x"
                    + reference.height() + " and " + test.width() + "x" + test.height());
        }
    }
}
