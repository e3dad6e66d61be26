package dev.mlsuite.detection.preprocessing;

import java.util.Objects;

/**
 * Switches of the text preprocessing steps, applied in this order: word splitting, lowercasing,
 * stop-word removal, digit removal, stemming and whitespace normalisation.
 *
 * @param splitWords split the text into words with Lucene's {@code StandardTokenizer} (Unicode
 *     UAX#29 word boundaries), which drops punctuation; the words are joined by single spaces
 * @param lowercase convert to lower case ({@code Locale.ROOT} rules)
 * @param removeStopWords drop the words of Lucene's English stop set, ignoring case
 * @param removeDigits delete decimal digits; a word made only of digits disappears
 * @param stemmer stemming algorithm, {@link Stemmer#NONE} to keep words unchanged
 * @param normalizeWhitespace collapse runs of whitespace into one space and trim both ends; words
 *     joined by {@code splitWords} are already separated by single spaces
 */
public record PreprocessingSettings(boolean splitWords, boolean lowercase, boolean removeStopWords,
        boolean removeDigits, Stemmer stemmer, boolean normalizeWhitespace) {

    /** Every step on, with the Porter stemmer. */
    public static final PreprocessingSettings ALL_STEPS =
            new PreprocessingSettings(true, true, true, true, Stemmer.PORTER, true);

    /** Every step off: the text passes unchanged. */
    public static final PreprocessingSettings NONE =
            new PreprocessingSettings(false, false, false, false, Stemmer.NONE, false);

    /**
     * Validates the combination of steps.
     *
     * @throws IllegalArgumentException when stop-word removal or stemming is on without word splitting,
     *     because both work on single words
     */
    public PreprocessingSettings {
        Objects.requireNonNull(stemmer, "stemmer");
        if (!splitWords && (removeStopWords || stemmer != Stemmer.NONE)) {
            throw new IllegalArgumentException("Stop-word removal and stemming need word splitting: set splitWords "
                    + "to true, or set removeStopWords to false and stemmer to NONE (found removeStopWords="
                    + removeStopWords + ", stemmer=" + stemmer + ")");
        }
    }

    /** Returns whether any step changes the text. */
    public boolean changesText() {
        return splitWords || lowercase || removeDigits || normalizeWhitespace;
    }
}
