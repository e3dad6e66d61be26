package dev.mlsuite.vision.splat.api;

import java.util.Map;

/**
 * Statistics of a finished reconstruction, stored as {@code summary.json}.
 *
 * @param boundaryEdges edges used by one face only; 0 for a closed surface
 * @param validDepthFraction share of foreground pixels that received a fused depth
 * @param boundsMin lower corner of the mesh's bounding box
 * @param boundsMax upper corner of the mesh's bounding box
 * @param stageMillis wall-clock time of each pipeline stage, including {@code read}
 */
public record MeshSummary(int gaussians, int views, String depth, int vertices, int faces, long boundaryEdges,
        double validDepthFraction, double sceneRadius, double voxelSize, double[] boundsMin, double[] boundsMax,
        Map<String, Long> stageMillis, long totalMillis) {
}
