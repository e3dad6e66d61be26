package dev.mlsuite.ocr.model;

/**
 * Character vocabulary of the answer decoder: printable ASCII characters map to their own code
 * (32 to 126) and ids 0 to 3 are special tokens. Any other character becomes {@code '?'}.
 */
public final class CharVocabulary {

    public static final int SIZE = 128;
    public static final int PAD = 0;
    public static final int BOS = 1;
    public static final int EOS = 2;
    /** Separates the question from the answer. */
    public static final int SEP = 3;

    private CharVocabulary() {
    }

    /** Returns the id of {@code c}. */
    public static int id(char c) {
        return c >= 32 && c <= 126 ? c : '?';
    }

    /** Returns the ids of {@code text}, at most {@code maxLength} of them. */
    public static int[] encode(String text, int maxLength) {
        int length = Math.min(text.length(), maxLength);
        int[] ids = new int[length];
        for (int i = 0; i < length; i++) {
            ids[i] = id(text.charAt(i));
        }
        return ids;
    }

    /** Returns the character of a printable id, or null for a special token. */
    public static Character character(int id) {
        return id >= 32 && id <= 126 ? (char) id : null;
    }
}
