package dev.mlsuite.detection.model;

import java.io.IOException;
import java.util.Locale;

import dev.mlsuite.detection.preprocessing.PreprocessingSettings;
import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.bert.BertConfig;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.api.ModelFactory;

/**
 * Builds a detector of type {@value #TYPE} from a Hugging Face BERT-family sequence classifier folder.
 *
 * <p>Options: {@code ai-label} (label name of the AI class, found automatically when unset),
 * {@code threshold} (default 0.5), {@code window-tokens} (default 512, at most
 * {@code max_position_embeddings}), {@code overlap-tokens} (default 64), {@code preprocessing}
 * ({@code none} by default, or {@code all} for every step of {@link PreprocessingSettings#ALL_STEPS}).
 */
public final class SequenceClassifierModelFactory implements ModelFactory {

    public static final String TYPE = "bert-sequence-classifier";

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public InferenceModel create(ModelDefinition definition) throws IOException {
        String prefix = "inference.models." + definition.name();
        double threshold = parseDouble(definition, "threshold", "0.5");
        int windowTokens = (int) parseDouble(definition, "window-tokens", "512");
        int overlapTokens = (int) parseDouble(definition, "overlap-tokens", "64");
        PreprocessingSettings preprocessing = switch (definition.option("preprocessing", "none")
                .toLowerCase(Locale.ROOT)) {
            case "none" -> PreprocessingSettings.NONE;
            case "all" -> PreprocessingSettings.ALL_STEPS;
            default -> throw new IllegalArgumentException("Option " + prefix + ".options.preprocessing must be none"
                    + " or all, found '" + definition.option("preprocessing", "") + "'");
        };

        int maxPositions = BertConfig.read(definition.requirePath()).maxPositionEmbeddings();
        ChunkingSettings chunking = new ChunkingSettings(Math.min(windowTokens, maxPositions), overlapTokens);
        SequenceClassifierDetector detector = SequenceClassifierDetector.load(definition.requirePath(), chunking,
                preprocessing, definition.option("ai-label"), threshold, prefix + ".options", definition.device());
        return new DetectorModel(definition.name(), detector, definition.device());
    }

    private static double parseDouble(ModelDefinition definition, String option, String defaultValue) {
        String value = definition.option(option, defaultValue);
        try {
            return Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Option inference.models." + definition.name() + ".options." + option
                    + " must be a number, found '" + value + "'", e);
        }
    }
}
