package dev.mlsuite.vision.splat;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Renders a Gaussian scene on the CPU by EWA splatting as in 3D Gaussian Splatting: each Gaussian's
 * 3D covariance is projected to a 2D conic through the local affine approximation of the
 * perspective projection, bounded by its 3-sigma extent, binned into 16x16-pixel tiles in
 * front-to-back depth order and alpha-composited per pixel until the transmittance drops below
 * 1e-4. Projection and tiles run in parallel on the given {@link ForkJoinPool}.
 */
public final class GaussianRenderer {

    /** Side of a square screen tile in pixels. */
    public static final int TILE_SIZE = 16;

    /** Variance in pixels squared added to each projected covariance (the reference renderer's low-pass filter). */
    static final double SCREEN_SPACE_DILATION = 0.3;
    private static final float MAX_ALPHA = 0.99f;
    private static final float MIN_ALPHA = 1f / 255f;
    private static final float MIN_TRANSMITTANCE = 1e-4f;

    private final ForkJoinPool pool;

    public GaussianRenderer(ForkJoinPool pool) {
        this.pool = pool;
    }

    /**
     * Renders colour, blended depth and accumulated opacity. Gaussians closer than
     * {@code nearPlane} (camera z, scene units) are skipped.
     */
    public RenderedView render(GaussianScene scene, Camera camera, double nearPlane) {
        Projected projected = project(scene, camera, nearPlane);
        int[] order = depthOrder(projected);
        TileBins bins = bin(projected, order, camera);
        return rasterize(projected, bins, camera);
    }

    /** Screen-space parameters of every Gaussian; {@code visible[i]} is false for culled ones. */
    private static final class Projected {
        final boolean[] visible;
        final float[] meanX;
        final float[] meanY;
        final float[] conicA;
        final float[] conicB;
        final float[] conicC;
        final float[] depth;
        final float[] opacity;
        final float[] logMinPower;
        final float[] colour;
        final int[] tileRect;

        Projected(int n) {
            visible = new boolean[n];
            meanX = new float[n];
            meanY = new float[n];
            conicA = new float[n];
            conicB = new float[n];
            conicC = new float[n];
            depth = new float[n];
            opacity = new float[n];
            logMinPower = new float[n];
            colour = new float[3 * n];
            tileRect = new int[4 * n];
        }
    }

    private Projected project(GaussianScene scene, Camera camera, double nearPlane) {
        int n = scene.count();
        Projected out = new Projected(n);
        int tilesX = (camera.width() + TILE_SIZE - 1) / TILE_SIZE;
        int tilesY = (camera.height() + TILE_SIZE - 1) / TILE_SIZE;
        double[] centre = camera.centre();
        int chunk = 2048;
        int chunks = (n + chunk - 1) / chunk;
        pool.submit(() -> IntStream.range(0, chunks).parallel().forEach(c -> {
            float[] rgb = new float[3];
            int end = Math.min(n, (c + 1) * chunk);
            for (int i = c * chunk; i < end; i++) {
                projectOne(scene, camera, centre, nearPlane, tilesX, tilesY, i, out, rgb);
            }
        })).join();
        return out;
    }

    private static void projectOne(GaussianScene scene, Camera camera, double[] centre, double nearPlane, int tilesX,
            int tilesY, int i, Projected out, float[] rgb) {
        float[] pos = scene.positions();
        double px = pos[3 * i];
        double py = pos[3 * i + 1];
        double pz = pos[3 * i + 2];
        double[] r = camera.rotation();
        double[] t = camera.translation();
        double x = r[0] * px + r[1] * py + r[2] * pz + t[0];
        double y = r[3] * px + r[4] * py + r[5] * pz + t[1];
        double z = r[6] * px + r[7] * py + r[8] * pz + t[2];
        if (z <= nearPlane) {
            return;
        }

        double[] cov = covariance3d(scene, i);

        // Jacobian of the perspective projection at the mean, with x/z and y/z clamped to 1.3 times
        // the half field of view as the reference renderer does, so that off-screen Gaussians stay stable.
        double limitX = 1.3 * (camera.width() / 2.0) / camera.fx();
        double limitY = 1.3 * (camera.height() / 2.0) / camera.fy();
        double tx = Math.max(-limitX, Math.min(limitX, x / z)) * z;
        double ty = Math.max(-limitY, Math.min(limitY, y / z)) * z;
        double j00 = camera.fx() / z;
        double j02 = -camera.fx() * tx / (z * z);
        double j11 = camera.fy() / z;
        double j12 = -camera.fy() * ty / (z * z);

        // T = J W, a 2x3 matrix, where W is the world-to-camera rotation.
        double t00 = j00 * r[0] + j02 * r[6];
        double t01 = j00 * r[1] + j02 * r[7];
        double t02 = j00 * r[2] + j02 * r[8];
        double t10 = j11 * r[3] + j12 * r[6];
        double t11 = j11 * r[4] + j12 * r[7];
        double t12 = j11 * r[5] + j12 * r[8];

        // Sigma2D = T Sigma3D T^T; cov holds the upper triangle xx, xy, xz, yy, yz, zz.
        double s0x = cov[0] * t00 + cov[1] * t01 + cov[2] * t02;
        double s0y = cov[1] * t00 + cov[3] * t01 + cov[4] * t02;
        double s0z = cov[2] * t00 + cov[4] * t01 + cov[5] * t02;
        double s1x = cov[0] * t10 + cov[1] * t11 + cov[2] * t12;
        double s1y = cov[1] * t10 + cov[3] * t11 + cov[4] * t12;
        double s1z = cov[2] * t10 + cov[4] * t11 + cov[5] * t12;
        double a = t00 * s0x + t01 * s0y + t02 * s0z + SCREEN_SPACE_DILATION;
        double b = t10 * s0x + t11 * s0y + t12 * s0z;
        double c = t10 * s1x + t11 * s1y + t12 * s1z + SCREEN_SPACE_DILATION;
        double det = a * c - b * b;
        if (!(det > 0)) {
            return;
        }

        double mid = 0.5 * (a + c);
        double lambdaMax = mid + Math.sqrt(Math.max(0.1, mid * mid - det));
        double radius = Math.ceil(3 * Math.sqrt(lambdaMax));
        double u = camera.fx() * x / z + camera.cx();
        double v = camera.fy() * y / z + camera.cy();
        int minTx = clamp((int) Math.floor((u - radius) / TILE_SIZE), tilesX);
        int maxTx = clamp((int) Math.floor((u + radius) / TILE_SIZE), tilesX);
        int minTy = clamp((int) Math.floor((v - radius) / TILE_SIZE), tilesY);
        int maxTy = clamp((int) Math.floor((v + radius) / TILE_SIZE), tilesY);
        if (u + radius < 0 || v + radius < 0 || u - radius > camera.width() - 1 || v - radius > camera.height() - 1) {
            return;
        }
        float opacity = scene.opacities()[i];
        if (opacity < MIN_ALPHA) {
            return;
        }

        double[] view = Vectors.normalize(new double[] {px - centre[0], py - centre[1], pz - centre[2]});
        SphericalHarmonics.colour(scene, i, view[0], view[1], view[2], rgb);

        out.visible[i] = true;
        out.meanX[i] = (float) u;
        out.meanY[i] = (float) v;
        out.conicA[i] = (float) (c / det);
        out.conicB[i] = (float) (-b / det);
        out.conicC[i] = (float) (a / det);
        out.depth[i] = (float) z;
        out.opacity[i] = opacity;
        out.logMinPower[i] = (float) Math.log(MIN_ALPHA / opacity);
        out.colour[3 * i] = rgb[0];
        out.colour[3 * i + 1] = rgb[1];
        out.colour[3 * i + 2] = rgb[2];
        out.tileRect[4 * i] = minTx;
        out.tileRect[4 * i + 1] = maxTx;
        out.tileRect[4 * i + 2] = minTy;
        out.tileRect[4 * i + 3] = maxTy;
    }

    /** Returns the upper triangle (xx, xy, xz, yy, yz, zz) of R S S^T R^T for Gaussian {@code i}. */
    static double[] covariance3d(GaussianScene scene, int i) {
        float[] q = scene.rotations();
        double w = q[4 * i];
        double x = q[4 * i + 1];
        double y = q[4 * i + 2];
        double z = q[4 * i + 3];
        double[] rot = {
            1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
            2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
            2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)
        };
        float[] s = scene.scales();
        double s0 = (double) s[3 * i] * s[3 * i];
        double s1 = (double) s[3 * i + 1] * s[3 * i + 1];
        double s2 = (double) s[3 * i + 2] * s[3 * i + 2];
        double[] cov = new double[6];
        int k = 0;
        for (int row = 0; row < 3; row++) {
            for (int col = row; col < 3; col++) {
                cov[k++] = rot[3 * row] * rot[3 * col] * s0 + rot[3 * row + 1] * rot[3 * col + 1] * s1
                        + rot[3 * row + 2] * rot[3 * col + 2] * s2;
            }
        }
        return cov;
    }

    private static int clamp(int tile, int tiles) {
        return Math.max(0, Math.min(tiles - 1, tile));
    }

    /** Returns the visible Gaussians sorted by increasing camera depth. */
    private int[] depthOrder(Projected projected) {
        int n = projected.visible.length;
        int visibleCount = 0;
        for (boolean visible : projected.visible) {
            visibleCount += visible ? 1 : 0;
        }
        // A positive float's bit pattern sorts like the float, so depth and index pack into one long key.
        long[] keys = new long[visibleCount];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (projected.visible[i]) {
                keys[k++] = ((long) Float.floatToIntBits(projected.depth[i]) << 32) | i;
            }
        }
        pool.submit(() -> Arrays.parallelSort(keys)).join();
        int[] order = new int[visibleCount];
        for (int j = 0; j < visibleCount; j++) {
            order[j] = (int) keys[j];
        }
        return order;
    }

    /** Per-tile lists of Gaussians in depth order, stored as offsets into one index array. */
    private record TileBins(int tilesX, int tilesY, int[] start, int[] entries) {
    }

    private static TileBins bin(Projected projected, int[] order, Camera camera) {
        int tilesX = (camera.width() + TILE_SIZE - 1) / TILE_SIZE;
        int tilesY = (camera.height() + TILE_SIZE - 1) / TILE_SIZE;
        int[] start = new int[tilesX * tilesY + 1];
        int[] rect = projected.tileRect;
        for (int i : order) {
            for (int ty = rect[4 * i + 2]; ty <= rect[4 * i + 3]; ty++) {
                for (int tx = rect[4 * i]; tx <= rect[4 * i + 1]; tx++) {
                    start[ty * tilesX + tx + 1]++;
                }
            }
        }
        for (int tile = 0; tile < tilesX * tilesY; tile++) {
            start[tile + 1] += start[tile];
        }
        int[] fill = Arrays.copyOf(start, start.length - 1);
        int[] entries = new int[start[start.length - 1]];
        for (int i : order) {
            for (int ty = rect[4 * i + 2]; ty <= rect[4 * i + 3]; ty++) {
                for (int tx = rect[4 * i]; tx <= rect[4 * i + 1]; tx++) {
                    entries[fill[ty * tilesX + tx]++] = i;
                }
            }
        }
        return new TileBins(tilesX, tilesY, start, entries);
    }

    /** Floats per Gaussian in a tile's packed copy: mean x, y, conic a, b, c, opacity, log cut-off, depth, RGB. */
    private static final int PACKED = 11;

    private RenderedView rasterize(Projected g, TileBins bins, Camera camera) {
        int width = camera.width();
        int height = camera.height();
        float[] rgb = new float[3 * width * height];
        float[] depthSum = new float[width * height];
        float[] alpha = new float[width * height];
        pool.submit(() -> IntStream.range(0, bins.tilesX() * bins.tilesY()).parallel().forEach(tile -> {
            int x0 = (tile % bins.tilesX()) * TILE_SIZE;
            int y0 = (tile / bins.tilesX()) * TILE_SIZE;
            float[] packed = pack(g, bins.entries(), bins.start()[tile], bins.start()[tile + 1]);
            for (int y = y0; y < Math.min(height, y0 + TILE_SIZE); y++) {
                for (int x = x0; x < Math.min(width, x0 + TILE_SIZE); x++) {
                    compositePixel(packed, x, y, y * width + x, rgb, depthSum, alpha);
                }
            }
        })).join();
        return new RenderedView(camera, rgb, depthSum, alpha);
    }

    /** Copies a tile's Gaussians, in depth order, into one contiguous array so the pixel loop reads memory in sequence. */
    private static float[] pack(Projected g, int[] entries, int first, int last) {
        float[] packed = new float[(last - first) * PACKED];
        for (int e = first, k = 0; e < last; e++, k += PACKED) {
            int i = entries[e];
            packed[k] = g.meanX[i];
            packed[k + 1] = g.meanY[i];
            packed[k + 2] = g.conicA[i];
            packed[k + 3] = g.conicB[i];
            packed[k + 4] = g.conicC[i];
            packed[k + 5] = g.opacity[i];
            packed[k + 6] = g.logMinPower[i];
            packed[k + 7] = g.depth[i];
            packed[k + 8] = g.colour[3 * i];
            packed[k + 9] = g.colour[3 * i + 1];
            packed[k + 10] = g.colour[3 * i + 2];
        }
        return packed;
    }

    private static void compositePixel(float[] packed, int x, int y, int pixel, float[] rgb, float[] depthSum,
            float[] alpha) {
        float transmittance = 1f;
        float red = 0;
        float green = 0;
        float blue = 0;
        float depth = 0;
        for (int k = 0; k < packed.length; k += PACKED) {
            float dx = packed[k] - x;
            float dy = packed[k + 1] - y;
            float power = -0.5f * (packed[k + 2] * dx * dx + packed[k + 4] * dy * dy) - packed[k + 3] * dx * dy;
            if (power > 0 || power < packed[k + 6]) {
                continue;
            }
            float a = Math.min(MAX_ALPHA, packed[k + 5] * (float) Math.exp(power));
            if (a < MIN_ALPHA) {
                continue;
            }
            float next = transmittance * (1 - a);
            if (next < MIN_TRANSMITTANCE) {
                break;
            }
            float weight = a * transmittance;
            red += packed[k + 8] * weight;
            green += packed[k + 9] * weight;
            blue += packed[k + 10] * weight;
            depth += packed[k + 7] * weight;
            transmittance = next;
        }
        rgb[3 * pixel] = red;
        rgb[3 * pixel + 1] = green;
        rgb[3 * pixel + 2] = blue;
        depthSum[pixel] = depth;
        alpha[pixel] = 1 - transmittance;
    }
}
