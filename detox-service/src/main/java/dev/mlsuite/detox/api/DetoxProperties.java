package dev.mlsuite.detox.api;

import dev.mlsuite.detox.generation.DetoxLanguageModel;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Model files, steering tiers and request limits of the detox service ({@code detox.*}).
 *
 * @param languageModelType architecture of {@code languageModel}: {@code llama} (with {@code tok512.bin}) or
 *     {@code gpt2} (with {@code tokenizer.json})
 * @param languageModel folder with {@code config.json}, {@code model.safetensors} and the tokenizer file
 * @param sae SAELens folder ({@code cfg.json}, {@code sae_weights.safetensors}) with {@code toxicity-features.json}
 * @param scorer folder with {@code toxicity-scorer.json}
 * @param tiers steering strength of each tier: with {@code scaleByActivation}, the multiple of each
 *     feature's own contribution that is removed (1 removes it), else a length along its unit direction
 * @param scaleByActivation whether tier steering multiplies each direction by the feature's activation
 * @param maxTokens maximum {@code maxTokens} a request may ask for
 * @param defaultMaxTokens tokens generated when a request does not say
 * @param maxPromptChars maximum prompt length in characters, checked before tokenising
 * @param maxStrength maximum absolute steering strength a request may give
 */
@ConfigurationProperties("detox")
@Validated
public record DetoxProperties(
        @NotNull @DefaultValue("llama") DetoxLanguageModel.Type languageModelType,
        @NotNull @DefaultValue("models/detox/lm") Path languageModel,
        @NotNull @DefaultValue("models/detox/sae") Path sae,
        @NotNull @DefaultValue("models/detox/scorer") Path scorer,
        Map<String, Float> tiers,
        @DefaultValue("true") boolean scaleByActivation,
        @Min(1) @DefaultValue("256") int maxTokens,
        @Min(1) @DefaultValue("48") int defaultMaxTokens,
        @Min(1) @DefaultValue("4000") int maxPromptChars,
        @DecimalMin("0") @DefaultValue("40") float maxStrength) {

    /** Tier strengths used when {@code detox.tiers} is not set, chosen from the evaluation. */
    public static final Map<String, Float> DEFAULT_TIERS = defaultTiers();

    public DetoxProperties {
        tiers = tiers == null || tiers.isEmpty() ? DEFAULT_TIERS : Map.copyOf(tiers);
        if (defaultMaxTokens > maxTokens) {
            throw new IllegalArgumentException("detox.default-max-tokens " + defaultMaxTokens
                    + " exceeds detox.max-tokens " + maxTokens);
        }
    }

    private static Map<String, Float> defaultTiers() {
        Map<String, Float> tiers = new LinkedHashMap<>();
        tiers.put("none", 0f);
        tiers.put("low", 0.5f);
        tiers.put("medium", 0.75f);
        tiers.put("high", 2f);
        return java.util.Collections.unmodifiableMap(tiers);
    }
}
