package dev.mlsuite.detox.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HandoverFrameTest {

    @Test
    void frameRoundTrips() {
        byte[] state = "MLSQ-state-bytes".getBytes(StandardCharsets.US_ASCII);
        HandoverFrame frame = new HandoverFrame("request-ü-1", 3, state);

        HandoverFrame decoded = HandoverFrame.decode(frame.encode());

        assertThat(decoded.requestId()).isEqualTo("request-ü-1");
        assertThat(decoded.streamedTokens()).isEqualTo(3);
        assertThat(decoded.state()).isEqualTo(state);
    }

    @Test
    void headerStartsWithMagicAndVersion() {
        byte[] bytes = new HandoverFrame("r", 1, new byte[] {7}).encode();

        assertThat(new String(bytes, 0, 4, StandardCharsets.US_ASCII)).isEqualTo("MLHO");
        assertThat(bytes[4]).isEqualTo((byte) HandoverFrame.VERSION);
        assertThat(bytes).hasSize(4 + 4 + 4 + 1 + 4 + 4 + 1);
    }

    @Test
    void otherMagicIsRejected() {
        byte[] bytes = new HandoverFrame("r", 1, new byte[] {7}).encode();
        bytes[0] = 'X';

        assertThatThrownBy(() -> HandoverFrame.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("MLHO");
    }

    @Test
    void otherVersionIsRejected() {
        byte[] bytes = new HandoverFrame("r", 1, new byte[] {7}).encode();
        bytes[4] = 2;

        assertThatThrownBy(() -> HandoverFrame.decode(bytes)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("version 2");
    }

    @Test
    void truncatedFrameIsRejected() {
        byte[] bytes = new HandoverFrame("r", 1, new byte[] {1, 2, 3}).encode();

        assertThatThrownBy(() -> HandoverFrame.decode(Arrays.copyOf(bytes, bytes.length - 2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("truncated");
    }
}
