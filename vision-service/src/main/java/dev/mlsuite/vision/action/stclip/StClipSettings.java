package dev.mlsuite.vision.action.stclip;

/**
 * Settings of {@link StClipActionScorer}.
 *
 * @param maxFramesPerTube  frames of a tube encoded by CLIP, spread evenly over the tube
 * @param interestTokens    context tokens each person keeps in Interest Token Spotting (top-k)
 * @param promptTemplate    text around each label before CLIP encodes it; {@code {label}} marks the label
 */
public record StClipSettings(int maxFramesPerTube, int interestTokens, String promptTemplate) {

    public static final int DEFAULT_MAX_FRAMES_PER_TUBE = 8;
    public static final int DEFAULT_INTEREST_TOKENS = 8;
    public static final String DEFAULT_PROMPT_TEMPLATE = "a photo of a person {label}.";

    public StClipSettings {
        if (maxFramesPerTube < 1 || interestTokens < 1) {
            throw new IllegalArgumentException("maxFramesPerTube and interestTokens must be at least 1, got "
                    + maxFramesPerTube + " and " + interestTokens);
        }
        if (!promptTemplate.contains("{label}")) {
            throw new IllegalArgumentException("promptTemplate must contain {label}, got '" + promptTemplate + "'");
        }
    }

    public static StClipSettings defaults() {
        return new StClipSettings(DEFAULT_MAX_FRAMES_PER_TUBE, DEFAULT_INTEREST_TOKENS, DEFAULT_PROMPT_TEMPLATE);
    }

    /** Returns the text CLIP encodes for {@code label}. */
    public String prompt(String label) {
        return promptTemplate.replace("{label}", label);
    }
}
