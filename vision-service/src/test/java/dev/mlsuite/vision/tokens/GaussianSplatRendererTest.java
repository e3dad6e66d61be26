package dev.mlsuite.vision.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class GaussianSplatRendererTest {

    private static final double TOLERANCE = 1e-5;

    private static NDManager manager;

    private final GaussianSplatRenderer renderer = new GaussianSplatRenderer(3.0);

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void singleTokenPaintsItsColour() {
        GaussianToken token = new GaussianToken(1.5, 1.5, 1, 1, 0, colour(0.2f, 0.4f, 0.6f));

        RgbImage image = renderer.renderImage(manager, List.of(token), 3, 3);

        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                assertThat((double) image.get(x, y, 0)).isCloseTo(0.2, within(TOLERANCE));
                assertThat((double) image.get(x, y, 1)).isCloseTo(0.4, within(TOLERANCE));
                assertThat((double) image.get(x, y, 2)).isCloseTo(0.6, within(TOLERANCE));
            }
        }
    }

    @Test
    void twoTokensBlendByWeight() {
        GaussianToken white = new GaussianToken(0.5, 0.5, 1, 1, 0, colour(1, 1, 1));
        GaussianToken black = new GaussianToken(2.5, 0.5, 1, 1, 0, colour(0, 0, 0));

        RgbImage image = renderer.renderImage(manager, List.of(white, black), 3, 1);

        // Pixel 0 is at distance 0 from white and 2 from black: 1 / (1 + exp(-2)).
        assertThat((double) image.get(0, 0, 0)).isCloseTo(1 / (1 + Math.exp(-2)), within(TOLERANCE));
        assertThat((double) image.get(1, 0, 0)).isCloseTo(0.5, within(TOLERANCE));
        assertThat((double) image.get(2, 0, 0)).isCloseTo(Math.exp(-2) / (1 + Math.exp(-2)), within(TOLERANCE));
    }

    @Test
    void supportEndsAtThreeSigma() {
        GaussianToken light = new GaussianToken(0.5, 0.5, 1, 1, 0, colour(0.8f, 0.8f, 0.8f));
        GaussianToken dark = new GaussianToken(5.5, 0.5, 1, 1, 0, colour(0.2f, 0.2f, 0.2f));

        RgbImage image = renderer.renderImage(manager, List.of(light, dark), 7, 1);

        // Pixel 3 is exactly 3 sigma from the light token, so both tokens blend there.
        double lightWeight = Math.exp(-4.5);
        double darkWeight = Math.exp(-2);
        assertThat((double) image.get(3, 0, 0)).isCloseTo(
                (0.8 * lightWeight + 0.2 * darkWeight) / (lightWeight + darkWeight), within(TOLERANCE));
        // Pixel 4 is 4 sigma from the light token, outside its support: only the dark token counts.
        // Without the bound it would be 0.2 + 0.6 * exp(-8) / (exp(-8) + exp(-0.5)) = 0.20033.
        assertThat((double) image.get(4, 0, 0)).isCloseTo(0.2, within(TOLERANCE));
    }

    @Test
    void uncoveredPixelTakesNearestToken() {
        GaussianToken near = new GaussianToken(0.5, 0.5, 1, 1, 0, colour(0.8f, 0.8f, 0.8f));
        GaussianToken far = new GaussianToken(0.5, 0.5, 0.1, 0.1, 0, colour(0.1f, 0.1f, 0.1f));

        RgbImage image = renderer.renderImage(manager, List.of(near, far), 12, 1);

        // Pixel 11 is 11 sigma from the first token and 110 from the second: both are outside
        // their support, and the first is nearer.
        assertThat((double) image.get(11, 0, 0)).isCloseTo(0.8, within(TOLERANCE));
    }

    @Test
    void correlationStretchesAlongDiagonal() {
        GaussianToken correlated = new GaussianToken(0.5, 0.5, 1, 1, 0.5, colour(1, 1, 1));
        GaussianToken round = new GaussianToken(1.5, 1.5, 1, 1, 0, colour(0, 0, 0));

        RgbImage image = renderer.renderImage(manager, List.of(correlated, round), 2, 2);

        // At (1.5, 1.5): offset (1, 1) from the correlated token, q = (1 + 1 - 2 * 0.5) / (1 - 0.25) = 4/3.
        double diagonal = Math.exp(-2.0 / 3) / (Math.exp(-2.0 / 3) + 1);
        assertThat((double) image.get(1, 1, 0)).isCloseTo(diagonal, within(TOLERANCE));
        // At (1.5, 0.5): offset (1, 0), q = 1 / 0.75 = 4/3; the round token is 1 away, q = 1.
        double side = Math.exp(-2.0 / 3) / (Math.exp(-2.0 / 3) + Math.exp(-0.5));
        assertThat((double) image.get(1, 0, 0)).isCloseTo(side, within(TOLERANCE));
    }

    @Test
    void linearTextureVariesAcrossToken() {
        float[] features = colour(0.5f, 0.5f, 0.5f);
        features[3] = 0.1f; // red per unit of u
        features[8] = -0.2f; // blue per unit of v
        GaussianToken token = new GaussianToken(1.5, 1.5, 1, 1, 0, features);

        RgbImage image = renderer.renderImage(manager, List.of(token), 3, 3);

        assertThat((double) image.get(0, 1, 0)).isCloseTo(0.4, within(TOLERANCE));
        assertThat((double) image.get(2, 1, 0)).isCloseTo(0.6, within(TOLERANCE));
        assertThat((double) image.get(1, 0, 2)).isCloseTo(0.7, within(TOLERANCE));
        assertThat((double) image.get(1, 2, 2)).isCloseTo(0.3, within(TOLERANCE));
        assertThat((double) image.get(1, 1, 1)).isCloseTo(0.5, within(TOLERANCE));
    }

    @Test
    void gradientReachesEveryParameter() {
        GaussianToken token = new GaussianToken(1.2, 1.7, 1.1, 0.9, 0.3, new float[] {
                0.2f, 0.4f, 0.6f, 0.1f, 0.1f, 0.1f, 0.05f, 0.05f, 0.05f});
        GaussianToken other = new GaussianToken(2.5, 0.5, 1, 1, 0, colour(1, 0, 0));

        try (NDManager scope = manager.newSubManager()) {
            NDArray[] centres = GaussianSplatRenderer.pixelCentres(scope, 3, 3);
            TokenTensors tensors = TokenTensors.of(scope, List.of(token, other));
            for (NDArray parameter : tensors.arrays()) {
                parameter.setRequiresGradient(true);
            }
            try (var collector = scope.getEngine().newGradientCollector()) {
                NDArray rendered = renderer.render(centres[0], centres[1], tensors);
                collector.backward(rendered.sub(0.5f).square().sum());
            }

            for (NDArray parameter : tensors.arrays()) {
                float[] gradient = parameter.getGradient().toFloatArray();
                double norm = 0;
                for (float value : gradient) {
                    norm += value * value;
                }
                assertThat(norm).as("gradient norm of a %s parameter", parameter.getShape()).isGreaterThan(1e-8);
            }
        }
    }

    private static float[] colour(float red, float green, float blue) {
        return new float[] {red, green, blue, 0, 0, 0, 0, 0, 0};
    }
}
