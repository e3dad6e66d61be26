package dev.mlsuite.inference.tokenizer;

import java.util.Arrays;

/**
 * Token ids of several texts, padded on the right to a common length. The arrays are row-major
 * {@code [batchSize, sequenceLength]}.
 *
 * @param batchSize number of texts
 * @param sequenceLength tokens per row after padding, the longest row's length
 * @param inputIds token ids, padding positions hold the padding id
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param tokenTypeIds segment ids, 0 for the first text of a pair and for padding
 */
public record TokenBatch(int batchSize, int sequenceLength, long[] inputIds, long[] attentionMask,
        long[] tokenTypeIds) {

    /** Validates that all three arrays have {@code batchSize * sequenceLength} elements. */
    public TokenBatch {
        if (batchSize < 0 || sequenceLength < 0) {
            throw new IllegalArgumentException("batchSize and sequenceLength must not be negative, found "
                    + batchSize + " and " + sequenceLength);
        }
        long size = (long) batchSize * sequenceLength;
        if (inputIds.length != size || attentionMask.length != size || tokenTypeIds.length != size) {
            throw new IllegalArgumentException("arrays must have batchSize * sequenceLength = " + size
                    + " elements, found " + inputIds.length + ", " + attentionMask.length + " and "
                    + tokenTypeIds.length);
        }
    }

    /**
     * Pads rows of token ids to the longest row.
     *
     * @param rows token ids per text, including special tokens
     * @param padId the id written into padding positions
     */
    public static TokenBatch pad(long[][] rows, long padId) {
        int length = Arrays.stream(rows).mapToInt(row -> row.length).max().orElse(0);
        long[] ids = new long[rows.length * length];
        long[] mask = new long[rows.length * length];
        Arrays.fill(ids, padId);
        for (int row = 0; row < rows.length; row++) {
            System.arraycopy(rows[row], 0, ids, row * length, rows[row].length);
            Arrays.fill(mask, row * length, row * length + rows[row].length, 1L);
        }
        return new TokenBatch(rows.length, length, ids, mask, new long[rows.length * length]);
    }

    /** Returns the number of real, unpadded tokens in a row. */
    public int tokenCount(int row) {
        int count = 0;
        for (int i = row * sequenceLength; i < (row + 1) * sequenceLength; i++) {
            count += (int) attentionMask[i];
        }
        return count;
    }

    /** Returns the real tokens of a row, without padding. */
    public long[] rowIds(int row) {
        int start = row * sequenceLength;
        return Arrays.copyOfRange(inputIds, start, start + tokenCount(row));
    }
}
