package dev.mlsuite.vision.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mlsuite.vision.mesh.eval.SurfaceMetrics;
import dev.mlsuite.vision.mesh.eval.SyntheticScenes;
import dev.mlsuite.vision.mesh.eval.SyntheticShape;
import dev.mlsuite.vision.splat.GaussianPlyReader;
import dev.mlsuite.vision.splat.Camera;
import dev.mlsuite.vision.splat.GaussianScene;
import dev.mlsuite.vision.splat.SceneBounds;
import dev.mlsuite.vision.splat.ViewPlanner;

class SplatMeshPipelineTest {

    private static final Path DONUT = Path.of("../samples/splats/donut/point_cloud.ply");
    private static ForkJoinPool pool;

    @BeforeAll
    static void startPool() {
        pool = new ForkJoinPool(2);
    }

    @AfterAll
    static void stopPool() {
        pool.shutdown();
    }

    private static MeshParameters reduced() {
        return MeshParameters.DEFAULTS.withViews(10, 256, 192).withVoxelResolution(64);
    }

    @Test
    void donutMeshFitsSplatBounds() throws IOException {
        GaussianScene scene = new GaussianPlyReader().read(DONUT);

        MeshResult result = new SplatMeshPipeline(pool).reconstruct(scene, null, reduced(), ProgressListener.NONE);

        TriangleMesh mesh = result.mesh();
        assertThat(mesh.vertexCount()).isBetween(2_000, 200_000);
        assertThat(MeshCleanup.componentCount(mesh)).isLessThanOrEqualTo(3);
        assertThat(result.validDepthFraction()).isGreaterThan(0.5);

        double[] splatBox = positionBounds(scene);
        double[] meshBox = mesh.bounds();
        double tolerance = 2 * result.grid().voxelSize();
        for (int axis = 0; axis < 3; axis++) {
            assertThat(meshBox[axis]).as("mesh min on axis %d", axis).isGreaterThan(splatBox[axis] - tolerance);
            assertThat(meshBox[axis + 3]).as("mesh max on axis %d", axis).isLessThan(splatBox[axis + 3] + tolerance);
            // The donut spans most of the splat box; a mesh of a fragment would not.
            assertThat(meshBox[axis + 3] - meshBox[axis]).as("mesh extent on axis %d", axis)
                    .isGreaterThan(0.7 * (splatBox[axis + 3] - splatBox[axis]));
        }

        long[] edges = mesh.edgeUseCounts();
        long allEdges = edges[0] + edges[1] + edges[2];
        assertThat(edges[0]).as("boundary edges").isLessThan(allEdges / 10);
        assertThat(edges[2]).as("non-manifold edges").isZero();
        assertThat(result.stageMillis()).containsKeys(SplatMeshPipeline.STAGE_RENDER, SplatMeshPipeline.STAGE_STEREO,
                SplatMeshPipeline.STAGE_FUSE, SplatMeshPipeline.STAGE_EXTRACT);
        assertThat(countLitPixels(result.meshPreview())).isGreaterThan(result.meshPreview().length / 3 / 20);
    }

    @Test
    void stereoMeshOfTorusIsCloseToTruth() {
        GaussianScene scene = SyntheticScenes.create(SyntheticShape.TORUS, 15_000, 3);

        MeshResult result = new SplatMeshPipeline(pool).reconstruct(scene, null, reduced(), ProgressListener.NONE);

        // Diameter of the torus is 2.8; 1.5% of it is about one voxel at this reduced resolution.
        SurfaceMetrics metrics = SurfaceMetrics.compare(result.mesh(), SyntheticShape.TORUS, 5_000, 0.028, 1);
        assertThat(metrics.chamfer()).isLessThan(0.015 * 2.8);
        assertThat(metrics.fScore()).isGreaterThan(0.7);
    }

    @Test
    void suppliedDistantCamerasSetBaseline() {
        GaussianScene scene = SyntheticScenes.create(SyntheticShape.TORUS, 15_000, 5);
        // Training-style cameras far outside the object: depths of 2 to 4 object radii would all lie
        // beyond 20 baselines if the baseline followed the object radius instead of the camera rig.
        List<Camera> cameras = ViewPlanner.around(SceneBounds.of(scene), 10, 3.0, 320, 240, new double[] {0, 0, 1});

        MeshResult result = new SplatMeshPipeline(pool).reconstruct(scene, cameras, reduced(), ProgressListener.NONE);

        assertThat(result.viewCount()).isEqualTo(10);
        SurfaceMetrics metrics = SurfaceMetrics.compare(result.mesh(), SyntheticShape.TORUS, 5_000, 0.028, 1);
        assertThat(metrics.chamfer()).isLessThan(0.015 * 2.8);
        assertThat(metrics.fScore()).isGreaterThan(0.7);
    }

    @Test
    void listenerCancelsRun() {
        GaussianScene scene = SyntheticScenes.create(SyntheticShape.SPHERE, 2_000, 3);
        ProgressListener cancelling = (stage, fraction) -> {
            if (stage.equals(SplatMeshPipeline.STAGE_RENDER)) {
                throw new CancellationException("cancelled by test");
            }
        };

        assertThatThrownBy(() -> new SplatMeshPipeline(pool).reconstruct(scene, null, reduced(), cancelling))
                .isInstanceOf(CancellationException.class);
    }

    private static double[] positionBounds(GaussianScene scene) {
        double[] box = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, -Double.MAX_VALUE,
            -Double.MAX_VALUE};
        float[] positions = scene.positions();
        for (int i = 0; i < scene.count(); i++) {
            for (int axis = 0; axis < 3; axis++) {
                box[axis] = Math.min(box[axis], positions[3 * i + axis]);
                box[axis + 3] = Math.max(box[axis + 3], positions[3 * i + axis]);
            }
        }
        return box;
    }

    private static int countLitPixels(float[] rgb) {
        int lit = 0;
        for (int p = 0; p < rgb.length; p += 3) {
            lit += rgb[p] + rgb[p + 1] + rgb[p + 2] > 0.05f ? 1 : 0;
        }
        return lit;
    }
}
