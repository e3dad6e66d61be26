package dev.mlsuite.vision.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TokenRefinerTest {

    private static NDManager manager;

    private final TokenRefiner refiner = new TokenRefiner(new GaussianSplatRenderer(3.0),
            TokenRefiner.LearningRates.DEFAULT);

    @BeforeAll
    static void openManager() {
        manager = NDManager.newBaseManager(Device.cpu(), "PyTorch");
    }

    @AfterAll
    static void closeManager() {
        manager.close();
    }

    @Test
    void refinementLowersLossOnReceipt() {
        RgbImage image = TestImages.receiptHeader(48);
        List<GaussianToken> initial = TokenFitter.fit(image, EntropyPartition.partition(image, 32));

        TokenRefiner.Result result = refiner.refine(manager, image, initial, 25, Duration.ofMinutes(5));

        assertThat(result.stepsRun()).isEqualTo(25);
        assertThat(result.timeLimitReached()).isFalse();
        assertThat(result.losses()).hasSize(26);
        assertThat(result.finalLoss()).isLessThan(0.95 * result.initialLoss());
        assertThat(result.tokens()).hasSize(32);
        assertThat(result.tokens().get(0)).isNotEqualTo(initial.get(0));
    }

    @Test
    void zeroStepsKeepTokens() {
        RgbImage image = TestImages.receiptHeader(24);
        List<GaussianToken> initial = TokenFitter.fit(image, EntropyPartition.partition(image, 8));

        TokenRefiner.Result result = refiner.refine(manager, image, initial, 0, Duration.ofMinutes(1));

        assertThat(result.stepsRun()).isZero();
        assertThat(result.losses()).hasSize(1);
        for (int i = 0; i < initial.size(); i++) {
            assertThat(result.tokens().get(i).muX()).isCloseTo(initial.get(i).muX(),
                    org.assertj.core.api.Assertions.within(1e-4));
            assertThat(result.tokens().get(i).sigmaY()).isCloseTo(initial.get(i).sigmaY(),
                    org.assertj.core.api.Assertions.within(1e-4));
        }
    }

    @Test
    void expiredTimeLimitStopsBeforeFirstStep() {
        RgbImage image = TestImages.receiptHeader(24);
        List<GaussianToken> initial = TokenFitter.fit(image, EntropyPartition.partition(image, 8));

        TokenRefiner.Result result = refiner.refine(manager, image, initial, 50, Duration.ZERO);

        assertThat(result.stepsRun()).isZero();
        assertThat(result.timeLimitReached()).isTrue();
    }
}
