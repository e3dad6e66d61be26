package dev.mlsuite.detox.sae;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;

/**
 * SAE features chosen because they fire more on toxic text, with the evidence: the AUROC of each
 * feature's activation between toxic and non-toxic comments and its top-activating tokens.
 *
 * @param hookName hook point of the SAE the feature ids belong to
 * @param selection how the features were ranked, on which comments
 */
public record ToxicityFeatures(String hookName, String selection, List<Feature> features) {

    public static final String FILE_NAME = "toxicity-features.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** One feature with its separation statistics. */
    public record Feature(int id, double auroc, double meanActivationToxic, double meanActivationNonToxic,
            List<TopActivation> topActivations) {
    }

    /** A token where the feature fired strongly, with the tokens before it; the token is marked {@code [[...]]}. */
    public record TopActivation(String token, double activation, String context) {
    }

    public int[] ids() {
        return features.stream().mapToInt(Feature::id).toArray();
    }

    public void save(Path file) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
    }

    /** Reads features written by {@link #save}. */
    public static ToxicityFeatures load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("Toxicity feature list not found at " + file.toAbsolutePath());
        }
        return JSON.readValue(file.toFile(), ToxicityFeatures.class);
    }
}
