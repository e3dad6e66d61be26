package dev.mlsuite.vision.mesh;

import dev.mlsuite.vision.stereo.SgmParameters;

/**
 * Settings of {@link SplatMeshPipeline}. Lengths are relative to the scene so that one set of
 * defaults fits scenes of any scale.
 *
 * @param depthSource stereo matching (the method) or rendered depth (the baseline)
 * @param viewCount number of generated views when no cameras are supplied; supplied cameras are
 *     subsampled evenly to at most this many
 * @param imageWidth width in pixels of every rendered view; supplied cameras are rescaled to it
 * @param imageHeight height in pixels of generated views
 * @param cameraDistanceRadii distance of generated cameras from the scene centre, in robust scene radii
 * @param baselineFraction stereo baseline as a fraction of the camera rig radius (1.1 times the
 *     largest distance of a camera centre from the mean centre, but at least the robust scene radius)
 * @param minDepthBaselines nearest fused depth, in baselines
 * @param maxDepthBaselines farthest fused depth, in baselines
 * @param voxelResolution number of voxels along the longest side of the scene box
 * @param truncationVoxels TSDF truncation distance in voxels
 * @param alphaThreshold pixels whose rendered opacity is below this are not fused (background)
 * @param minComponentFraction mesh components with fewer faces than this fraction of the largest are removed
 * @param upAxis world direction shown upwards in generated views
 * @param sgm settings of the semi-global matcher
 */
public record MeshParameters(DepthSource depthSource, int viewCount, int imageWidth, int imageHeight,
        double cameraDistanceRadii, double baselineFraction, double minDepthBaselines, double maxDepthBaselines,
        int voxelResolution, double truncationVoxels, double alphaThreshold, double minComponentFraction,
        double[] upAxis, SgmParameters sgm) {

    /** Largest disparity search range per pair; it bounds the cost volume at width x height x 256 bytes. */
    public static final int MAX_DISPARITY_COUNT = 256;

    public static final MeshParameters DEFAULTS = new MeshParameters(DepthSource.STEREO, 24, 512, 384, 1.6, 0.07,
            4, 20, 192, 4, 0.5, 0.05, new double[] {0, 0, 1}, SgmParameters.DEFAULTS);

    public MeshParameters {
        require(viewCount >= 1 && viewCount <= 500, "viewCount must be 1..500", viewCount);
        require(imageWidth >= 32 && imageWidth <= 4096, "imageWidth must be 32..4096", imageWidth);
        require(imageHeight >= 32 && imageHeight <= 4096, "imageHeight must be 32..4096", imageHeight);
        require(cameraDistanceRadii > 1 && cameraDistanceRadii <= 100, "cameraDistanceRadii must be in (1, 100]",
                cameraDistanceRadii);
        require(baselineFraction > 0 && baselineFraction <= 1, "baselineFraction must be in (0, 1]", baselineFraction);
        require(minDepthBaselines > 0 && maxDepthBaselines > minDepthBaselines,
                "Need 0 < minDepthBaselines < maxDepthBaselines", minDepthBaselines + ".." + maxDepthBaselines);
        require(voxelResolution >= 8 && voxelResolution <= 512, "voxelResolution must be 8..512", voxelResolution);
        require(truncationVoxels >= 1 && truncationVoxels <= 50, "truncationVoxels must be 1..50", truncationVoxels);
        require(alphaThreshold >= 0 && alphaThreshold < 1, "alphaThreshold must be in [0, 1)", alphaThreshold);
        require(minComponentFraction >= 0 && minComponentFraction <= 1, "minComponentFraction must be in [0, 1]",
                minComponentFraction);
        require(upAxis != null && upAxis.length == 3 && (upAxis[0] != 0 || upAxis[1] != 0 || upAxis[2] != 0),
                "upAxis must be a non-zero 3-vector", upAxis == null ? null : java.util.Arrays.toString(upAxis));
        upAxis = upAxis.clone();
    }

    private static void require(boolean condition, String message, Object value) {
        if (!condition) {
            throw new IllegalArgumentException(message + ", got " + value);
        }
    }

    public MeshParameters withDepthSource(DepthSource source) {
        return new MeshParameters(source, viewCount, imageWidth, imageHeight, cameraDistanceRadii, baselineFraction,
                minDepthBaselines, maxDepthBaselines, voxelResolution, truncationVoxels, alphaThreshold,
                minComponentFraction, upAxis, sgm);
    }

    public MeshParameters withViews(int views, int width, int height) {
        return new MeshParameters(depthSource, views, width, height, cameraDistanceRadii, baselineFraction,
                minDepthBaselines, maxDepthBaselines, voxelResolution, truncationVoxels, alphaThreshold,
                minComponentFraction, upAxis, sgm);
    }

    public MeshParameters withVoxelResolution(int resolution) {
        return new MeshParameters(depthSource, viewCount, imageWidth, imageHeight, cameraDistanceRadii,
                baselineFraction, minDepthBaselines, maxDepthBaselines, resolution, truncationVoxels, alphaThreshold,
                minComponentFraction, upAxis, sgm);
    }
}
