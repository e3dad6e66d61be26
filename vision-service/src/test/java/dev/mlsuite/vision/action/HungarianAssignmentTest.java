package dev.mlsuite.vision.action;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HungarianAssignmentTest {

    @Test
    void findsOptimumWhereGreedyFails() {
        // Greedy takes the cheapest cell (0,0) first and ends at 1 + 4 + 9 = 14; the optimum is 3 + 4 + 3 = 10.
        double[][] cost = {{1, 2, 3}, {2, 4, 6}, {3, 6, 9}};

        assertThat(HungarianAssignment.solve(cost)).containsExactly(2, 1, 0);
    }

    @Test
    void leavesExtraRowsUnassigned() {
        // Rows 0 and 2 cost 1 + 0.5 = 1.5, cheaper than rows 0 and 1 at 1 + 1 = 2.
        double[][] cost = {{5, 1}, {1, 5}, {0.5, 0.6}};

        int[] assignment = HungarianAssignment.solve(cost);

        assertThat(assignment).containsExactly(1, -1, 0);
    }

    @Test
    void assignsEveryRowWhenColumnsAreSpare() {
        double[][] cost = {{9, 1, 9}, {9, 9, 2}};

        assertThat(HungarianAssignment.solve(cost)).containsExactly(1, 2);
    }

    @Test
    void handlesEmptyMatrices() {
        assertThat(HungarianAssignment.solve(new double[0][0])).isEmpty();
        assertThat(HungarianAssignment.solve(new double[2][0])).containsExactly(-1, -1);
    }
}
