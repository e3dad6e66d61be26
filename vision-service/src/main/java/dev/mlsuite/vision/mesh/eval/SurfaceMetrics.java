package dev.mlsuite.vision.mesh.eval;

import java.util.Random;

import dev.mlsuite.vision.mesh.TriangleMesh;

/**
 * Compares a reconstructed mesh with an analytic surface. Accuracy is the mean distance from
 * points sampled on the mesh (uniformly by area) to the true surface, computed exactly from the
 * signed distance function. Completeness is the mean distance from points sampled on the true
 * surface to the mesh, computed exactly against its triangles. The Chamfer distance is their mean,
 * and the F-score combines the fractions of both point sets within a distance threshold.
 *
 * @param accuracy mean mesh-to-truth distance
 * @param completeness mean truth-to-mesh distance
 * @param chamfer (accuracy + completeness) / 2
 * @param precision fraction of mesh samples within the threshold of the truth
 * @param recall fraction of truth samples within the threshold of the mesh
 * @param fScore harmonic mean of precision and recall
 */
public record SurfaceMetrics(double accuracy, double completeness, double chamfer, double precision, double recall,
        double fScore, double threshold) {

    public static SurfaceMetrics compare(TriangleMesh mesh, SyntheticShape shape, int samples, double threshold,
            long seed) {
        Random random = new Random(seed);
        double[] meshPoints = samplePoints(mesh, samples, random);
        double accuracySum = 0;
        int precise = 0;
        for (int s = 0; s < samples; s++) {
            double distance = Math.abs(shape.signedDistance(meshPoints[3 * s], meshPoints[3 * s + 1],
                    meshPoints[3 * s + 2]));
            accuracySum += distance;
            precise += distance < threshold ? 1 : 0;
        }

        TriangleDistanceIndex index = new TriangleDistanceIndex(mesh);
        double completenessSum = 0;
        int recalled = 0;
        double[] point = new double[3];
        double[] normal = new double[3];
        for (int s = 0; s < samples; s++) {
            shape.sample(random, point, normal);
            double distance = index.distance(point[0], point[1], point[2]);
            completenessSum += distance;
            recalled += distance < threshold ? 1 : 0;
        }

        double accuracy = accuracySum / samples;
        double completeness = completenessSum / samples;
        double precision = precise / (double) samples;
        double recall = recalled / (double) samples;
        double fScore = precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        return new SurfaceMetrics(accuracy, completeness, (accuracy + completeness) / 2, precision, recall, fScore,
                threshold);
    }

    /** Returns {@code count} points drawn uniformly by area from the mesh, flattened as {@code [count, 3]}. */
    public static double[] samplePoints(TriangleMesh mesh, int count, Random random) {
        int faces = mesh.faceCount();
        double[] cumulative = new double[faces];
        double total = 0;
        for (int f = 0; f < faces; f++) {
            total += triangleArea(mesh, f);
            cumulative[f] = total;
        }
        float[] v = mesh.vertices();
        int[] ids = mesh.faces();
        double[] points = new double[3 * count];
        for (int s = 0; s < count; s++) {
            int f = java.util.Arrays.binarySearch(cumulative, random.nextDouble() * total);
            f = f >= 0 ? f : Math.min(faces - 1, -f - 1);
            double r1 = Math.sqrt(random.nextDouble());
            double r2 = random.nextDouble();
            double wa = 1 - r1;
            double wb = r1 * (1 - r2);
            double wc = r1 * r2;
            for (int axis = 0; axis < 3; axis++) {
                points[3 * s + axis] = wa * v[3 * ids[3 * f] + axis] + wb * v[3 * ids[3 * f + 1] + axis]
                        + wc * v[3 * ids[3 * f + 2] + axis];
            }
        }
        return points;
    }

    private static double triangleArea(TriangleMesh mesh, int f) {
        float[] v = mesh.vertices();
        int a = 3 * mesh.faces()[3 * f];
        int b = 3 * mesh.faces()[3 * f + 1];
        int c = 3 * mesh.faces()[3 * f + 2];
        double ux = v[b] - v[a];
        double uy = v[b + 1] - v[a + 1];
        double uz = v[b + 2] - v[a + 2];
        double wx = v[c] - v[a];
        double wy = v[c + 1] - v[a + 1];
        double wz = v[c + 2] - v[a + 2];
        double nx = uy * wz - uz * wy;
        double ny = uz * wx - ux * wz;
        double nz = ux * wy - uy * wx;
        return 0.5 * Math.sqrt(nx * nx + ny * ny + nz * nz);
    }
}
