package dev.mlsuite.detox.split;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Body of a hand-over from a prefill to a decode instance: a header with the identity of the model,
 * the sequence's steering, and then the sequence state in the runtime's {@code MLSQ} format. Numbers
 * are little-endian, and a string is an int32 byte length followed by UTF-8 bytes. The layout is
 * described in {@code docs/splitwise.md}.
 *
 * <pre>
 * magic            4 bytes  "MLHO"
 * version          int32    2
 * request id       string
 * streamed tokens  int32    generated tokens the prefill instance already sent to the client
 * model digest     string   FolderDigest of the prefill instance's model folder
 * steered          int8     0 or 1; when 1, the steering section follows
 *   SAE digest     string   FolderDigest of the SAE folder
 *   hook name      string
 *   strength       float32
 *   scale          int8     1 when directions are scaled by the feature's activation
 *   feature count  int32
 *   feature ids    int32[feature count]
 * state length     int32
 * state            MLSQ bytes (SequenceStateCodec)
 * </pre>
 *
 * <p>Version 1 frames, which have neither the model digest nor the steering section, are still read,
 * and they decode unsteered and without the digest check.
 *
 * @param requestId id of the client request, for logs on both instances
 * @param streamedTokens generated tokens already sent to the client; the decode stream continues at this index
 * @param modelDigest digest of the model that computed the state, or null in a version 1 frame
 * @param steering steering of the sequence, or null when it is not steered
 * @param state serialised sequence state
 */
record HandoverFrame(String requestId, int streamedTokens, String modelDigest, HandoverSteering steering,
        byte[] state) {

    static final int VERSION = 2;
    /** Oldest version that {@link #decode} still reads. */
    static final int OLDEST_READABLE_VERSION = 1;
    static final String MEDIA_TYPE = "application/vnd.mlsuite.handover";
    private static final byte[] MAGIC = "MLHO".getBytes(StandardCharsets.US_ASCII);

    byte[] encode() {
        byte[] id = utf8(requestId);
        byte[] digest = utf8(modelDigest);
        int size = MAGIC.length + 4 + 4 + id.length + 4 + 4 + digest.length + 1 + 4 + state.length;
        byte[] saeDigest = null;
        byte[] hookName = null;
        int[] features = null;
        if (steering != null) {
            saeDigest = utf8(steering.saeDigest());
            hookName = utf8(steering.hookName());
            features = steering.features();
            size += 4 + saeDigest.length + 4 + hookName.length + 4 + 1 + 4 + 4 * features.length;
        }

        ByteBuffer out = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putInt(VERSION);
        putBytes(out, id);
        out.putInt(streamedTokens);
        putBytes(out, digest);
        out.put((byte) (steering == null ? 0 : 1));
        if (steering != null) {
            putBytes(out, saeDigest);
            putBytes(out, hookName);
            out.putFloat(steering.strength()).put((byte) (steering.scaleByActivation() ? 1 : 0));
            out.putInt(features.length);
            for (int feature : features) {
                out.putInt(feature);
            }
        }
        out.putInt(state.length).put(state);
        return out.array();
    }

    /**
     * Reads a frame written by {@link #encode}, or by an instance that writes version 1.
     *
     * @throws IllegalArgumentException when the bytes are no hand-over frame of a readable version or are truncated
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
            if (version < OLDEST_READABLE_VERSION || version > VERSION) {
                throw new IllegalArgumentException("Hand-over frame version " + version
                        + " is not supported; this instance reads versions " + OLDEST_READABLE_VERSION + " to "
                        + VERSION);
            }
            String requestId = getString(in, "request id");
            int streamedTokens = in.getInt();
            String modelDigest = null;
            HandoverSteering steering = null;
            if (version >= 2) {
                modelDigest = getString(in, "model digest");
                steering = readSteering(in);
            }
            byte[] state = getBytes(in, "state");
            return new HandoverFrame(requestId, streamedTokens, modelDigest, steering, state);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("Hand-over frame is truncated: " + bytes.length + " bytes", e);
        }
    }

    private static HandoverSteering readSteering(ByteBuffer in) {
        byte steered = in.get();
        if (steered == 0) {
            return null;
        }
        if (steered != 1) {
            throw new IllegalArgumentException("Hand-over frame has an invalid steering flag " + steered + ", which must be 0 or 1");
        }
        String saeDigest = getString(in, "SAE digest");
        String hookName = getString(in, "hook name");
        float strength = in.getFloat();
        boolean scaleByActivation = in.get() != 0;
        int count = in.getInt();
        if (count < 1 || count > in.remaining() / Integer.BYTES) {
            throw new IllegalArgumentException("Hand-over frame has an invalid steering feature count " + count);
        }
        int[] features = new int[count];
        for (int i = 0; i < count; i++) {
            features[i] = in.getInt();
        }
        return new HandoverSteering(saeDigest, hookName, strength, scaleByActivation, features);
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in, String field) {
        return new String(getBytes(in, field), StandardCharsets.UTF_8);
    }

    /** Reads an int32 length and that many bytes, checking the length before allocating anything. */
    private static byte[] getBytes(ByteBuffer in, String field) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("Hand-over frame is truncated or invalid: it declares " + length
                    + " bytes of " + field + " but " + in.remaining() + " bytes follow");
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return bytes;
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
