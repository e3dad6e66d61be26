package dev.mlsuite.vision.splat.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.mlsuite.platform.web.ApiException;
import dev.mlsuite.vision.mesh.DepthSource;
import dev.mlsuite.vision.mesh.MeshParameters;
import dev.mlsuite.vision.stereo.SgmParameters;

/**
 * Optional reconstruction settings of {@code POST /v1/meshes}, sent as multipart form fields; a
 * missing field takes the default of {@link MeshParameters#DEFAULTS}. Stored as the job's
 * parameters JSON.
 *
 * @param depth {@code stereo} (stereo matching of rendered pairs) or {@code rendered} (the splats' own depth)
 * @param views number of generated views, or the maximum number of supplied cameras used
 * @param imageWidth width of rendered views in pixels
 * @param imageHeight height of generated views in pixels
 * @param voxelResolution voxels along the longest side of the scene box
 * @param baselineFraction stereo baseline as a fraction of the camera rig radius (see {@link MeshParameters})
 * @param truncationVoxels TSDF truncation distance in voxels
 * @param upAxis world up direction of generated views as {@code x}, {@code y}, {@code z}, {@code -x},
 *     {@code -y} or {@code -z}
 */
public record MeshRequest(String depth, Integer views, Integer imageWidth, Integer imageHeight,
        Integer voxelResolution, Double baselineFraction, Double truncationVoxels, String upAxis) {

    /** Checks the fields against the defaults' ranges and the service limits, and builds the parameters. */
    public MeshParameters toParameters(MeshProperties limits) {
        MeshParameters defaults = MeshParameters.DEFAULTS;
        DepthSource source = parseDepth();
        int width = imageWidth != null ? imageWidth : defaults.imageWidth();
        int height = imageHeight != null ? imageHeight : defaults.imageHeight();
        if ((long) width * height > limits.maxImagePixels()) {
            throw ApiException.badRequest("invalid-parameter", "imageWidth x imageHeight = " + (long) width * height
                    + " pixels is above the limit of " + limits.maxImagePixels() + ".", width + "x" + height,
                    "Request smaller views or raise vision.meshes.max-image-pixels.");
        }
        int resolution = voxelResolution != null ? voxelResolution : defaults.voxelResolution();
        if (resolution > limits.maxVoxelResolution()) {
            throw ApiException.badRequest("invalid-parameter", "voxelResolution " + resolution
                    + " is above the limit of " + limits.maxVoxelResolution() + ".", resolution,
                    "Request at most " + limits.maxVoxelResolution() + " voxels per side.");
        }
        try {
            return new MeshParameters(source, views != null ? views : defaults.viewCount(), width, height,
                    defaults.cameraDistanceRadii(), baselineFraction != null ? baselineFraction : defaults.baselineFraction(),
                    defaults.minDepthBaselines(), defaults.maxDepthBaselines(), resolution,
                    truncationVoxels != null ? truncationVoxels : defaults.truncationVoxels(), defaults.alphaThreshold(),
                    defaults.minComponentFraction(), parseUpAxis(), SgmParameters.DEFAULTS);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-parameter", e.getMessage() + ".", null,
                    "Correct the parameter; omit it to use the default.");
        }
    }

    private DepthSource parseDepth() {
        if (depth == null) {
            return MeshParameters.DEFAULTS.depthSource();
        }
        try {
            return DepthSource.valueOf(depth.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest("invalid-parameter", "depth must be 'stereo' or 'rendered', got '" + depth
                    + "'.", depth, "Send depth=stereo or depth=rendered.");
        }
    }

    private double[] parseUpAxis() {
        if (upAxis == null) {
            return MeshParameters.DEFAULTS.upAxis();
        }
        List<String> names = new ArrayList<>(List.of("x", "y", "z"));
        String axis = upAxis.strip().toLowerCase(Locale.ROOT);
        double sign = axis.startsWith("-") ? -1 : 1;
        int index = names.indexOf(axis.replace("-", "").replace("+", ""));
        if (index < 0) {
            throw ApiException.badRequest("invalid-parameter", "upAxis must be one of x, y, z, -x, -y, -z, got '"
                    + upAxis + "'.", upAxis, "Send the world axis that points up in the scene, e.g. upAxis=z.");
        }
        double[] up = new double[3];
        up[index] = sign;
        return up;
    }
}
