package dev.mlsuite.vision.mesh.eval;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;

import dev.mlsuite.vision.mesh.DepthSource;
import dev.mlsuite.vision.mesh.MeshParameters;
import dev.mlsuite.vision.mesh.MeshRasterizer;
import dev.mlsuite.vision.mesh.MeshResult;
import dev.mlsuite.vision.mesh.MeshWriter;
import dev.mlsuite.vision.mesh.PreviewImages;
import dev.mlsuite.vision.mesh.ProgressListener;
import dev.mlsuite.vision.mesh.SplatMeshPipeline;
import dev.mlsuite.vision.mesh.TriangleMesh;
import dev.mlsuite.vision.splat.Camera;
import dev.mlsuite.vision.splat.GaussianPlyReader;
import dev.mlsuite.vision.splat.GaussianRenderer;
import dev.mlsuite.vision.splat.GaussianScene;
import dev.mlsuite.vision.splat.RenderedView;
import dev.mlsuite.vision.splat.SceneBounds;
import dev.mlsuite.vision.splat.ViewPlanner;

/**
 * Evaluation command of the splat-to-mesh pipeline. On synthetic scenes (Gaussians on a sphere, a
 * torus and a box) it reports exact Chamfer distance and F-score against the analytic surface for
 * stereo fusion and for the rendered-depth baseline. On the real donut scene, which has no ground
 * truth, it reports mesh statistics, stage timings, the distance between the two meshes and how well
 * each mesh's depth agrees with the splats' rendered depth in held-out views. It writes a Markdown
 * table to standard output and meshes and preview PNGs to the output folder.
 *
 * <p>Usage: {@code SplatMeshEvaluation <data-folder> <output-folder> [--quick]}, where the data
 * folder contains {@code splats/donut/point_cloud.ply}.
 */
public final class SplatMeshEvaluation {

    private static final long SEED = 7;
    private static final int HELD_OUT_VIEWS = 8;

    private final Path outputFolder;
    private final boolean quick;
    private final PrintStream out;
    private final ForkJoinPool pool = ForkJoinPool.commonPool();

    private SplatMeshEvaluation(Path outputFolder, boolean quick, PrintStream out) {
        this.outputFolder = outputFolder;
        this.quick = quick;
        this.out = out;
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("Usage: SplatMeshEvaluation <data-folder> <output-folder> [--quick]");
            System.exit(2);
        }
        Path data = Path.of(args[0]);
        Path output = Path.of(args[1]);
        boolean quick = Arrays.asList(args).contains("--quick");
        Files.createDirectories(output);
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        SplatMeshEvaluation evaluation = new SplatMeshEvaluation(output, quick, stdout);
        evaluation.evaluateSynthetic();
        evaluation.evaluateDonut(data.resolve("splats/donut/point_cloud.ply"));
    }

    private MeshParameters parameters() {
        return quick ? MeshParameters.DEFAULTS.withViews(12, 320, 240).withVoxelResolution(96) : MeshParameters.DEFAULTS;
    }

    private void evaluateSynthetic() throws IOException {
        int gaussians = quick ? 20_000 : 60_000;
        int samples = quick ? 20_000 : 100_000;
        out.printf(Locale.ROOT, "## Synthetic scenes (%d Gaussians each, %d sample points per direction)%n%n",
                gaussians, samples);
        out.println("| shape | depth | vertices | faces | Chamfer | Chamfer / diameter | accuracy | completeness "
                + "| F-score @1% diameter | time (s) |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (SyntheticShape shape : SyntheticShape.values()) {
            GaussianScene scene = SyntheticScenes.create(shape, gaussians, SEED);
            double diameter = shape.diameter();
            for (DepthSource source : DepthSource.values()) {
                MeshResult result = new SplatMeshPipeline(pool).reconstruct(scene, null,
                        parameters().withDepthSource(source), ProgressListener.NONE);
                SurfaceMetrics metrics = SurfaceMetrics.compare(result.mesh(), shape, samples, 0.01 * diameter, SEED);
                out.printf(Locale.ROOT, "| %s | %s | %d | %d | %.5f | %.3f%% | %.5f | %.5f | %.3f | %.1f |%n",
                        shape.name().toLowerCase(Locale.ROOT), source.name().toLowerCase(Locale.ROOT),
                        result.mesh().vertexCount(), result.mesh().faceCount(), metrics.chamfer(),
                        100 * metrics.chamfer() / diameter, metrics.accuracy(), metrics.completeness(),
                        metrics.fScore(), result.totalMillis() / 1000.0);
                save(result, shape.name().toLowerCase(Locale.ROOT) + "-" + source.name().toLowerCase(Locale.ROOT));
            }
        }
        out.println();
    }

    private void evaluateDonut(Path splatFile) throws IOException {
        GaussianScene scene = new GaussianPlyReader().read(splatFile);
        SceneBounds bounds = SceneBounds.of(scene);
        out.printf(Locale.ROOT, "## Donut (%d Gaussians, robust diameter %.4f)%n%n", scene.count(), bounds.diameter());
        out.println("| depth | vertices | faces | boundary edges | held-out depth error (median / diameter) "
                + "| held-out coverage | total (s) | stage times (ms) |");
        out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        List<TriangleMesh> meshes = new ArrayList<>();
        for (DepthSource source : DepthSource.values()) {
            MeshResult result = new SplatMeshPipeline(pool).reconstruct(scene, null,
                    parameters().withDepthSource(source), ProgressListener.NONE);
            double[] agreement = heldOutAgreement(scene, bounds, result.mesh());
            long[] edges = result.mesh().edgeUseCounts();
            out.printf(Locale.ROOT, "| %s | %d | %d | %d | %.3f%% | %.3f | %.1f | %s |%n",
                    source.name().toLowerCase(Locale.ROOT), result.mesh().vertexCount(), result.mesh().faceCount(),
                    edges[0], 100 * agreement[0] / bounds.diameter(), agreement[1], result.totalMillis() / 1000.0,
                    result.stageMillis());
            save(result, "donut-" + source.name().toLowerCase(Locale.ROOT));
            meshes.add(result.mesh());
        }
        double[] between = meshToMesh(meshes.get(0), meshes.get(1), quick ? 20_000 : 100_000);
        out.printf(Locale.ROOT, "%nStereo mesh to baseline mesh: mean %.3f%% of the diameter, "
                + "stereo-to-baseline %.3f%%, baseline-to-stereo %.3f%%.%n", 100 * (between[0] + between[1]) / 2
                / bounds.diameter(), 100 * between[0] / bounds.diameter(), 100 * between[1] / bounds.diameter());
    }

    /**
     * Renders held-out views that were not used for fusion and returns the median absolute
     * difference between the mesh depth and the splats' alpha-blended depth, and the fraction of
     * splat foreground pixels (opacity at least 0.5) that the mesh covers.
     */
    private double[] heldOutAgreement(GaussianScene scene, SceneBounds bounds, TriangleMesh mesh) {
        MeshParameters parameters = parameters();
        List<Camera> cameras = ViewPlanner.around(bounds, HELD_OUT_VIEWS, parameters.cameraDistanceRadii() + 0.35,
                parameters.imageWidth(), parameters.imageHeight(), new double[] {0.3, 0.2, 1});
        GaussianRenderer renderer = new GaussianRenderer(pool);
        List<Float> differences = new ArrayList<>();
        long foreground = 0;
        long covered = 0;
        for (Camera camera : cameras) {
            RenderedView view = renderer.render(scene, camera, 0.01 * bounds.radius());
            float[] splatDepth = view.expectedDepth(0.5f);
            float[] meshDepth = MeshRasterizer.render(mesh, camera).depth();
            for (int i = 0; i < splatDepth.length; i++) {
                if (Float.isNaN(splatDepth[i])) {
                    continue;
                }
                foreground++;
                if (!Float.isNaN(meshDepth[i])) {
                    covered++;
                    differences.add(Math.abs(meshDepth[i] - splatDepth[i]));
                }
            }
        }
        float[] sorted = new float[differences.size()];
        for (int k = 0; k < sorted.length; k++) {
            sorted[k] = differences.get(k);
        }
        Arrays.sort(sorted);
        double median = sorted.length == 0 ? Double.NaN : sorted[sorted.length / 2];
        return new double[] {median, covered / (double) Math.max(1, foreground)};
    }

    /** Returns the mean distance from samples on {@code a} to {@code b} and from samples on {@code b} to {@code a}. */
    private static double[] meshToMesh(TriangleMesh a, TriangleMesh b, int samples) {
        return new double[] {meanDistance(a, new TriangleDistanceIndex(b), samples),
            meanDistance(b, new TriangleDistanceIndex(a), samples)};
    }

    private static double meanDistance(TriangleMesh from, TriangleDistanceIndex to, int samples) {
        double[] points = SurfaceMetrics.samplePoints(from, samples, new Random(SEED));
        double sum = 0;
        for (int s = 0; s < samples; s++) {
            sum += to.distance(points[3 * s], points[3 * s + 1], points[3 * s + 2]);
        }
        return sum / samples;
    }

    private void save(MeshResult result, String name) throws IOException {
        try (OutputStream stream = Files.newOutputStream(outputFolder.resolve(name + ".ply"))) {
            MeshWriter.writePly(result.mesh(), stream);
        }
        Camera preview = result.previewCamera();
        try (OutputStream stream = Files.newOutputStream(outputFolder.resolve(name + "-splats.png"))) {
            PreviewImages.writePng(result.splatPreview(), preview.width(), preview.height(), stream);
        }
        try (OutputStream stream = Files.newOutputStream(outputFolder.resolve(name + "-mesh.png"))) {
            PreviewImages.writePng(result.meshPreview(), preview.width(), preview.height(), stream);
        }
    }
}
