package dev.mlsuite.detection.api;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the detection endpoints ({@code detection.*}).
 *
 * @param model name of the model under {@code inference.models} that scores texts
 * @param threshold probability at or above which a text is labelled {@code ai}; unset uses the
 *     threshold stored with the model
 * @param maxTextChars maximum length of one text in UTF-16 code units; longer texts get 413
 * @param maxBatchTexts maximum number of texts in one batch request; more get 413
 * @param maxSentences maximum number of sentences scored per text; more get 413
 * @param maxRequestSize maximum size of a request body; larger bodies get 413 before they are parsed
 * @param storeText whether the text itself is stored with each detection, besides its SHA-256 digest
 */
@ConfigurationProperties("detection")
public record DetectionProperties(
        @DefaultValue("detector") String model,
        Double threshold,
        @DefaultValue("20000") int maxTextChars,
        @DefaultValue("16") int maxBatchTexts,
        @DefaultValue("400") int maxSentences,
        @DefaultValue("2MB") DataSize maxRequestSize,
        @DefaultValue("false") boolean storeText) {

    public DetectionProperties {
        if (threshold != null && !(threshold > 0 && threshold < 1)) {
            throw new IllegalArgumentException("detection.threshold must be in (0, 1), found " + threshold);
        }
        if (maxTextChars < 1 || maxBatchTexts < 1 || maxSentences < 1) {
            throw new IllegalArgumentException("detection.max-text-chars, max-batch-texts and max-sentences must be "
                    + "positive, found " + maxTextChars + ", " + maxBatchTexts + " and " + maxSentences);
        }
    }
}
