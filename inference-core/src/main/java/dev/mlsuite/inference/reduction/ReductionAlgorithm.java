package dev.mlsuite.inference.reduction;

import java.util.Locale;

/** Token reduction applied between the attention and feed-forward blocks of an encoder layer. */
public enum ReductionAlgorithm {

    /** Every token is kept. */
    NONE,
    /** ToMe bipartite soft matching (Bolya et al., "Token Merging: Your ViT but Faster", ICLR 2023). */
    TOME,
    /** PiToMe energy-guided merging (Tran et al., "Accelerating Transformers with Spectrum-Preserving Token Merging", NeurIPS 2024). */
    PITOME;

    /**
     * Parses {@code none}, {@code tome} or {@code pitome}, ignoring case.
     *
     * @throws IllegalArgumentException for any other value
     */
    public static ReductionAlgorithm parse(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "none" -> NONE;
            case "tome" -> TOME;
            case "pitome" -> PITOME;
            default -> throw new IllegalArgumentException("token reduction algorithm '" + value
                    + "' is invalid; use none, tome or pitome");
        };
    }
}
