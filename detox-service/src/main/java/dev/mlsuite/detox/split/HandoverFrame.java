package dev.mlsuite.detox.split;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Body of a hand-over from a prefill to a decode instance: a small header followed by the sequence
 * state in the runtime's {@code MLSQ} format. Numbers are little-endian; the layout is described in
 * {@code docs/splitwise.md}.
 *
 * <pre>
 * magic            4 bytes  "MLHO"
 * version          int32    1
 * request id       int32 byte length, UTF-8 bytes
 * streamed tokens  int32    generated tokens the prefill instance already sent to the client
 * state length     int32
 * state            MLSQ bytes (SequenceStateCodec)
 * </pre>
 *
 * @param requestId id of the client request, for logs on both instances
 * @param streamedTokens generated tokens already sent to the client; the decode stream continues at this index
 * @param state serialised sequence state
 */
record HandoverFrame(String requestId, int streamedTokens, byte[] state) {

    static final int VERSION = 1;
    static final String MEDIA_TYPE = "application/vnd.mlsuite.handover";
    private static final byte[] MAGIC = "MLHO".getBytes(StandardCharsets.US_ASCII);

    byte[] encode() {
        byte[] id = requestId.getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 4 + 4 + id.length + 4 + 4 + state.length)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION).putInt(id.length).put(id).putInt(streamedTokens).putInt(state.length)
                .put(state);
        return out.array();
    }

    /**
     * Reads a frame written by {@link #encode}.
     *
     * @throws IllegalArgumentException when the bytes are no hand-over frame of this version or are truncated
     */
    static HandoverFrame decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new IllegalArgumentException("Not a hand-over frame: the body does not start with MLHO");
            }
            int version = in.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("Hand-over frame version " + version
                        + " is not supported; this instance reads version " + VERSION);
            }
            byte[] id = new byte[in.getInt()];
            in.get(id);
            int streamedTokens = in.getInt();
            byte[] state = new byte[in.getInt()];
            in.get(state);
            return new HandoverFrame(new String(id, StandardCharsets.UTF_8), streamedTokens, state);
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("Hand-over frame is truncated: " + bytes.length + " bytes", e);
        }
    }
}
