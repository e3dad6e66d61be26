package dev.mlsuite.vision.mesh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mlsuite.vision.splat.Camera;
import dev.mlsuite.vision.splat.CamerasJsonReader;
import dev.mlsuite.vision.splat.GaussianPlyReader;
import dev.mlsuite.vision.splat.GaussianScene;

/**
 * Command-line reconstruction of one scene, for benchmarks and offline use.
 *
 * <p>Usage: {@code SplatMeshCommand <point_cloud.ply> <output-folder> [--cameras cameras.json]
 * [--depth stereo|rendered] [--views N] [--width PX] [--height PX] [--voxels N] [--threads N]}.
 * It writes {@code mesh.ply}, {@code mesh.obj}, {@code splats.png} and {@code mesh.png} and logs the
 * time of each stage.
 */
public final class SplatMeshCommand {

    private static final Logger log = LoggerFactory.getLogger(SplatMeshCommand.class);

    private SplatMeshCommand() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("Usage: SplatMeshCommand <point_cloud.ply> <output-folder> [--cameras FILE] "
                    + "[--depth stereo|rendered] [--views N] [--width PX] [--height PX] [--voxels N] [--threads N]");
            System.exit(2);
        }
        Map<String, String> options = new HashMap<>();
        for (int k = 2; k + 1 < args.length; k += 2) {
            options.put(args[k], args[k + 1]);
        }
        MeshParameters defaults = MeshParameters.DEFAULTS;
        MeshParameters parameters = defaults
                .withDepthSource(DepthSource.valueOf(options.getOrDefault("--depth", "stereo").toUpperCase(Locale.ROOT)))
                .withViews(intOption(options, "--views", defaults.viewCount()),
                        intOption(options, "--width", defaults.imageWidth()),
                        intOption(options, "--height", defaults.imageHeight()))
                .withVoxelResolution(intOption(options, "--voxels", defaults.voxelResolution()));
        int threads = intOption(options, "--threads", Runtime.getRuntime().availableProcessors());

        long start = System.nanoTime();
        GaussianScene scene = new GaussianPlyReader().read(Path.of(args[0]));
        long readMillis = (System.nanoTime() - start) / 1_000_000;
        List<Camera> cameras = null;
        if (options.containsKey("--cameras")) {
            try (InputStream in = Files.newInputStream(Path.of(options.get("--cameras")))) {
                cameras = new CamerasJsonReader(CamerasJsonReader.DEFAULT_MAX_CAMERAS).read(in);
            }
        }

        ForkJoinPool pool = new ForkJoinPool(threads);
        MeshResult result;
        try {
            result = new SplatMeshPipeline(pool).reconstruct(scene, cameras, parameters, ProgressListener.NONE);
        } finally {
            pool.shutdown();
        }

        Path output = Path.of(args[1]);
        Files.createDirectories(output);
        try (OutputStream out = Files.newOutputStream(output.resolve("mesh.ply"))) {
            MeshWriter.writePly(result.mesh(), out);
        }
        try (OutputStream out = Files.newOutputStream(output.resolve("mesh.obj"))) {
            MeshWriter.writeObj(result.mesh(), out);
        }
        Camera preview = result.previewCamera();
        try (OutputStream out = Files.newOutputStream(output.resolve("splats.png"))) {
            PreviewImages.writePng(result.splatPreview(), preview.width(), preview.height(), out);
        }
        try (OutputStream out = Files.newOutputStream(output.resolve("mesh.png"))) {
            PreviewImages.writePng(result.meshPreview(), preview.width(), preview.height(), out);
        }
        log.info("Done: read {} ms, pipeline {} ms {}, {} vertices, {} faces, {} threads", readMillis,
                result.totalMillis(), result.stageMillis(), result.mesh().vertexCount(), result.mesh().faceCount(),
                threads);
    }

    private static int intOption(Map<String, String> options, String name, int fallback) {
        String value = options.get(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option " + name + " needs an integer, got '" + value + "'", e);
        }
    }
}
