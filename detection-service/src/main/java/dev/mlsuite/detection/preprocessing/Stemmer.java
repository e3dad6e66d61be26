package dev.mlsuite.detection.preprocessing;

/** English stemming algorithm applied to each word. */
public enum Stemmer {

    /** No stemming. */
    NONE,

    /** Martin Porter's original 1980 algorithm, Lucene's {@code PorterStemFilter}. */
    PORTER,

    /** The Snowball English stemmer (Porter2), Lucene's {@code SnowballFilter} with {@code EnglishStemmer}. */
    SNOWBALL_ENGLISH
}
