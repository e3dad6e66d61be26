package dev.mlsuite.detection.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.reduction.ReductionSettings;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the {@link ReducedCalibration} files of a detection model and picks the one that
 * matches the configured token reduction.
 */
public final class ReducedCalibrations {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private ReducedCalibrations() {
    }

    /**
     * The calibration a detector uses.
     *
     * @param calibration Platt scaling applied to the head's logit
     * @param file the calibration file, or {@code null} when the unreduced calibration of {@code model.json} is used
     * @param description one line for logs and the health endpoint
     */
    public record Choice(PlattCalibration calibration, Path file, String description) {

        /** Returns whether a calibration fitted on reduced embeddings was found. */
        public boolean refitted() {
            return file != null;
        }
    }

    /**
     * Picks the calibration for {@code settings}: the unreduced one from {@code model.json} when no
     * reduction runs, else the file in {@code modelDirectory/reduction} fitted with exactly that
     * setting for this model's name and version. When there is none, the unreduced calibration is
     * used and the description states this.
     *
     * @throws EngineStartupException when a calibration file cannot be read
     */
    public static Choice choose(Path modelDirectory, DetectionModelMetadata metadata, ReductionSettings settings) {
        if (!settings.isActive()) {
            return new Choice(metadata.calibration(), null, "unreduced calibration from model.json (no token reduction)");
        }
        String model = modelId(metadata);
        List<String> skipped = new ArrayList<>();
        for (Path file : files(modelDirectory)) {
            ReducedCalibration candidate = read(file);
            if (candidate.matches(settings) && candidate.model().equals(model)) {
                return new Choice(candidate.calibration(), file, "refitted for " + settings.label() + " from " + file
                        + " (" + candidate.documents() + " training documents)");
            }
            if (candidate.sameAmount(settings)) {
                String reason = candidate.model().equals(model) ? candidate.mismatch(settings)
                        : "fitted for model " + candidate.model();
                skipped.add(file.getFileName() + " (" + reason + ")");
            }
        }
        String skippedText = skipped.isEmpty() ? "" : "; skipped " + String.join(", ", skipped);
        return new Choice(metadata.calibration(), null, "unreduced calibration from model.json: no calibration for "
                + settings.label() + " and model " + model + " in " + modelDirectory.resolve(ReducedCalibration.FOLDER)
                + skippedText + ", so accuracy may drop; fit one with FitReducedCalibrations or pick a fitted setting");
    }

    /** Returns {@code name:version} as stored in the calibration files. */
    public static String modelId(DetectionModelMetadata metadata) {
        return metadata.name() + ":" + metadata.version();
    }

    /** Returns the calibration files of {@code modelDirectory}, sorted by name, or an empty list when the folder is missing. */
    public static List<Path> files(Path modelDirectory) {
        Path folder = modelDirectory.resolve(ReducedCalibration.FOLDER);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(folder)) {
            return new ArrayList<>(entries.filter(path -> path.getFileName().toString().endsWith(".json"))
                    .sorted()
                    .toList());
        } catch (IOException e) {
            throw new EngineStartupException("Cannot list the calibration folder " + folder.toAbsolutePath() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Reads one calibration file.
     *
     * @throws EngineStartupException when the file is unreadable or invalid
     */
    public static ReducedCalibration read(Path file) {
        try {
            return JSON.readValue(file.toFile(), ReducedCalibration.class);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new EngineStartupException("Invalid token reduction calibration " + file.toAbsolutePath() + ": "
                    + e.getMessage() + ". Delete the file or fit it again with FitReducedCalibrations.", e);
        }
    }

    /** Writes {@code calibration} as {@code modelDirectory/reduction/ALGORITHM-RATIO.json} and returns the file. */
    public static Path write(Path modelDirectory, ReducedCalibration calibration) throws IOException {
        Path folder = modelDirectory.resolve(ReducedCalibration.FOLDER);
        Files.createDirectories(folder);
        Path file = folder.resolve(ReducedCalibration.fileName(calibration.settings()));
        Files.writeString(file, JSON.writeValueAsString(calibration) + "\n");
        return file;
    }
}
