package dev.mlsuite.detection.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import ai.djl.ndarray.NDManager;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.reduction.ReductionAlgorithm;
import dev.mlsuite.inference.reduction.ReductionSettings;

/** Choice of the calibration for a token reduction setting, on the shipped model's files. */
class ReducedCalibrationsTest {

    private static final Path MODEL_DIRECTORY = Path.of("../models/detection");

    private static DetectionModelMetadata metadata;

    @BeforeAll
    static void readMetadata() {
        try (NDManager manager = NDManager.newBaseManager(InferenceEngine.ENGINE_NAME)) {
            metadata = HeadModelFiles.read(MODEL_DIRECTORY, manager, "test").metadata();
        }
    }

    @Test
    void shippedFilesCoverToMeAndPitome() {
        List<Path> files = ReducedCalibrations.files(MODEL_DIRECTORY);

        List<String> names = files.stream().map(file -> file.getFileName().toString()).toList();
        assertThat(names).contains("pitome-0.80.json", "tome-0.80.json", "pitome-0.70.json", "tome-0.70.json");
        for (Path file : files) {
            ReducedCalibration calibration = ReducedCalibrations.read(file);
            assertThat(file.getFileName().toString()).isEqualTo(ReducedCalibration.fileName(calibration.settings()));
            assertThat(calibration.model()).isEqualTo(ReducedCalibrations.modelId(metadata));
            assertThat(calibration.calibration().scale()).as("scale in %s", file).isPositive();
            assertThat(calibration.documents()).as("documents in %s", file).isGreaterThanOrEqualTo(10);
        }
    }

    @Test
    void matchingSettingPicksItsFile() {
        for (Path file : ReducedCalibrations.files(MODEL_DIRECTORY)) {
            ReducedCalibration stored = ReducedCalibrations.read(file);
            ReductionSettings settings = ReductionSettings.ofRatio(
                    ReductionAlgorithm.parse(stored.algorithm()), stored.keepRatio());

            ReducedCalibrations.Choice choice = ReducedCalibrations.choose(MODEL_DIRECTORY, metadata, settings);

            assertThat(choice.refitted()).as("refitted for %s", settings.label()).isTrue();
            assertThat(choice.file()).isEqualTo(file);
            assertThat(choice.calibration()).isEqualTo(stored.calibration());
            assertThat(choice.calibration()).isNotEqualTo(metadata.calibration());
            assertThat(choice.description()).contains(settings.label()).contains(file.getFileName().toString());
        }
    }

    @Test
    void noReductionUsesModelJson() {
        ReducedCalibrations.Choice choice = ReducedCalibrations.choose(MODEL_DIRECTORY, metadata,
                ReductionSettings.NONE);

        assertThat(choice.refitted()).isFalse();
        assertThat(choice.calibration()).isEqualTo(metadata.calibration());
    }

    @Test
    void unfittedSettingsFallBackAndSaySo() {
        List<ReductionSettings> unfitted = List.of(
                ReductionSettings.ofRatio(ReductionAlgorithm.PITOME, 0.65),
                new ReductionSettings(ReductionAlgorithm.PITOME, 0.8, 0, Set.of(0, 1, 2), 0.5, 1.0),
                new ReductionSettings(ReductionAlgorithm.TOME, 1.0, 20, Set.of(), 0.5, 1.0),
                new ReductionSettings(ReductionAlgorithm.PITOME, 0.8, 0, Set.of(), 0.4, 1.0));

        for (ReductionSettings settings : unfitted) {
            ReducedCalibrations.Choice choice = ReducedCalibrations.choose(MODEL_DIRECTORY, metadata, settings);

            assertThat(choice.refitted()).as("refitted for %s", settings.label()).isFalse();
            assertThat(choice.calibration()).isEqualTo(metadata.calibration());
            assertThat(choice.description()).contains("no calibration for " + settings.label());
        }
    }

    @Test
    void calibrationOfOtherModelVersionIsIgnored(@TempDir Path directory) throws Exception {
        Path shipped = MODEL_DIRECTORY.resolve(ReducedCalibration.FOLDER).resolve("pitome-0.80.json");
        ReducedCalibration stored = ReducedCalibrations.read(shipped);
        ReducedCalibrations.write(directory, new ReducedCalibration(stored.algorithm(), stored.keepRatio(),
                stored.margin(), stored.alpha(), metadata.name() + ":0.0.1", stored.calibration(), stored.documents(),
                stored.fittedOn()));

        ReducedCalibrations.Choice choice = ReducedCalibrations.choose(directory, metadata, stored.settings());

        assertThat(choice.refitted()).isFalse();
        assertThat(choice.calibration()).isEqualTo(metadata.calibration());
    }

    @Test
    void invalidFileFailsStartup(@TempDir Path directory) throws Exception {
        Path folder = Files.createDirectories(directory.resolve(ReducedCalibration.FOLDER));
        Files.writeString(folder.resolve("pitome-0.80.json"), "{\"algorithm\": \"pitome\", \"keepRatio\": 1.5}");

        assertThatThrownBy(() -> ReducedCalibrations.choose(directory, metadata,
                ReductionSettings.ofRatio(ReductionAlgorithm.PITOME, 0.8)))
                .isInstanceOf(EngineStartupException.class)
                .hasMessageContaining("pitome-0.80.json");
    }

    @Test
    void skippedFilesAreNamedWithReason() {
        ReducedCalibrations.Choice layers = ReducedCalibrations.choose(MODEL_DIRECTORY, metadata,
                new ReductionSettings(ReductionAlgorithm.PITOME, 0.8, 0, Set.of(0, 1, 2), 0.5, 1.0));
        ReducedCalibrations.Choice alpha = ReducedCalibrations.choose(MODEL_DIRECTORY, metadata,
                new ReductionSettings(ReductionAlgorithm.PITOME, 0.7, 0, Set.of(), 0.5, 2.0));

        assertThat(layers.description()).contains("pitome ratio=0.8 layers=[0, 1, 2]")
                .contains("skipped pitome-0.80.json (fitted on every layer, configured layers [0, 1, 2])");
        assertThat(alpha.description()).contains("pitome ratio=0.7 alpha=2.0")
                .contains("skipped pitome-0.70.json (fitted with alpha 1.0, configured 2.0)");
    }

    @Test
    void tomeIgnoresPitomeMarginWhenMatching() {
        ReducedCalibrations.Choice choice = ReducedCalibrations.choose(MODEL_DIRECTORY, metadata,
                new ReductionSettings(ReductionAlgorithm.TOME, 0.8, 0, Set.of(), 0.3, 1.0));

        assertThat(choice.refitted()).isTrue();
        assertThat(choice.file().getFileName().toString()).isEqualTo("tome-0.80.json");
    }
}
