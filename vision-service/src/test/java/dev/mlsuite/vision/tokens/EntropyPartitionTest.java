package dev.mlsuite.vision.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class EntropyPartitionTest {

    @Test
    void entropyOfHandMadeRegions() {
        RgbImage image = TestImages.stripesAndGrey();

        // Whole image: 8 black, 8 white and 16 grey pixels, so p = 1/4, 1/4, 1/2.
        assertThat(EntropyPartition.entropyBits(image, new Region(0, 0, 8, 4))).isCloseTo(1.5, within(1e-12));
        assertThat(EntropyPartition.entropyBits(image, new Region(0, 0, 4, 4))).isCloseTo(1.0, within(1e-12));
        assertThat(EntropyPartition.entropyBits(image, new Region(4, 0, 4, 4))).isZero();
    }

    @Test
    void splitsStripesBeforeFlatGrey() {
        RgbImage image = TestImages.stripesAndGrey();

        List<Region> three = EntropyPartition.partition(image, 3);
        List<Region> four = EntropyPartition.partition(image, 4);

        // The flat right half (score 0) is never split. The striped left half (score 16) splits
        // across its width into two 2x4 halves of score 8 each. The first of them is taller than
        // wide, so it then splits across its height.
        assertThat(three).containsExactly(new Region(4, 0, 4, 4), new Region(0, 0, 2, 4), new Region(2, 0, 2, 4));
        assertThat(four).containsExactly(new Region(4, 0, 4, 4), new Region(2, 0, 2, 4), new Region(0, 0, 2, 2),
                new Region(0, 2, 2, 2));
    }

    @Test
    void oneRegionIsWholeImage() {
        assertThat(EntropyPartition.partition(TestImages.stripesAndGrey(), 1)).containsExactly(new Region(0, 0, 8, 4));
    }

    @Test
    void flatImageSplitsLargestRegions() {
        RgbImage flat = TestImages.grey(new float[4][4]);

        List<Region> regions = EntropyPartition.partition(flat, 4);

        assertThat(regions).containsExactlyInAnyOrder(new Region(0, 0, 2, 2), new Region(2, 0, 2, 2),
                new Region(0, 2, 2, 2), new Region(2, 2, 2, 2));
    }

    @Test
    void regionsTileReceiptExactly() {
        RgbImage image = TestImages.receiptHeader(48);

        List<Region> regions = EntropyPartition.partition(image, 100);

        int[] cover = new int[image.pixelCount()];
        for (Region region : regions) {
            for (int y = region.y0(); y < region.y0() + region.height(); y++) {
                for (int x = region.x0(); x < region.x0() + region.width(); x++) {
                    cover[y * image.width() + x]++;
                }
            }
        }
        assertThat(regions).hasSize(100);
        assertThat(cover).containsOnly(1);
    }

    @Test
    void everyPixelItsOwnRegion() {
        RgbImage image = TestImages.stripesAndGrey();

        assertThat(EntropyPartition.partition(image, 32)).hasSize(32).allMatch(region -> region.pixelCount() == 1);
    }

    @Test
    void rejectsCountAbovePixelCount() {
        assertThatThrownBy(() -> EntropyPartition.partition(TestImages.stripesAndGrey(), 33))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("33");
    }
}
