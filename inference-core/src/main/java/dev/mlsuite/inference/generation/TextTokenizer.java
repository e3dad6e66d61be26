package dev.mlsuite.inference.generation;

/** Converts text to token ids and back for a causal language model. */
public interface TextTokenizer {

    /**
     * Encodes {@code text} into token ids.
     *
     * @param addBos whether the first id is the beginning-of-sequence token
     */
    int[] encode(String text, boolean addBos);

    /** Decodes ids into text; a BOS id is not written, and text after it starts as a sentence would. */
    String decode(int[] ids);

    /**
     * Returns the bytes that {@code token} adds to the output when it follows {@code previousToken}, where a
     * negative {@code previousToken} means that {@code token} starts the text.
     * Byte-fallback tokens return one byte, so a multi-byte character may span several tokens.
     */
    byte[] tokenBytes(int previousToken, int token);

    int vocabSize();

    int bosId();

    int eosId();
}
