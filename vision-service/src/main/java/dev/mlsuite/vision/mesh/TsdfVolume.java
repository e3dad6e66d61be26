package dev.mlsuite.vision.mesh;

import java.util.Arrays;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

import dev.mlsuite.vision.splat.Camera;

/**
 * A truncated signed distance volume (Curless and Levoy, 1996) fused from depth maps. Each grid
 * point stores the running weighted mean of the projective signed distance, positive in front of
 * the observed surface and negative behind it, divided by the truncation distance and clamped to
 * [-1, 1], together with its weight and a weighted mean colour. Points observed more than the
 * truncation distance behind a surface are left unchanged.
 */
public final class TsdfVolume {

    private final VoxelGrid grid;
    private final double truncation;
    private final float[] tsdf;
    private final float[] weight;
    private final float[] colour;
    private final float[] colourWeight;

    public TsdfVolume(VoxelGrid grid, double truncation) {
        if (!(truncation > 0)) {
            throw new IllegalArgumentException("Truncation distance must be positive, got " + truncation);
        }
        if (grid.pointCount() > Integer.MAX_VALUE / 3) {
            throw new IllegalArgumentException("Voxel grid of " + grid.pointCount() + " points is too large");
        }
        this.grid = grid;
        this.truncation = truncation;
        int points = (int) grid.pointCount();
        tsdf = new float[points];
        Arrays.fill(tsdf, 1f);
        weight = new float[points];
        colour = new float[3 * points];
        colourWeight = new float[points];
    }

    public VoxelGrid grid() {
        return grid;
    }

    public double truncation() {
        return truncation;
    }

    public float[] tsdf() {
        return tsdf;
    }

    public float[] weight() {
        return weight;
    }

    public float[] colour() {
        return colour;
    }

    /**
     * Fuses one depth map seen by {@code camera}. Depth is camera z in scene units, NaN where
     * unknown; depths outside [minDepth, maxDepth] are ignored. {@code rgb} is interleaved and may be null.
     */
    public void integrate(float[] depth, float[] rgb, Camera camera, double minDepth, double maxDepth,
            ForkJoinPool pool) {
        int width = camera.width();
        int height = camera.height();
        if (depth.length != width * height) {
            throw new IllegalArgumentException("Depth map has " + depth.length + " pixels, camera " + width + "x" + height);
        }
        double[] r = camera.rotation();
        double[] t = camera.translation();
        double[] o = grid.origin();
        double step = grid.voxelSize();
        pool.submit(() -> IntStream.range(0, grid.sizeZ()).parallel().forEach(k -> {
            for (int j = 0; j < grid.sizeY(); j++) {
                double wx = o[0];
                double wy = o[1] + j * step;
                double wz = o[2] + k * step;
                double cx = r[0] * wx + r[1] * wy + r[2] * wz + t[0];
                double cy = r[3] * wx + r[4] * wy + r[5] * wz + t[1];
                double cz = r[6] * wx + r[7] * wy + r[8] * wz + t[2];
                for (int i = 0; i < grid.sizeX(); i++, cx += r[0] * step, cy += r[3] * step, cz += r[6] * step) {
                    if (cz <= 0) {
                        continue;
                    }
                    int u = (int) Math.round(camera.fx() * cx / cz + camera.cx());
                    int v = (int) Math.round(camera.fy() * cy / cz + camera.cy());
                    if (u < 0 || v < 0 || u >= width || v >= height) {
                        continue;
                    }
                    int pixel = v * width + u;
                    float observed = depth[pixel];
                    if (Float.isNaN(observed) || observed < minDepth || observed > maxDepth) {
                        continue;
                    }
                    double sdf = observed - cz;
                    if (sdf < -truncation) {
                        continue;
                    }
                    update(grid.index(i, j, k), (float) Math.min(1.0, sdf / truncation), sdf < truncation, rgb, pixel);
                }
            }
        })).join();
    }

    private void update(int point, float value, boolean nearSurface, float[] rgb, int pixel) {
        float w = weight[point];
        float next = w + 1;
        tsdf[point] = (tsdf[point] * w + value) / next;
        weight[point] = next;
        if (nearSurface && rgb != null) {
            // Colour averages only observations within the truncation band, so it has its own weight.
            float c = colourWeight[point];
            for (int channel = 0; channel < 3; channel++) {
                colour[3 * point + channel] = (colour[3 * point + channel] * c + rgb[3 * pixel + channel]) / (c + 1);
            }
            colourWeight[point] = c + 1;
        }
    }
}
