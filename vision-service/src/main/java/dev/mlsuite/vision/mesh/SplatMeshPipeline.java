package dev.mlsuite.vision.mesh;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mlsuite.vision.splat.Camera;
import dev.mlsuite.vision.splat.GaussianRenderer;
import dev.mlsuite.vision.splat.GaussianScene;
import dev.mlsuite.vision.splat.RenderedView;
import dev.mlsuite.vision.splat.SceneBounds;
import dev.mlsuite.vision.splat.StereoPair;
import dev.mlsuite.vision.splat.Vectors;
import dev.mlsuite.vision.splat.ViewPlanner;
import dev.mlsuite.vision.stereo.DisparityMap;
import dev.mlsuite.vision.stereo.GrayImage;
import dev.mlsuite.vision.stereo.SemiGlobalMatcher;
import dev.mlsuite.vision.stereo.StereoMatcher;

/**
 * Reconstructs a coloured triangle mesh from a Gaussian splatting scene in the manner of GS2Mesh
 * ("Surface Reconstruction from Gaussian Splatting via Novel Stereo Views"). For each view it
 * renders a rectified stereo pair and matches it to get depth. The depths are fused in a TSDF
 * volume, the surface is extracted with marching cubes and small components are dropped. With
 * {@link DepthSource#RENDERED} the splats' alpha-blended depth replaces stereo matching, which is
 * the baseline the method is compared with.
 */
public final class SplatMeshPipeline {

    private static final Logger log = LoggerFactory.getLogger(SplatMeshPipeline.class);

    /** Pipeline stage names, as reported to {@link ProgressListener} and in {@link MeshResult#stageMillis()}. */
    public static final String STAGE_VIEWS = "views";
    public static final String STAGE_RENDER = "render";
    public static final String STAGE_STEREO = "stereo";
    public static final String STAGE_FUSE = "fuse";
    public static final String STAGE_EXTRACT = "extract";
    public static final String STAGE_CLEANUP = "cleanup";
    public static final String STAGE_PREVIEW = "preview";

    private final ForkJoinPool pool;

    public SplatMeshPipeline(ForkJoinPool pool) {
        this.pool = pool;
    }

    /**
     * Runs the reconstruction. {@code suppliedCameras} may be null or empty, in which case views are
     * generated around the scene.
     */
    public MeshResult reconstruct(GaussianScene scene, List<Camera> suppliedCameras, MeshParameters parameters,
            ProgressListener progress) {
        Map<String, Long> stageMillis = new LinkedHashMap<>();
        for (String stage : List.of(STAGE_VIEWS, STAGE_RENDER, STAGE_STEREO, STAGE_FUSE, STAGE_EXTRACT, STAGE_CLEANUP,
                STAGE_PREVIEW)) {
            stageMillis.put(stage, 0L);
        }

        long start = System.nanoTime();
        progress.onProgress(STAGE_VIEWS, 0);
        SceneBounds bounds = SceneBounds.of(scene);
        List<Camera> cameras = planViews(bounds, suppliedCameras, parameters);
        double baseline = parameters.baselineFraction() * Math.max(cameraRigRadius(cameras), bounds.radius());
        VoxelGrid grid = gridFor(bounds, parameters);
        TsdfVolume volume = runStage(STAGE_VIEWS, () -> new TsdfVolume(grid,
                parameters.truncationVoxels() * grid.voxelSize()));
        stageMillis.merge(STAGE_VIEWS, elapsedMillis(start), Long::sum);
        progress.onProgress(STAGE_VIEWS, 1);
        log.info("Reconstructing {} Gaussians from {} views ({} depth), grid {}x{}x{} at voxel {}", scene.count(),
                cameras.size(), parameters.depthSource(), grid.sizeX(), grid.sizeY(), grid.sizeZ(), grid.voxelSize());

        GaussianRenderer renderer = new GaussianRenderer(pool);
        StereoMatcher matcher = new SemiGlobalMatcher(parameters.sgm(), pool);
        double nearPlane = 0.01 * bounds.radius();
        double minDepth = parameters.minDepthBaselines() * baseline;
        double maxDepth = parameters.maxDepthBaselines() * baseline;
        long foreground = 0;
        long fused = 0;
        for (int v = 0; v < cameras.size(); v++) {
            checkCancelled();
            StereoPair pair = StereoPair.withRightTwin(cameras.get(v), baseline);

            start = System.nanoTime();
            RenderedView left = runStage(STAGE_RENDER, () -> renderer.render(scene, pair.left(), nearPlane));
            RenderedView right = parameters.depthSource() == DepthSource.STEREO
                    ? runStage(STAGE_RENDER, () -> renderer.render(scene, pair.right(), nearPlane))
                    : null;
            stageMillis.merge(STAGE_RENDER, elapsedMillis(start), Long::sum);
            progress.onProgress(STAGE_RENDER, (v + 1.0) / cameras.size());

            start = System.nanoTime();
            float[] depth = runStage(STAGE_STEREO, () -> depthFor(left, right, pair, matcher, parameters, minDepth,
                    maxDepth));
            stageMillis.merge(STAGE_STEREO, elapsedMillis(start), Long::sum);
            progress.onProgress(STAGE_STEREO, (v + 1.0) / cameras.size());

            for (int i = 0; i < depth.length; i++) {
                if (left.alpha()[i] >= parameters.alphaThreshold()) {
                    foreground++;
                    if (!Float.isNaN(depth[i]) && depth[i] >= minDepth && depth[i] <= maxDepth) {
                        fused++;
                    }
                }
            }

            start = System.nanoTime();
            runStage(STAGE_FUSE, () -> {
                volume.integrate(depth, left.rgb(), pair.left(), minDepth, maxDepth, pool);
                return null;
            });
            stageMillis.merge(STAGE_FUSE, elapsedMillis(start), Long::sum);
            progress.onProgress(STAGE_FUSE, (v + 1.0) / cameras.size());
        }

        checkCancelled();
        start = System.nanoTime();
        TriangleMesh raw = runStage(STAGE_EXTRACT, () -> MarchingCubes.extract(volume));
        stageMillis.merge(STAGE_EXTRACT, elapsedMillis(start), Long::sum);
        progress.onProgress(STAGE_EXTRACT, 1);

        start = System.nanoTime();
        TriangleMesh mesh = runStage(STAGE_CLEANUP,
                () -> MeshCleanup.removeSmallComponents(raw, parameters.minComponentFraction()));
        stageMillis.merge(STAGE_CLEANUP, elapsedMillis(start), Long::sum);
        progress.onProgress(STAGE_CLEANUP, 1);
        if (mesh.faceCount() == 0) {
            throw new ReconstructionException(STAGE_EXTRACT, "the fused volume contains no surface; "
                    + "check that the views see the scene (valid depth fraction "
                    + String.format(java.util.Locale.ROOT, "%.3f", fused / (double) Math.max(1, foreground)) + ")",
                    null);
        }

        start = System.nanoTime();
        Camera previewCamera = ViewPlanner.preview(bounds, parameters.cameraDistanceRadii() + 0.6,
                parameters.imageWidth(), parameters.imageHeight(), parameters.upAxis());
        float[] splatPreview = renderer.render(scene, previewCamera, nearPlane).rgb();
        float[] meshPreview = MeshRasterizer.render(mesh, previewCamera).rgb();
        stageMillis.merge(STAGE_PREVIEW, elapsedMillis(start), Long::sum);
        progress.onProgress(STAGE_PREVIEW, 1);

        double validFraction = fused / (double) Math.max(1, foreground);
        log.info("Reconstructed mesh: {} vertices, {} faces (raw {} faces), valid depth {}, stages {} ms",
                mesh.vertexCount(), mesh.faceCount(), raw.faceCount(),
                String.format(java.util.Locale.ROOT, "%.3f", validFraction), stageMillis);
        return new MeshResult(mesh, bounds, grid, scene.count(), cameras.size(), validFraction, stageMillis,
                previewCamera, splatPreview, meshPreview);
    }

    /** Returns the supplied cameras, evenly subsampled and rescaled, or generated views. */
    static List<Camera> planViews(SceneBounds bounds, List<Camera> suppliedCameras, MeshParameters parameters) {
        if (suppliedCameras == null || suppliedCameras.isEmpty()) {
            return ViewPlanner.around(bounds, parameters.viewCount(), parameters.cameraDistanceRadii(),
                    parameters.imageWidth(), parameters.imageHeight(), parameters.upAxis());
        }
        List<Camera> selected = new ArrayList<>();
        int count = Math.min(parameters.viewCount(), suppliedCameras.size());
        for (int k = 0; k < count; k++) {
            Camera camera = suppliedCameras.get((int) ((long) k * suppliedCameras.size() / count));
            selected.add(camera.resized(parameters.imageWidth()));
        }
        return selected;
    }

    /**
     * Returns the scene radius as 3D Gaussian Splatting training defines it: 1.1 times the largest
     * distance of a camera centre from the mean of all centres. The stereo baseline is a fraction of
     * it, so the default depth range of 4 to 20 baselines spans the distances at which the cameras
     * see the scene.
     */
    static double cameraRigRadius(List<Camera> cameras) {
        double[] mean = new double[3];
        for (Camera camera : cameras) {
            double[] centre = camera.centre();
            for (int axis = 0; axis < 3; axis++) {
                mean[axis] += centre[axis] / cameras.size();
            }
        }
        double largest = 0;
        for (Camera camera : cameras) {
            largest = Math.max(largest, Vectors.norm(Vectors.subtract(camera.centre(), mean)));
        }
        return 1.1 * largest;
    }

    static VoxelGrid gridFor(SceneBounds bounds, MeshParameters parameters) {
        double margin = 0.05 * bounds.radius();
        double[] boxMin = new double[3];
        double[] boxMax = new double[3];
        for (int axis = 0; axis < 3; axis++) {
            boxMin[axis] = Math.max(bounds.boxMin()[axis], bounds.centre()[axis] - bounds.radius()) - margin;
            boxMax[axis] = Math.min(bounds.boxMax()[axis], bounds.centre()[axis] + bounds.radius()) + margin;
        }
        return VoxelGrid.covering(boxMin, boxMax, parameters.voxelResolution());
    }

    private static float[] depthFor(RenderedView left, RenderedView right, StereoPair pair, StereoMatcher matcher,
            MeshParameters parameters, double minDepth, double maxDepth) {
        float alphaThreshold = (float) parameters.alphaThreshold();
        if (parameters.depthSource() == DepthSource.RENDERED) {
            return left.expectedDepth(Math.max(alphaThreshold, 1e-3f));
        }
        Camera camera = pair.left();
        double focalBaseline = camera.fx() * pair.baseline();
        int minDisparity = (int) Math.floor(focalBaseline / maxDepth);
        int maxDisparity = (int) Math.ceil(focalBaseline / minDepth);
        int disparityCount = Math.max(2, Math.min(MeshParameters.MAX_DISPARITY_COUNT, maxDisparity - minDisparity + 1));
        DisparityMap disparity = matcher.match(new GrayImage(left.width(), left.height(), left.luminance()),
                new GrayImage(right.width(), right.height(), right.luminance()), minDisparity, disparityCount);
        float[] depth = disparity.toDepth(camera.fx(), pair.baseline());
        for (int i = 0; i < depth.length; i++) {
            if (left.alpha()[i] < alphaThreshold) {
                depth[i] = Float.NaN;
            }
        }
        return depth;
    }

    private static void checkCancelled() {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("Reconstruction cancelled");
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private interface StageWork<T> {
        T run();
    }

    private static <T> T runStage(String stage, StageWork<T> work) {
        try {
            return work.run();
        } catch (CancellationException | ReconstructionException e) {
            throw e;
        } catch (OutOfMemoryError e) {
            throw new ReconstructionException(stage, "out of memory; lower imageWidth, voxelResolution or the "
                    + "number of Gaussians", e);
        } catch (RuntimeException e) {
            throw new ReconstructionException(stage, String.valueOf(e.getMessage()), e);
        }
    }
}
