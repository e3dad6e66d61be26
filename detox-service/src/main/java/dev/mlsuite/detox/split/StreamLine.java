package dev.mlsuite.detox.split;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One line of the NDJSON stream of a decode session.
 *
 * @param type {@code token}, {@code finish} or {@code error}
 * @param index number of the generated token; 0 is the token sampled by prefill
 * @param token token id, for {@code token} lines
 * @param text text delta, for {@code token} and {@code finish} lines
 * @param finishReason name of the {@code FinishReason}, for {@code finish} lines
 * @param message failure message, for {@code error} lines
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
record StreamLine(String type, Integer index, Integer token, String text, String finishReason, String message) {

    static StreamLine token(int index, int tokenId, String text) {
        return new StreamLine("token", index, tokenId, text, null, null);
    }

    static StreamLine finish(String reason, String text) {
        return new StreamLine("finish", null, null, text, reason, null);
    }

    static StreamLine error(String message) {
        return new StreamLine("error", null, null, null, null, message);
    }
}
