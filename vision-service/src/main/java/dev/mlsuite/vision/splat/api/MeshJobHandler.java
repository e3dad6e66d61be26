package dev.mlsuite.vision.splat.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

import dev.mlsuite.platform.jobs.JobContext;
import dev.mlsuite.platform.jobs.JobHandler;
import dev.mlsuite.vision.mesh.MeshParameters;
import dev.mlsuite.vision.mesh.MeshResult;
import dev.mlsuite.vision.mesh.MeshWriter;
import dev.mlsuite.vision.mesh.PreviewImages;
import dev.mlsuite.vision.mesh.ReconstructionException;
import dev.mlsuite.vision.mesh.SplatMeshPipeline;
import dev.mlsuite.vision.splat.Camera;
import dev.mlsuite.vision.splat.CamerasJsonReader;
import dev.mlsuite.vision.splat.GaussianPlyReader;
import dev.mlsuite.vision.splat.GaussianScene;

/**
 * Runs a mesh reconstruction job: reads the uploaded splat (and cameras), runs
 * {@link SplatMeshPipeline} and writes the mesh as PLY and OBJ, two preview PNGs, {@code summary.json}
 * and a per-stage {@code progress.json}. A failure names the stage in the job's error.
 */
@Component
public class MeshJobHandler implements JobHandler {

    public static final String TYPE = "mesh-reconstruction";
    static final String SPLAT_INPUT = "splat.ply";
    static final String CAMERAS_INPUT = "cameras.json";
    static final String MESH_PLY = "mesh.ply";
    static final String MESH_OBJ = "mesh.obj";
    static final String SPLAT_PREVIEW = "splats.png";
    static final String MESH_PREVIEW = "mesh.png";
    static final String SUMMARY = "summary.json";
    static final String PROGRESS = "progress.json";
    static final String STAGE_READ = "read";
    static final String STAGE_WRITE = "write";

    /** Share of the job's total progress per stage, in pipeline order; an estimate from donut runs. */
    static final Map<String, Double> STAGE_WEIGHTS = stageWeights();

    private static final Logger log = LoggerFactory.getLogger(MeshJobHandler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final SplatMeshPipeline pipeline;
    private final MeshProperties properties;

    public MeshJobHandler(SplatMeshPipeline pipeline, MeshProperties properties) {
        this.pipeline = pipeline;
        this.properties = properties;
    }

    private static Map<String, Double> stageWeights() {
        Map<String, Double> weights = new LinkedHashMap<>();
        weights.put(STAGE_READ, 0.02);
        weights.put(SplatMeshPipeline.STAGE_VIEWS, 0.01);
        weights.put(SplatMeshPipeline.STAGE_RENDER, 0.45);
        weights.put(SplatMeshPipeline.STAGE_STEREO, 0.35);
        weights.put(SplatMeshPipeline.STAGE_FUSE, 0.05);
        weights.put(SplatMeshPipeline.STAGE_EXTRACT, 0.03);
        weights.put(SplatMeshPipeline.STAGE_CLEANUP, 0.01);
        weights.put(SplatMeshPipeline.STAGE_PREVIEW, 0.03);
        weights.put(STAGE_WRITE, 0.05);
        return Map.copyOf(weights);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public String run(JobContext context) throws IOException {
        StageProgress progress = new StageProgress(context);
        MeshRequest request = JSON.readValue(context.parameters(), MeshRequest.class);
        MeshParameters parameters = request.toParameters(properties);

        long start = System.nanoTime();
        GaussianScene scene = readScene(context.inputDirectory().resolve(SPLAT_INPUT));
        List<Camera> cameras = readCameras(context.inputDirectory().resolve(CAMERAS_INPUT));
        long readMillis = (System.nanoTime() - start) / 1_000_000;
        progress.onProgress(STAGE_READ, 1);

        MeshResult result = pipeline.reconstruct(scene, cameras, parameters, progress);

        start = System.nanoTime();
        writeArtifacts(context.workDirectory(), result, parameters, readMillis);
        progress.onProgress(STAGE_WRITE, 1);
        log.info("Mesh job {} wrote {} vertices and {} faces in {} ms", context.jobId(), result.mesh().vertexCount(),
                result.mesh().faceCount(), readMillis + result.totalMillis() + (System.nanoTime() - start) / 1_000_000);
        return MESH_PLY;
    }

    private GaussianScene readScene(Path file) throws IOException {
        try {
            return new GaussianPlyReader(properties.maxGaussians()).read(file);
        } catch (IOException e) {
            throw new ReconstructionException(STAGE_READ, e.getMessage(), e);
        }
    }

    private List<Camera> readCameras(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return new CamerasJsonReader(properties.maxCameras()).read(in);
        } catch (IllegalArgumentException e) {
            throw new ReconstructionException(STAGE_READ, e.getMessage(), e);
        }
    }

    private static void writeArtifacts(Path work, MeshResult result, MeshParameters parameters, long readMillis)
            throws IOException {
        try (OutputStream out = Files.newOutputStream(work.resolve(MESH_PLY))) {
            MeshWriter.writePly(result.mesh(), out);
        }
        try (OutputStream out = Files.newOutputStream(work.resolve(MESH_OBJ))) {
            MeshWriter.writeObj(result.mesh(), out);
        }
        Camera preview = result.previewCamera();
        try (OutputStream out = Files.newOutputStream(work.resolve(SPLAT_PREVIEW))) {
            PreviewImages.writePng(result.splatPreview(), preview.width(), preview.height(), out);
        }
        try (OutputStream out = Files.newOutputStream(work.resolve(MESH_PREVIEW))) {
            PreviewImages.writePng(result.meshPreview(), preview.width(), preview.height(), out);
        }

        double[] bounds = result.mesh().bounds();
        Map<String, Long> stageMillis = new LinkedHashMap<>();
        stageMillis.put(STAGE_READ, readMillis);
        stageMillis.putAll(result.stageMillis());
        MeshSummary summary = new MeshSummary(result.gaussianCount(), result.viewCount(),
                parameters.depthSource().name().toLowerCase(Locale.ROOT), result.mesh().vertexCount(),
                result.mesh().faceCount(), result.mesh().edgeUseCounts()[0], result.validDepthFraction(),
                result.bounds().radius(), result.grid().voxelSize(), new double[] {bounds[0], bounds[1], bounds[2]},
                new double[] {bounds[3], bounds[4], bounds[5]}, stageMillis,
                readMillis + result.totalMillis());
        JSON.writeValue(work.resolve(SUMMARY).toFile(), summary);
    }

    /**
     * Tracks the fraction done per stage, reports the weighted total to the job and keeps
     * {@code progress.json} current so that status requests can show each stage.
     */
    private static final class StageProgress implements dev.mlsuite.vision.mesh.ProgressListener {
        private static final long WRITE_INTERVAL_NANOS = 500_000_000L;
        private final JobContext context;
        private final Map<String, Double> stages = new LinkedHashMap<>();
        private long lastWrite;

        StageProgress(JobContext context) {
            this.context = context;
            for (String stage : STAGE_WEIGHTS.keySet()) {
                stages.put(stage, 0.0);
            }
        }

        @Override
        public void onProgress(String stage, double fraction) {
            stages.put(stage, Math.max(0, Math.min(1, fraction)));
            double total = 0;
            for (Map.Entry<String, Double> entry : stages.entrySet()) {
                total += STAGE_WEIGHTS.getOrDefault(entry.getKey(), 0.0) * entry.getValue();
            }
            long now = System.nanoTime();
            if (fraction >= 1 || now - lastWrite > WRITE_INTERVAL_NANOS) {
                lastWrite = now;
                writeStages();
            }
            context.reportProgress(Math.min(0.99, total));
        }

        private void writeStages() {
            Path target = context.workDirectory().resolve(PROGRESS);
            Path temporary = context.workDirectory().resolve(PROGRESS + ".tmp");
            try {
                JSON.writeValue(temporary.toFile(), Map.of("stages", stages));
                Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException | RuntimeException e) {
                log.warn("Mesh job {}: failed to write {}: {}", context.jobId(), PROGRESS, e.toString());
            }
        }
    }
}
