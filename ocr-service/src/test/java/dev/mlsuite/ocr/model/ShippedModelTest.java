package dev.mlsuite.ocr.model;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import dev.mlsuite.ocr.evaluation.DocumentQaEvaluator;
import dev.mlsuite.ocr.training.LabelledDocument;
import dev.mlsuite.ocr.training.SroieDataset;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Loads the committed default model and answers the four key-field questions about the committed
 * held-out SROIE receipts, so that a broken or replaced model file fails the build.
 */
class ShippedModelTest {

    static final Path MODEL = Path.of("../models/ocr");
    static final Path SAMPLES = Path.of("../samples/documents");
    /**
     * Minimum mean ANLS over the sample receipts (mean of the four per-field means). The shipped
     * model reaches 0.081 on them, all of it from dates close to the expected ones, and a model
     * with zeroed weights reaches 0.
     */
    static final double MIN_MEAN_ANLS = 0.05;

    private static NDManager manager;
    private static DocumentQaModel model;

    @BeforeAll
    static void loadModel() throws IOException {
        manager = NDManager.newBaseManager();
        model = DocumentQaModel.load(MODEL, manager.newSubManager());
    }

    @AfterAll
    static void closeModel() {
        manager.close();
    }

    static List<LabelledDocument> samples(DocumentQaConfig config) throws IOException {
        List<LabelledDocument> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(SAMPLES)) {
            for (Path image : files.filter(p -> p.toString().endsWith(".jpg")).sorted().toList()) {
                BufferedImage page = ImageIO.read(image.toFile());
                Path key = Path.of(image.toString().replace(".jpg", ".json"));
                documents.add(new LabelledDocument(image.getFileName().toString(),
                        DocumentImages.toPixels(page, config.imageWidth(), config.imageHeight()),
                        SroieDataset.readKey(key)));
            }
        }
        return documents;
    }

    @Test
    void shippedModelReachesMinimumAnls() throws IOException {
        List<LabelledDocument> documents = samples(model.config());
        assertThat(documents).hasSize(4);

        List<DocumentQaEvaluator.Prediction> predictions = DocumentQaEvaluator.predict(model, documents,
                model.config().keptTokens());
        DocumentQaEvaluator.Summary summary = DocumentQaEvaluator.summarise(predictions);

        assertThat(summary.answers()).isEqualTo(16);
        assertThat(summary.meanAnls()).as("predictions %s", predictions).isGreaterThanOrEqualTo(MIN_MEAN_ANLS);
    }

    @Test
    void zeroedModelFailsTheThreshold() throws IOException {
        try (NDManager scope = NDManager.newBaseManager();
                DocumentQaModel zeroed = DocumentQaModel.load(MODEL, scope.newSubManager())) {
            for (NDArray parameter : zeroed.parameters().values()) {
                parameter.set(new NDIndex("..."), 0f);
            }

            DocumentQaEvaluator.Summary summary = DocumentQaEvaluator.summarise(
                    DocumentQaEvaluator.predict(zeroed, samples(zeroed.config()), zeroed.config().keptTokens()));

            assertThat(summary.meanAnls()).isLessThan(MIN_MEAN_ANLS);
        }
    }

    @Test
    void configMatchesWeights() {
        assertThat(model.parameterCount()).isPositive();
        assertThat(model.config().keptTokens()).isLessThanOrEqualTo(model.config().imageTokens());
    }
}
