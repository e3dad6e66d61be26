package dev.mlsuite.vision.action;

/**
 * Constant-velocity Kalman filter over one person box, in the state layout SORT uses:
 * {@code [cx, cy, area, aspect, vcx, vcy, varea]} (centre in pixels, area in square pixels,
 * aspect = width / height, velocities per sampled frame). The aspect ratio has no velocity.
 * The noise values are the ones published with SORT (Bewley et al., 2016).
 */
final class KalmanBoxFilter {

    private static final int STATE = 7;
    private static final int MEASUREMENT = 4;

    /** State mean {@code [7]}. */
    private final double[] x = new double[STATE];

    /** State covariance {@code [7][7]}. */
    private final double[][] p = new double[STATE][STATE];

    private static final double[][] TRANSITION = transition();
    private static final double[] PROCESS_NOISE = {1, 1, 1, 1, 0.01, 0.01, 0.0001};
    private static final double[] MEASUREMENT_NOISE = {1, 1, 10, 10};
    private static final double[] INITIAL_VARIANCE = {10, 10, 10, 10, 10_000, 10_000, 10_000};

    KalmanBoxFilter(Detection box) {
        System.arraycopy(measurement(box), 0, x, 0, MEASUREMENT);
        for (int i = 0; i < STATE; i++) {
            p[i][i] = INITIAL_VARIANCE[i];
        }
    }

    /** Advances the state by one sampled frame and returns the predicted box. */
    Detection predict() {
        if (x[2] + x[6] <= 0) {
            x[6] = 0;
        }
        double[] predicted = multiply(TRANSITION, x);
        System.arraycopy(predicted, 0, x, 0, STATE);

        double[][] covariance = multiply(multiply(TRANSITION, p), transpose(TRANSITION));
        for (int i = 0; i < STATE; i++) {
            covariance[i][i] += PROCESS_NOISE[i];
            System.arraycopy(covariance[i], 0, p[i], 0, STATE);
        }
        return box(0);
    }

    /** Corrects the state with an observed box. */
    void update(Detection observed) {
        double[] z = measurement(observed);

        // The measurement matrix selects the first four state entries, so H P H^T is the top-left 4x4 block of P.
        double[][] innovationCovariance = new double[MEASUREMENT][MEASUREMENT];
        for (int i = 0; i < MEASUREMENT; i++) {
            for (int j = 0; j < MEASUREMENT; j++) {
                innovationCovariance[i][j] = p[i][j];
            }
            innovationCovariance[i][i] += MEASUREMENT_NOISE[i];
        }
        double[][] inverse = invert(innovationCovariance);

        // Kalman gain K = P H^T S^-1, [7][4]; P H^T is the first four columns of P.
        double[][] gain = new double[STATE][MEASUREMENT];
        for (int i = 0; i < STATE; i++) {
            for (int j = 0; j < MEASUREMENT; j++) {
                double sum = 0;
                for (int k = 0; k < MEASUREMENT; k++) {
                    sum += p[i][k] * inverse[k][j];
                }
                gain[i][j] = sum;
            }
        }

        double[] residual = new double[MEASUREMENT];
        for (int i = 0; i < MEASUREMENT; i++) {
            residual[i] = z[i] - x[i];
        }
        for (int i = 0; i < STATE; i++) {
            for (int j = 0; j < MEASUREMENT; j++) {
                x[i] += gain[i][j] * residual[j];
            }
        }

        // P = (I - K H) P; K H has non-zero columns only for the four measured entries.
        double[][] updated = new double[STATE][STATE];
        for (int i = 0; i < STATE; i++) {
            for (int j = 0; j < STATE; j++) {
                double correction = 0;
                for (int k = 0; k < MEASUREMENT; k++) {
                    correction += gain[i][k] * p[k][j];
                }
                updated[i][j] = p[i][j] - correction;
            }
        }
        for (int i = 0; i < STATE; i++) {
            System.arraycopy(updated[i], 0, p[i], 0, STATE);
        }
    }

    /** Returns the current state as a box with the given score. */
    Detection box(double score) {
        double area = Math.max(x[2], 0);
        double aspect = Math.max(x[3], 1e-6);
        double width = Math.sqrt(area * aspect);
        double height = width > 0 ? area / width : 0;
        return new Detection(x[0] - width / 2, x[1] - height / 2, width, height, score);
    }

    private static double[] measurement(Detection box) {
        double height = Math.max(box.height(), 1e-6);
        return new double[] {box.x() + box.width() / 2, box.y() + box.height() / 2, box.width() * box.height(),
                box.width() / height};
    }

    private static double[][] transition() {
        double[][] f = new double[STATE][STATE];
        for (int i = 0; i < STATE; i++) {
            f[i][i] = 1;
        }
        f[0][4] = 1;
        f[1][5] = 1;
        f[2][6] = 1;
        return f;
    }

    private static double[] multiply(double[][] matrix, double[] vector) {
        double[] result = new double[matrix.length];
        for (int i = 0; i < matrix.length; i++) {
            for (int j = 0; j < vector.length; j++) {
                result[i] += matrix[i][j] * vector[j];
            }
        }
        return result;
    }

    private static double[][] multiply(double[][] left, double[][] right) {
        int rows = left.length;
        int inner = right.length;
        int columns = right[0].length;
        double[][] result = new double[rows][columns];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < inner; k++) {
                double value = left[i][k];
                for (int j = 0; j < columns; j++) {
                    result[i][j] += value * right[k][j];
                }
            }
        }
        return result;
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

    /** Inverts a small symmetric positive-definite matrix by Gauss-Jordan elimination with partial pivoting. */
    private static double[][] invert(double[][] matrix) {
        int n = matrix.length;
        double[][] work = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(matrix[i], 0, work[i], 0, n);
            work[i][n + i] = 1;
        }
        for (int column = 0; column < n; column++) {
            int pivot = column;
            for (int row = column + 1; row < n; row++) {
                if (Math.abs(work[row][column]) > Math.abs(work[pivot][column])) {
                    pivot = row;
                }
            }
            double[] swap = work[column];
            work[column] = work[pivot];
            work[pivot] = swap;

            double divisor = work[column][column];
            for (int j = 0; j < 2 * n; j++) {
                work[column][j] /= divisor;
            }
            for (int row = 0; row < n; row++) {
                if (row != column) {
                    double factor = work[row][column];
                    for (int j = 0; j < 2 * n; j++) {
                        work[row][j] -= factor * work[column][j];
                    }
                }
            }
        }
        double[][] inverse = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(work[i], n, inverse[i], 0, n);
        }
        return inverse;
    }
}
