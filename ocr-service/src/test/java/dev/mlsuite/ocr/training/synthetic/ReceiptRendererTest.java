package dev.mlsuite.ocr.training.synthetic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class ReceiptRendererTest {

    private final ReceiptRenderer renderer = new ReceiptRenderer(384, 512);

    @Test
    void sameSeedRendersSameDocument() {
        SyntheticDocument first = renderer.render(42);
        SyntheticDocument second = renderer.render(42);

        assertThat(second.fields()).isEqualTo(first.fields());
        assertThat(pixelsOf(second.image())).isEqualTo(pixelsOf(first.image()));
    }

    @Test
    void everyKeyFieldHasValueAndBoxInsidePage() {
        for (long seed = 0; seed < 30; seed++) {
            SyntheticDocument document = renderer.render(seed);

            assertThat(document.fields()).containsOnlyKeys("company", "date", "address", "total");
            assertThat(document.fields().get("date")).matches("\\d{2}/\\d{2}/\\d{4}");
            assertThat(document.fields().get("total")).matches("\\d+\\.\\d{2}");
            for (Rectangle box : document.boxes().values()) {
                assertThat(new Rectangle(0, 0, 384, 512).contains(box)).as("box %s of seed %d", box, seed).isTrue();
            }
        }
    }

    @Test
    void fieldBoxesContainInk() {
        SyntheticDocument document = renderer.render(7);
        Rectangle total = document.boxes().get("total");

        int darkest = 255;
        for (int y = total.y; y < total.y + total.height; y++) {
            for (int x = total.x; x < total.x + total.width; x++) {
                darkest = Math.min(darkest, document.image().getRGB(x, y) & 0xff);
            }
        }
        assertThat(darkest).isLessThan(128);
    }

    @Test
    void rejectsTinyPages() {
        assertThatThrownBy(() -> new ReceiptRenderer(100, 100)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("100x100");
    }

    private static int[] pixelsOf(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }
}
