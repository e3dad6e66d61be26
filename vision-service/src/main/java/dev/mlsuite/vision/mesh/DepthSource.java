package dev.mlsuite.vision.mesh;

/** Where the depth maps fused into the TSDF volume come from. */
public enum DepthSource {
    /** Stereo matching of a rendered left/right pair, as in GS2Mesh. */
    STEREO,
    /** The splats' own alpha-blended depth from the renderer: the baseline. */
    RENDERED
}
