package dev.mlsuite.inference.generation;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Converts text to token ids and back for a causal language model. */
public interface TextTokenizer {

    /**
     * Encodes {@code text} into token ids.
     *
     * @param addBos whether the first id is the beginning-of-sequence token
     */
    int[] encode(String text, boolean addBos);

    /**
     * Decodes ids into text by joining {@link #tokenBytes} of each id after its predecessor; a BOS
     * id is not written, and text after it starts as a sentence would.
     */
    default String decode(int[] ids) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int previous = -1;
        for (int id : ids) {
            out.writeBytes(tokenBytes(previous, id));
            previous = id;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

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
