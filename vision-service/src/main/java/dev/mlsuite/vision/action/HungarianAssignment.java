package dev.mlsuite.vision.action;

import java.util.Arrays;

/** Minimum-cost assignment of rows to columns (Hungarian method with potentials, O(n^2 m)). */
final class HungarianAssignment {

    private HungarianAssignment() {
    }

    /**
     * Assigns each row of {@code cost} ({@code [rows][columns]}) to a distinct column so that the
     * total cost is minimal. When there are more rows than columns, some rows stay unassigned.
     *
     * @return for each row the assigned column, or -1
     */
    static int[] solve(double[][] cost) {
        int rows = cost.length;
        if (rows == 0) {
            return new int[0];
        }
        int columns = cost[0].length;
        if (columns == 0) {
            int[] none = new int[rows];
            Arrays.fill(none, -1);
            return none;
        }
        if (rows > columns) {
            int[] columnToRow = solve(transpose(cost));
            int[] rowToColumn = new int[rows];
            Arrays.fill(rowToColumn, -1);
            for (int column = 0; column < columns; column++) {
                rowToColumn[columnToRow[column]] = column;
            }
            return rowToColumn;
        }
        return solveWide(cost, rows, columns);
    }

    /** Solves the case rows <= columns; arrays are 1-based with index 0 as the virtual start. */
    private static int[] solveWide(double[][] cost, int rows, int columns) {
        double[] rowPotential = new double[rows + 1];
        double[] columnPotential = new double[columns + 1];
        int[] rowOfColumn = new int[columns + 1];
        int[] previousColumn = new int[columns + 1];

        for (int row = 1; row <= rows; row++) {
            rowOfColumn[0] = row;
            int currentColumn = 0;
            double[] minSlack = new double[columns + 1];
            Arrays.fill(minSlack, Double.POSITIVE_INFINITY);
            boolean[] used = new boolean[columns + 1];

            do {
                used[currentColumn] = true;
                int currentRow = rowOfColumn[currentColumn];
                double delta = Double.POSITIVE_INFINITY;
                int nextColumn = 0;
                for (int column = 1; column <= columns; column++) {
                    if (used[column]) {
                        continue;
                    }
                    double slack = cost[currentRow - 1][column - 1] - rowPotential[currentRow] - columnPotential[column];
                    if (slack < minSlack[column]) {
                        minSlack[column] = slack;
                        previousColumn[column] = currentColumn;
                    }
                    if (minSlack[column] < delta) {
                        delta = minSlack[column];
                        nextColumn = column;
                    }
                }
                for (int column = 0; column <= columns; column++) {
                    if (used[column]) {
                        rowPotential[rowOfColumn[column]] += delta;
                        columnPotential[column] -= delta;
                    } else {
                        minSlack[column] -= delta;
                    }
                }
                currentColumn = nextColumn;
            } while (rowOfColumn[currentColumn] != 0);

            do {
                int previous = previousColumn[currentColumn];
                rowOfColumn[currentColumn] = rowOfColumn[previous];
                currentColumn = previous;
            } while (currentColumn != 0);
        }

        int[] rowToColumn = new int[rows];
        Arrays.fill(rowToColumn, -1);
        for (int column = 1; column <= columns; column++) {
            if (rowOfColumn[column] != 0) {
                rowToColumn[rowOfColumn[column] - 1] = column - 1;
            }
        }
        return rowToColumn;
    }

    private static double[][] transpose(double[][] matrix) {
        double[][] result = new double[matrix[0].length][matrix.length];
        for (int i = 0; i < matrix.length; i++) {
            for (int j = 0; j < matrix[0].length; j++) {
                result[j][i] = matrix[i][j];
            }
        }
        return result;
    }
}
