package dev.mlsuite.vision.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class TokenFitterTest {

    private static final double TOLERANCE = 1e-6;

    @Test
    void fitsStripedRegion() {
        GaussianToken token = TokenFitter.fit(TestImages.stripesAndGrey(), new Region(0, 0, 2, 4));

        assertThat(token.muX()).isCloseTo(1.0, within(TOLERANCE));
        assertThat(token.muY()).isCloseTo(2.0, within(TOLERANCE));
        assertThat(token.sigmaX()).isCloseTo(2 / Math.sqrt(12), within(TOLERANCE));
        assertThat(token.sigmaY()).isCloseTo(4 / Math.sqrt(12), within(TOLERANCE));
        assertThat(token.rho()).isCloseTo(0.0, within(TOLERANCE));

        // Mean colour 0.5. Column centres have u = -+sqrt(3)/2, so the u coefficient is
        // sum(u * (I - 0.5)) / sum(u^2) = (4 * sqrt(3)/2) / 6 = 1 / sqrt(3); the texture then
        // reproduces both columns exactly. Colour does not change along y.
        float[] features = token.features();
        for (int c = 0; c < 3; c++) {
            assertThat((double) features[c]).isCloseTo(0.5, within(TOLERANCE));
            assertThat((double) features[3 + c]).isCloseTo(1 / Math.sqrt(3), within(TOLERANCE));
            assertThat((double) features[6 + c]).isCloseTo(0.0, within(TOLERANCE));
        }
    }

    @Test
    void fitsFlatRegion() {
        GaussianToken token = TokenFitter.fit(TestImages.stripesAndGrey(), new Region(4, 0, 4, 4));

        assertThat(token.muX()).isCloseTo(6.0, within(TOLERANCE));
        assertThat(token.muY()).isCloseTo(2.0, within(TOLERANCE));
        assertThat(token.sigmaX()).isCloseTo(4 / Math.sqrt(12), within(TOLERANCE));
        assertThat(token.sigmaY()).isCloseTo(4 / Math.sqrt(12), within(TOLERANCE));
        assertThat(token.features()).containsExactly(0.5f, 0.5f, 0.5f, 0f, 0f, 0f, 0f, 0f, 0f);
    }

    @Test
    void singlePixelGetsUnitSquareSpread() {
        GaussianToken token = TokenFitter.fit(TestImages.stripesAndGrey(), new Region(1, 3, 1, 1));

        assertThat(token.muX()).isCloseTo(1.5, within(TOLERANCE));
        assertThat(token.muY()).isCloseTo(3.5, within(TOLERANCE));
        assertThat(token.sigmaX()).isCloseTo(Math.sqrt(1.0 / 12), within(TOLERANCE));
        assertThat(token.sigmaY()).isCloseTo(Math.sqrt(1.0 / 12), within(TOLERANCE));
        assertThat(token.features()).containsExactly(1f, 1f, 1f, 0f, 0f, 0f, 0f, 0f, 0f);
    }

    @Test
    void fitsVerticalRampAlongV() {
        // Rows 0..3 have luma 0, 0.25, 0.5, 0.75: a linear ramp the v basis captures exactly.
        float[][] luma = new float[4][2];
        for (int y = 0; y < 4; y++) {
            luma[y][0] = 0.25f * y;
            luma[y][1] = 0.25f * y;
        }

        GaussianToken token = TokenFitter.fit(TestImages.grey(luma), new Region(0, 0, 2, 4));

        // sigmaY = 4 / sqrt(12), so one unit of v is 1.1547 rows and the slope of 0.25 per row
        // becomes 0.25 * 4 / sqrt(12) per unit of v.
        assertThat((double) token.features()[0]).isCloseTo(0.375, within(TOLERANCE));
        assertThat((double) token.features()[6]).isCloseTo(0.25 * 4 / Math.sqrt(12), within(TOLERANCE));
        assertThat((double) token.features()[3]).isCloseTo(0.0, within(TOLERANCE));
    }

    @Test
    void gridFitGivesOneTokenPerCell() {
        List<GaussianToken> tokens = TokenFitter.fit(TestImages.stripesAndGrey(), UniformGrid.regions(8, 4, 8));

        assertThat(tokens).hasSize(8);
        assertThat(tokens.get(0).muX()).isCloseTo(1.0, within(TOLERANCE));
        assertThat(tokens.get(0).muY()).isCloseTo(1.0, within(TOLERANCE));
        assertThat(tokens.get(7).muX()).isCloseTo(7.0, within(TOLERANCE));
        assertThat(tokens.get(7).muY()).isCloseTo(3.0, within(TOLERANCE));
    }
}
