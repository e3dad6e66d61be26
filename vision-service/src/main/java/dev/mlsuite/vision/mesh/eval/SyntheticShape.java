package dev.mlsuite.vision.mesh.eval;

import java.util.Random;

/**
 * Analytic closed surfaces with exact signed distance functions, centred at the origin with z up.
 * They are a unit sphere, a torus with major radius 1 and minor radius 0.4 in the xy-plane, and a box with
 * half extents 0.8 x 0.6 x 0.5.
 */
public enum SyntheticShape {
    SPHERE {
        @Override
        public double signedDistance(double x, double y, double z) {
            return Math.sqrt(x * x + y * y + z * z) - 1;
        }

        @Override
        public double area() {
            return 4 * Math.PI;
        }

        @Override
        void sample(Random random, double[] point, double[] normal) {
            double z = 2 * random.nextDouble() - 1;
            double angle = 2 * Math.PI * random.nextDouble();
            double ring = Math.sqrt(1 - z * z);
            normal[0] = ring * Math.cos(angle);
            normal[1] = ring * Math.sin(angle);
            normal[2] = z;
            System.arraycopy(normal, 0, point, 0, 3);
        }
    },
    TORUS {
        @Override
        public double signedDistance(double x, double y, double z) {
            double ring = Math.sqrt(x * x + y * y) - MAJOR;
            return Math.sqrt(ring * ring + z * z) - MINOR;
        }

        @Override
        public double area() {
            return 4 * Math.PI * Math.PI * MAJOR * MINOR;
        }

        @Override
        void sample(Random random, double[] point, double[] normal) {
            // The area element is proportional to MAJOR + MINOR cos(v), so v is drawn by rejection.
            double u;
            double v;
            do {
                u = 2 * Math.PI * random.nextDouble();
                v = 2 * Math.PI * random.nextDouble();
            } while (random.nextDouble() * (MAJOR + MINOR) > MAJOR + MINOR * Math.cos(v));
            normal[0] = Math.cos(v) * Math.cos(u);
            normal[1] = Math.cos(v) * Math.sin(u);
            normal[2] = Math.sin(v);
            point[0] = (MAJOR + MINOR * Math.cos(v)) * Math.cos(u);
            point[1] = (MAJOR + MINOR * Math.cos(v)) * Math.sin(u);
            point[2] = MINOR * Math.sin(v);
        }
    },
    BOX {
        @Override
        public double signedDistance(double x, double y, double z) {
            double qx = Math.abs(x) - HALF[0];
            double qy = Math.abs(y) - HALF[1];
            double qz = Math.abs(z) - HALF[2];
            double outside = Math.sqrt(square(Math.max(qx, 0)) + square(Math.max(qy, 0)) + square(Math.max(qz, 0)));
            return outside + Math.min(Math.max(qx, Math.max(qy, qz)), 0);
        }

        @Override
        public double area() {
            return 8 * (HALF[0] * HALF[1] + HALF[1] * HALF[2] + HALF[0] * HALF[2]);
        }

        @Override
        void sample(Random random, double[] point, double[] normal) {
            double[] faceAreas = {HALF[1] * HALF[2], HALF[0] * HALF[2], HALF[0] * HALF[1]};
            double pick = random.nextDouble() * (faceAreas[0] + faceAreas[1] + faceAreas[2]);
            int axis = 2;
            if (pick < faceAreas[0]) {
                axis = 0;
            } else if (pick < faceAreas[0] + faceAreas[1]) {
                axis = 1;
            }
            double sign = random.nextBoolean() ? 1 : -1;
            for (int k = 0; k < 3; k++) {
                point[k] = (2 * random.nextDouble() - 1) * HALF[k];
                normal[k] = 0;
            }
            point[axis] = sign * HALF[axis];
            normal[axis] = sign;
        }
    };

    static final double MAJOR = 1.0;
    static final double MINOR = 0.4;
    static final double[] HALF = {0.8, 0.6, 0.5};

    private static double square(double value) {
        return value * value;
    }

    /** Returns the signed distance to the surface, negative inside. */
    public abstract double signedDistance(double x, double y, double z);

    /** Returns the surface area. */
    public abstract double area();

    /** Returns the diameter of the smallest sphere around the origin that contains the surface. */
    public double diameter() {
        return switch (this) {
            case SPHERE -> 2;
            case TORUS -> 2 * (MAJOR + MINOR);
            case BOX -> 2 * Math.sqrt(HALF[0] * HALF[0] + HALF[1] * HALF[1] + HALF[2] * HALF[2]);
        };
    }

    /** Draws a point uniformly by area and writes it and its outward unit normal. */
    abstract void sample(Random random, double[] point, double[] normal);
}
