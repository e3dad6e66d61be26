package dev.mlsuite.detox.split;

import dev.mlsuite.detox.generation.DetoxModels;
import dev.mlsuite.detox.generation.Steering;
import dev.mlsuite.detox.generation.SteeringHook;
import dev.mlsuite.detox.sae.SparseAutoencoder;
import dev.mlsuite.inference.engine.InferenceEngine;
import dev.mlsuite.inference.generation.LanguageModel;
import dev.mlsuite.inference.hooks.Hooks;
import dev.mlsuite.inference.llama.Llama2cModelLoader;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The language model that the split roles generate with, with the identities that a hand-over carries.
 * By default it is the service's own model and SAE, so split generation can steer. A llama2.c model
 * folder set in {@code detox.split.model-folder} replaces it for the split endpoints only; that model
 * has no SAE, so it cannot steer.
 */
public final class SplitModel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SplitModel.class);

    private final LanguageModel languageModel;
    private final boolean ownsModel;
    private final String modelDigest;
    private final SparseAutoencoder sae; // null when the model is not the service's
    private final String saeDigest;

    private SplitModel(LanguageModel languageModel, boolean ownsModel, String modelDigest, SparseAutoencoder sae,
            String saeDigest) {
        this.languageModel = languageModel;
        this.ownsModel = ownsModel;
        this.modelDigest = modelDigest;
        this.sae = sae;
        this.saeDigest = saeDigest;
    }

    /** Uses the service's language model and SAE, loaded from {@code modelFolder} and {@code saeFolder}. */
    static SplitModel ofServiceModels(DetoxModels models, Path modelFolder, Path saeFolder) {
        long startNanos = System.nanoTime();
        String modelDigest = FolderDigest.of(modelFolder);
        String saeDigest = FolderDigest.of(saeFolder);
        log.info("Split roles use the service model {} (sha256 {}) and its SAE (sha256 {}), digests computed in {} ms",
                models.languageModel().model().name(), modelDigest, saeDigest,
                (System.nanoTime() - startNanos) / 1_000_000);
        LanguageModel languageModel = new LanguageModel(models.languageModel().model(),
                models.languageModel().tokenizer());
        return new SplitModel(languageModel, false, modelDigest, models.sae(), saeDigest);
    }

    /** Loads the llama2.c model in {@code folder}, which the split endpoints then use without steering. */
    static SplitModel loadLlama2c(Path folder, InferenceEngine engine) {
        LanguageModel languageModel = Llama2cModelLoader.loadFolder(folder, engine, "detox.split.model-folder");
        try {
            String modelDigest = FolderDigest.of(folder);
            log.info("Split roles use model {} from {} (sha256 {}) without an SAE, so they do not steer",
                    languageModel.model().name(), folder, modelDigest);
            return new SplitModel(languageModel, true, modelDigest, null, null);
        } catch (RuntimeException e) {
            languageModel.close();
            throw e;
        }
    }

    public LanguageModel languageModel() {
        return languageModel;
    }

    /** Returns whether this is the service's own model and SAE, so that steered requests can use it. */
    public boolean canSteer() {
        return sae != null;
    }

    String modelDigest() {
        return modelDigest;
    }

    /**
     * Returns the hooks that apply {@code steering}, or {@link Hooks#NONE} when it is null or does not
     * change the residual stream.
     *
     * @throws IllegalStateException when the steering is active but this model has no SAE
     */
    Hooks hooks(Steering steering) {
        if (!isActive(steering)) {
            return Hooks.NONE;
        }
        requireSae();
        return new SteeringHook(sae, steering.features(), steering.strength(), steering.scaleByActivation()).hooks();
    }

    /** Returns the frame section that describes {@code steering}, or null when it does not change the residual stream. */
    HandoverSteering describe(Steering steering) {
        if (!isActive(steering)) {
            return null;
        }
        requireSae();
        return new HandoverSteering(saeDigest, sae.hookName(), steering.strength(), steering.scaleByActivation(),
                steering.features());
    }

    /**
     * Returns the hooks that continue the steering of a handed-over sequence.
     *
     * @throws SteeringMismatchException when this instance has no SAE, another SAE or another hook point
     * @throws IllegalArgumentException when a feature id is outside the SAE
     */
    Hooks hooks(HandoverSteering steering) {
        if (steering == null) {
            return Hooks.NONE;
        }
        if (sae == null) {
            throw new SteeringMismatchException("This instance's split model has no SAE, so it cannot continue a"
                    + " steered sequence", "none");
        }
        if (!steering.saeDigest().equals(saeDigest)) {
            throw new SteeringMismatchException("The sequence was steered with the SAE of sha256 "
                    + steering.saeDigest() + " but this instance has the SAE of sha256 " + saeDigest, saeDigest);
        }
        if (!steering.hookName().equals(sae.hookName())) {
            throw new SteeringMismatchException("The sequence was steered at " + steering.hookName()
                    + " but this instance's SAE reads " + sae.hookName(), sae.hookName());
        }
        for (int feature : steering.features()) {
            if (feature < 0 || feature >= sae.dSae()) {
                throw new IllegalArgumentException("Steering feature " + feature + " is outside the SAE's features 0.."
                        + (sae.dSae() - 1));
            }
        }
        return new SteeringHook(sae, steering.features(), steering.strength(), steering.scaleByActivation()).hooks();
    }

    private static boolean isActive(Steering steering) {
        return steering != null && steering.strength() != 0f && steering.features().length > 0;
    }

    private void requireSae() {
        if (sae == null) {
            throw new IllegalStateException("The split model " + languageModel.model().name()
                    + " has no SAE; steering needs detox.split.model-folder unset");
        }
    }

    /** Frees the model when it was loaded for the split roles; the service's model is closed by its owner. */
    @Override
    public void close() {
        if (ownsModel) {
            languageModel.close();
        }
    }

    /** A handed-over steered sequence that this instance cannot continue with the same SAE. */
    static final class SteeringMismatchException extends RuntimeException {

        private final String localValue;

        SteeringMismatchException(String message, String localValue) {
            super(message);
            this.localValue = localValue;
        }

        /** Returns what this instance has instead: its SAE digest or hook point, or {@code none}. */
        String localValue() {
            return localValue;
        }
    }
}
