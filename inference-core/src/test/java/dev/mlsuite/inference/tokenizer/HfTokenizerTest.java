package dev.mlsuite.inference.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the all-MiniLM-L6-v2 WordPiece tokenizer from the langchain4j test dependency. */
class HfTokenizerTest {

    private static final int MAX_TOKENS = 16;

    private static HfTokenizer tokenizer;

    @BeforeAll
    static void loadTokenizer() throws IOException {
        try (InputStream input = resource("all-minilm-l6-v2-tokenizer.json")) {
            tokenizer = HfTokenizer.load(input, "all-minilm-l6-v2-tokenizer.json", MAX_TOKENS);
        }
    }

    @AfterAll
    static void closeTokenizer() {
        tokenizer.close();
    }

    @Test
    void nativeLibraryShipsInJarAndLoadsOffline() {
        assertThat(System.getProperty("ai.djl.offline")).as("surefire sets DJL offline").isEqualTo("true");
        assertThat(HfTokenizer.class.getClassLoader().getResource("native/lib/linux-x86_64/cpu/libtokenizers.so"))
                .as("linux-x86_64 library inside ai.djl.huggingface:tokenizers")
                .isNotNull();
        assertThat(tokenizer.encode("ok")).isNotEmpty();
    }

    @Test
    void encodesWithClsAndSepAroundWordPieces() {
        // Ids of the bert-base-uncased vocabulary that all-MiniLM-L6-v2 uses.
        assertThat(tokenizer.encode("Hello, World!")).containsExactly(101, 7592, 1010, 2088, 999, 102);
        assertThat(tokenizer.tokens("Hello, World!")).containsExactly("[CLS]", "hello", ",", "world", "!", "[SEP]");
    }

    @Test
    void truncatesToMaxTokensKeepingSep() {
        long[] ids = tokenizer.encode("one two three four five six seven eight nine ten eleven twelve thirteen"
                + " fourteen fifteen sixteen seventeen eighteen");

        assertThat(ids).hasSize(MAX_TOKENS);
        assertThat(ids[0]).isEqualTo(101);
        assertThat(ids[MAX_TOKENS - 1]).isEqualTo(102);
    }

    @Test
    void batchIsPaddedToLongestText() {
        TokenBatch batch = tokenizer.encodeBatch(List.of("a b c d", "hi"));

        assertThat(batch.batchSize()).isEqualTo(2);
        assertThat(batch.sequenceLength()).isEqualTo(6);
        assertThat(batch.tokenCount(0)).isEqualTo(6);
        assertThat(batch.tokenCount(1)).isEqualTo(3);
        assertThat(batch.rowIds(1)).containsExactly(101, 7632, 102);
        assertThat(batch.inputIds()).endsWith(102, 0, 0, 0);
        assertThat(batch.attentionMask()).containsExactly(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0);
        assertThat(batch.tokenTypeIds()).containsOnly(0L);
        assertThat(tokenizer.padId()).isZero();
    }

    @Test
    void concurrentEncodingMatchesSequential() throws Exception {
        List<String> texts = List.of("The first sentence.", "Another, rather different one!", "Short", "x y z");
        List<long[]> expected = texts.stream().map(tokenizer::encode).toList();

        ExecutorService executor = Executors.newFixedThreadPool(4);
        try {
            List<Future<long[]>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String text = texts.get(i % texts.size());
                futures.add(executor.submit(() -> tokenizer.encode(text)));
            }
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get()).containsExactly(expected.get(i % texts.size()));
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void decodeSkipsSpecialTokens() {
        assertThat(tokenizer.decode(tokenizer.encode("Hello, World!"))).isEqualTo("hello, world!");
    }

    @Test
    void emptyTextGivesOnlySpecialTokens() {
        assertThat(tokenizer.encode("")).containsExactly(101, 102);
    }

    @Test
    void missingFileIsNamed(@TempDir Path directory) {
        Path missing = directory.resolve("tokenizer.json");

        assertThatThrownBy(() -> HfTokenizer.load(missing, 8))
                .isInstanceOf(IOException.class)
                .hasMessage("tokenizer file not found: " + missing);
    }

    @Test
    void invalidJsonIsRejectedWithSource(@TempDir Path directory) throws IOException {
        Path broken = Files.writeString(directory.resolve("tokenizer.json"), "{\"model\": ");

        assertThatThrownBy(() -> HfTokenizer.load(broken, 8))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(broken.toString())
                .hasMessageContaining("failed to load the tokenizer");
    }

    private static InputStream resource(String name) {
        InputStream input = HfTokenizerTest.class.getClassLoader().getResourceAsStream(name);
        assertThat(input).as(name + " on the test classpath").isNotNull();
        return input;
    }
}
