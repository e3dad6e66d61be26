package dev.mlsuite.vision.mesh;

import java.util.Map;

import dev.mlsuite.vision.splat.Camera;
import dev.mlsuite.vision.splat.SceneBounds;

/**
 * The outcome of a reconstruction.
 *
 * @param validDepthFraction fraction of foreground pixels (rendered opacity above the threshold)
 *     that received a depth inside the fused range, over all views
 * @param stageMillis wall-clock time per stage in milliseconds, in pipeline order
 * @param previewCamera the camera of the two preview images
 * @param splatPreview rendered splats seen by the preview camera, interleaved RGB in [0, 1]
 * @param meshPreview the mesh seen by the preview camera, interleaved RGB in [0, 1]
 */
public record MeshResult(TriangleMesh mesh, SceneBounds bounds, VoxelGrid grid, int gaussianCount, int viewCount,
        double validDepthFraction, Map<String, Long> stageMillis, Camera previewCamera, float[] splatPreview,
        float[] meshPreview) {

    public long totalMillis() {
        return stageMillis.values().stream().mapToLong(Long::longValue).sum();
    }
}
