package dev.mlsuite.detox.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HandoverFrameTest {

    private static final String MODEL_DIGEST = "a".repeat(64);
    private static final HandoverSteering STEERING = new HandoverSteering("b".repeat(64),
            "blocks.3.hook_resid_pre", 2f, true, new int[] {248, 7, 91});

    @Test
    void steeredFrameRoundTrips() {
        byte[] state = "MLSQ-state-bytes".getBytes(StandardCharsets.US_ASCII);
        HandoverFrame frame = new HandoverFrame("request-ü-1", 3, MODEL_DIGEST, STEERING, state);

        HandoverFrame decoded = HandoverFrame.decode(frame.encode());

        assertThat(decoded.requestId()).isEqualTo("request-ü-1");
        assertThat(decoded.streamedTokens()).isEqualTo(3);
        assertThat(decoded.modelDigest()).isEqualTo(MODEL_DIGEST);
        assertThat(decoded.steering()).isEqualTo(STEERING);
        assertThat(decoded.steering().features()).containsExactly(248, 7, 91);
        assertThat(decoded.state()).isEqualTo(state);
    }

    @Test
    void unsteeredFrameRoundTrips() {
        HandoverFrame decoded = HandoverFrame.decode(new HandoverFrame("r", 1, MODEL_DIGEST, null,
                new byte[] {7}).encode());

        assertThat(decoded.steering()).isNull();
        assertThat(decoded.modelDigest()).isEqualTo(MODEL_DIGEST);
        assertThat(decoded.state()).containsExactly(7);
    }

    @Test
    void headerStartsWithMagicAndVersion() {
        byte[] bytes = new HandoverFrame("r", 1, "d", null, new byte[] {7}).encode();

        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("MLHO");
        assertThat(bytes[4]).isEqualTo((byte) 2);
        assertThat(bytes).hasSize(4 + 4 + (4 + 1) + 4 + (4 + 1) + 1 + 4 + 1);
    }

    @Test
    void versionOneFrameReadsAsUnsteered() {
        ByteBuffer v1 = ByteBuffer.allocate(4 + 4 + 4 + 2 + 4 + 4 + 3).order(ByteOrder.LITTLE_ENDIAN);
        v1.put("MLHO".getBytes(StandardCharsets.US_ASCII)).putInt(1).putInt(2).put("id".getBytes(StandardCharsets.UTF_8))
                .putInt(1).putInt(3).put(new byte[] {4, 5, 6});

        HandoverFrame decoded = HandoverFrame.decode(v1.array());

        assertThat(decoded.requestId()).isEqualTo("id");
        assertThat(decoded.streamedTokens()).isEqualTo(1);
        assertThat(decoded.modelDigest()).isNull();
        assertThat(decoded.steering()).isNull();
        assertThat(decoded.state()).containsExactly(4, 5, 6);
    }

    @Test
    void otherMagicIsRejected() {
        byte[] bytes = new HandoverFrame("r", 1, "d", null, new byte[] {7}).encode();
        bytes[0] = 'X';

        assertThatThrownBy(() -> HandoverFrame.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MLHO");
    }

    @Test
    void newerVersionIsRejected() {
        byte[] bytes = new HandoverFrame("r", 1, "d", null, new byte[] {7}).encode();
        bytes[4] = 3;

        assertThatThrownBy(() -> HandoverFrame.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 3").hasMessageContaining("versions 1 to 2");
    }

    @Test
    void truncatedFrameIsRejected() {
        byte[] bytes = new HandoverFrame("r", 1, MODEL_DIGEST, STEERING, new byte[] {1, 2, 3}).encode();

        for (int length : new int[] {bytes.length - 2, 60, 12}) {
            assertThatThrownBy(() -> HandoverFrame.decode(Arrays.copyOf(bytes, length)))
                    .as("first %d bytes", length)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
        }
    }

    @Test
    void steeringWithoutFeaturesIsRejected() {
        byte[] bytes = new HandoverFrame("r", 1, "d", new HandoverSteering("s", "h", 1f, false, new int[] {5}),
                new byte[] {7}).encode();
        // The feature count sits after magic, version, id, streamed tokens, digest, flag, SAE digest, hook,
        // strength and scale flag.
        int countOffset = 4 + 4 + (4 + 1) + 4 + (4 + 1) + 1 + (4 + 1) + (4 + 1) + 4 + 1;
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(countOffset, 0);

        assertThatThrownBy(() -> HandoverFrame.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("feature count 0");
    }

    @Test
    void oversizedStateLengthIsRejected() {
        // A version 1 frame with an empty request id whose state claims 0x7ffffff0 bytes.
        ByteBuffer frame = ByteBuffer.allocate(21).order(ByteOrder.LITTLE_ENDIAN);
        frame.put(StandardCharsets.US_ASCII.encode("MLHO")).putInt(1).putInt(0).putInt(1).putInt(0x7ffffff0);

        assertThatThrownBy(() -> HandoverFrame.decode(frame.array())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2147483632 bytes of state but 1 bytes follow");
    }

    @Test
    void oversizedStringLengthIsRejected() {
        ByteBuffer frame = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        frame.put(StandardCharsets.US_ASCII.encode("MLHO")).putInt(2).putInt(Integer.MAX_VALUE).putInt(0);

        assertThatThrownBy(() -> HandoverFrame.decode(frame.array())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bytes of request id");
    }
}
