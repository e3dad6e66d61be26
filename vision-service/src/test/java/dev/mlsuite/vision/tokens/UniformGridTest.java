package dev.mlsuite.vision.tokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UniformGridTest {

    @Test
    void picksSquarestCells() {
        assertThat(UniformGrid.gridShape(128, 128, 64)).containsExactly(8, 8);
        assertThat(UniformGrid.gridShape(128, 128, 128)).containsExactly(8, 16);
        assertThat(UniformGrid.gridShape(256, 64, 64)).containsExactly(16, 4);
    }

    @Test
    void cellsTileImage() {
        // 10x3 with 6 cells: 6 columns x 1 row gives 1.67x3 cells, the closest to square.
        // Column edges are round(i * 10 / 6) = 0, 2, 3, 5, 7, 8, 10.
        assertThat(UniformGrid.regions(10, 3, 6)).containsExactly(
                new Region(0, 0, 2, 3), new Region(2, 0, 1, 3), new Region(3, 0, 2, 3),
                new Region(5, 0, 2, 3), new Region(7, 0, 1, 3), new Region(8, 0, 2, 3));
    }

    @Test
    void rejectsCountWithoutFittingGrid() {
        assertThatThrownBy(() -> UniformGrid.regions(4, 4, 7)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("7");
    }
}
