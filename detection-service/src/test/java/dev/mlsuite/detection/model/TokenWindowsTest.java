package dev.mlsuite.detection.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.mlsuite.inference.bert.BertEncoder;

class TokenWindowsTest {

    /** MiniLM's uncased BERT vocabulary: [CLS] = 101, [SEP] = 102. */
    private static final long CLS = 101;
    private static final long SEP = 102;

    private static TokenWindows windows;

    @BeforeAll
    static void loadTokenizer() throws Exception {
        try (InputStream input = TokenWindowsTest.class.getClassLoader()
                .getResourceAsStream(BertEncoder.MINILM_TOKENIZER_RESOURCE)) {
            windows = TokenWindows.load(input, new ChunkingSettings(12, 3));
        }
    }

    @AfterAll
    static void closeTokenizer() {
        windows.close();
    }

    private static String longText() {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 9; i++) {
            text.append("sentence number ").append(i).append(" talks about topic ").append(i * 7).append(". ");
        }
        return text.toString();
    }

    @Test
    void shortTextFitsOneWindow() {
        List<long[]> result = windows.windows("hello world");

        assertThat(result).hasSize(1);
        assertThat(result.get(0)).hasSize(windows.countTokens("hello world") + 2);
        assertThat(result.get(0)[0]).isEqualTo(CLS);
        assertThat(result.get(0)[result.get(0).length - 1]).isEqualTo(SEP);
    }

    @Test
    void emptyTextGivesOnlySpecialTokens() {
        assertThat(windows.windows("")).containsExactly(new long[] {CLS, SEP});
    }

    @Test
    void windowsOverlapAndCoverEveryToken() {
        String text = longText();
        List<long[]> result = windows.windows(text);
        int contentTokens = windows.countTokens(text);

        // 10 content tokens per window and a stride of 7 (overlap 3).
        int expectedWindows = (int) Math.ceil((contentTokens - 10) / 7.0) + 1;
        assertThat(result).hasSize(expectedWindows);

        List<Long> rebuilt = new ArrayList<>();
        for (int w = 0; w < result.size(); w++) {
            long[] window = result.get(w);
            assertThat(window.length).isLessThanOrEqualTo(12);
            assertThat(window[0]).isEqualTo(CLS);
            assertThat(window[window.length - 1]).isEqualTo(SEP);
            long[] content = Arrays.copyOfRange(window, 1, window.length - 1);
            if (w > 0) {
                long[] previous = result.get(w - 1);
                long[] previousTail = Arrays.copyOfRange(previous, previous.length - 1 - 3, previous.length - 1);
                assertThat(Arrays.copyOf(content, 3)).isEqualTo(previousTail);
                content = Arrays.copyOfRange(content, 3, content.length);
            }
            for (long id : content) {
                rebuilt.add(id);
            }
        }
        assertThat(rebuilt).hasSize(contentTokens);
    }

    @Test
    void overlapMustLeaveRoomToAdvance() {
        assertThatThrownBy(() -> new ChunkingSettings(12, 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 10)");
    }
}
