package dev.mlsuite.vision.mesh;

import java.util.Arrays;

import dev.mlsuite.vision.splat.Camera;

/**
 * A z-buffer rasteriser for triangle meshes, used for preview images and for comparing a mesh's
 * depth with a rendered depth map. Shading is Lambertian with a light at the camera, on the
 * vertex colours or on grey.
 */
public final class MeshRasterizer {

    /** A rendered mesh view: camera z per pixel (NaN where empty) and shaded RGB in [0, 1]. */
    public record MeshView(float[] depth, float[] rgb) {
    }

    private MeshRasterizer() {
    }

    public static MeshView render(TriangleMesh mesh, Camera camera) {
        int width = camera.width();
        int height = camera.height();
        float[] depth = new float[width * height];
        Arrays.fill(depth, Float.POSITIVE_INFINITY);
        float[] rgb = new float[3 * width * height];
        double[][] screen = new double[mesh.vertexCount()][];
        for (int v = 0; v < mesh.vertexCount(); v++) {
            double[] c = camera.toCamera(mesh.vertices()[3 * v], mesh.vertices()[3 * v + 1], mesh.vertices()[3 * v + 2]);
            screen[v] = new double[] {camera.fx() * c[0] / c[2] + camera.cx(), camera.fy() * c[1] / c[2] + camera.cy(),
                c[2], c[0], c[1]};
        }
        for (int f = 0; f < mesh.faceCount(); f++) {
            drawTriangle(mesh, camera, screen, f, depth, rgb);
        }
        for (int i = 0; i < depth.length; i++) {
            if (depth[i] == Float.POSITIVE_INFINITY) {
                depth[i] = Float.NaN;
            }
        }
        return new MeshView(depth, rgb);
    }

    private static void drawTriangle(TriangleMesh mesh, Camera camera, double[][] screen, int f, float[] depth,
            float[] rgb) {
        int[] faces = mesh.faces();
        int ia = faces[3 * f];
        int ib = faces[3 * f + 1];
        int ic = faces[3 * f + 2];
        double[] a = screen[ia];
        double[] b = screen[ib];
        double[] c = screen[ic];
        double near = 1e-6;
        if (a[2] <= near || b[2] <= near || c[2] <= near) {
            return;
        }
        double shade = lambert(a, b, c);
        int width = camera.width();
        int minX = Math.max(0, (int) Math.floor(Math.min(a[0], Math.min(b[0], c[0]))));
        int maxX = Math.min(width - 1, (int) Math.ceil(Math.max(a[0], Math.max(b[0], c[0]))));
        int minY = Math.max(0, (int) Math.floor(Math.min(a[1], Math.min(b[1], c[1]))));
        int maxY = Math.min(camera.height() - 1, (int) Math.ceil(Math.max(a[1], Math.max(b[1], c[1]))));
        double area = (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0]);
        if (Math.abs(area) < 1e-12) {
            return;
        }
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                double w0 = ((b[0] - x) * (c[1] - y) - (b[1] - y) * (c[0] - x)) / area;
                double w1 = ((c[0] - x) * (a[1] - y) - (c[1] - y) * (a[0] - x)) / area;
                double w2 = 1 - w0 - w1;
                if (w0 < 0 || w1 < 0 || w2 < 0) {
                    continue;
                }
                // Perspective-correct depth: interpolate 1/z in screen space.
                double inverseZ = w0 / a[2] + w1 / b[2] + w2 / c[2];
                float z = (float) (1 / inverseZ);
                int pixel = y * width + x;
                if (z >= depth[pixel]) {
                    continue;
                }
                depth[pixel] = z;
                for (int channel = 0; channel < 3; channel++) {
                    double base = mesh.colours() == null ? 0.8
                            : ((mesh.colours()[3 * ia + channel] & 0xff) * w0 + (mesh.colours()[3 * ib + channel] & 0xff) * w1
                                    + (mesh.colours()[3 * ic + channel] & 0xff) * w2) / 255.0;
                    rgb[3 * pixel + channel] = (float) (base * shade);
                }
            }
        }
    }

    /** Returns the cosine between the face normal and the direction to the camera, with an ambient floor. */
    private static double lambert(double[] a, double[] b, double[] c) {
        double[] pa = {a[3], a[4], a[2]};
        double[] pb = {b[3], b[4], b[2]};
        double[] pc = {c[3], c[4], c[2]};
        double ux = pb[0] - pa[0];
        double uy = pb[1] - pa[1];
        double uz = pb[2] - pa[2];
        double vx = pc[0] - pa[0];
        double vy = pc[1] - pa[1];
        double vz = pc[2] - pa[2];
        double nx = uy * vz - uz * vy;
        double ny = uz * vx - ux * vz;
        double nz = ux * vy - uy * vx;
        double norm = Math.sqrt(nx * nx + ny * ny + nz * nz);
        double cx = pa[0] + pb[0] + pc[0];
        double cy = pa[1] + pb[1] + pc[1];
        double cz = pa[2] + pb[2] + pc[2];
        double distance = Math.sqrt(cx * cx + cy * cy + cz * cz);
        if (norm == 0 || distance == 0) {
            return 0.3;
        }
        double cosine = Math.abs(nx * cx + ny * cy + nz * cz) / (norm * distance);
        return 0.25 + 0.75 * cosine;
    }
}
