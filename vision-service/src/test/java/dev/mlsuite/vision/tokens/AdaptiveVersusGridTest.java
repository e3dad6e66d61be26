package dev.mlsuite.vision.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AdaptiveVersusGridTest {

    private static GaussianTokenizer tokenizer;

    @BeforeAll
    static void openTokenizer() {
        tokenizer = GaussianTokenizer.onCpu(3.0, TokenRefiner.LearningRates.DEFAULT);
    }

    @AfterAll
    static void closeTokenizer() {
        tokenizer.close();
    }

    @Test
    void adaptiveBeatsGridOnReceipt() {
        RgbImage image = TestImages.receiptHeader(64);

        Tokenization adaptive = tokenizer.tokenize(image, 64, TokenInitialisation.ADAPTIVE, 30, Duration.ofMinutes(5));
        Tokenization grid = tokenizer.tokenize(image, 64, TokenInitialisation.GRID, 30, Duration.ofMinutes(5));

        assertThat(adaptive.initialPsnr()).isGreaterThan(grid.initialPsnr());
        assertThat(adaptive.psnr()).isGreaterThan(grid.psnr());
        assertThat(adaptive.ssim()).isGreaterThan(grid.ssim());
    }

    @Test
    void refinementRaisesPsnr() {
        RgbImage image = TestImages.receiptHeader(48);

        Tokenization result = tokenizer.tokenize(image, 48, TokenInitialisation.ADAPTIVE, 30, Duration.ofMinutes(5));

        assertThat(result.psnr()).isGreaterThan(result.initialPsnr());
        assertThat(result.tokens()).hasSize(48);
        assertThat(result.reconstruction().width()).isEqualTo(image.width());
        assertThat(result.reconstruction().height()).isEqualTo(image.height());
    }
}
