package dev.mlsuite.detox.generation;

import ai.djl.ndarray.NDManager;
import dev.mlsuite.detox.sae.SparseAutoencoder;
import dev.mlsuite.detox.sae.ToxicityFeatures;
import dev.mlsuite.detox.toxicity.ToxicityScorer;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.InferenceEngine;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The language model, SAE, chosen toxicity features and scorer the service runs with. */
public final class DetoxModels implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DetoxModels.class);

    private final DetoxLanguageModel languageModel;
    private final NDManager saeManager;
    private final SparseAutoencoder sae;
    private final ToxicityFeatures features;
    private final ToxicityScorer scorer;

    public DetoxModels(DetoxLanguageModel languageModel, NDManager saeManager, SparseAutoencoder sae,
            ToxicityFeatures features, ToxicityScorer scorer) {
        this.languageModel = languageModel;
        this.saeManager = saeManager;
        this.sae = sae;
        this.features = features;
        this.scorer = scorer;
    }

    /**
     * Loads the three model folders with a LLaMA language model.
     *
     * @throws EngineStartupException naming the folder and the setting when a file is missing or invalid
     */
    public static DetoxModels load(InferenceEngine engine, Path languageModelFolder, Path saeFolder,
            Path scorerFolder) {
        return load(engine, DetoxLanguageModel.Type.LLAMA, languageModelFolder, saeFolder, scorerFolder);
    }

    /**
     * Loads the three model folders with a language model of {@code type}.
     *
     * @throws EngineStartupException naming the folder and the setting when a file is missing or invalid
     */
    public static DetoxModels load(InferenceEngine engine, DetoxLanguageModel.Type type, Path languageModelFolder,
            Path saeFolder, Path scorerFolder) {
        long startNanos = System.nanoTime();
        DetoxLanguageModel languageModel = DetoxLanguageModel.load(type, languageModelFolder, engine.device(),
                "detox.language-model");
        NDManager saeManager = engine.newManager();
        try {
            SparseAutoencoder sae = SparseAutoencoder.load(saeFolder, saeManager);
            if (sae.dIn() != languageModel.hiddenSize()) {
                throw new IOException("SAE d_in " + sae.dIn() + " differs from the model's hidden size "
                        + languageModel.hiddenSize());
            }
            ToxicityFeatures features = ToxicityFeatures.load(saeFolder.resolve(ToxicityFeatures.FILE_NAME));
            ToxicityScorer scorer = ToxicityScorer.load(scorerFolder, engine.device());
            log.info("Loaded detox models in {} ms: {} model {}, SAE {} x {} at {}, {} toxicity features, scorer: {}",
                    (System.nanoTime() - startNanos) / 1_000_000, type, languageModel.model().name(), sae.dIn(), sae.dSae(), sae.hookName(),
                    features.features().size(), scorer.description());
            return new DetoxModels(languageModel, saeManager, sae, features, scorer);
        } catch (IOException | RuntimeException e) {
            saeManager.close();
            languageModel.close();
            throw new EngineStartupException("Failed to load the detox SAE or scorer (" + saeFolder.toAbsolutePath()
                    + ", " + scorerFolder.toAbsolutePath() + "): " + e.getMessage()
                    + ". Check the settings detox.sae and detox.scorer.", e);
        }
    }

    public DetoxLanguageModel languageModel() {
        return languageModel;
    }

    public SparseAutoencoder sae() {
        return sae;
    }

    public ToxicityFeatures features() {
        return features;
    }

    public ToxicityScorer scorer() {
        return scorer;
    }

    @Override
    public void close() {
        scorer.close();
        saeManager.close();
        languageModel.close();
    }
}
