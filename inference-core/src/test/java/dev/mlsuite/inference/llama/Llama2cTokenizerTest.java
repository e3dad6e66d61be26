package dev.mlsuite.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlsuite.inference.engine.EngineStartupException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

class Llama2cTokenizerTest {

    private static Llama2cTokenizer tokenizer;

    @BeforeAll
    static void loadVocabulary() {
        tokenizer = Llama2cTokenizer.load(Stories260K.TOKENIZER, 512, Stories260K.SETTING);
    }

    @Test
    void vocabularyHasSpecialAndByteTokens() {
        assertThat(tokenizer.vocabSize()).isEqualTo(512);
        assertThat(tokenizer.piece(0)).isEqualTo("<unk>");
        assertThat(tokenizer.piece(1)).isEqualTo("\n<s>\n");
        assertThat(tokenizer.piece(2)).isEqualTo("\n</s>\n");
        for (int b = 0; b < 256; b++) {
            assertThat(tokenizer.piece(3 + b)).isEqualTo(String.format("<0x%02X>", b));
        }
    }

    @Test
    void referencePiecesDecodeToReferenceText() throws IOException {
        JsonNode reference = new ObjectMapper().readTree(Stories260K.REFERENCE.toFile());
        int[] tokens = ints(reference.get("greedy_tokens"));
        String rawText = reference.get("text").asString();

        StringBuilder pieces = new StringBuilder();
        for (int token : tokens) {
            pieces.append(tokenizer.piece(token));
        }
        assertThat(pieces.toString()).isEqualTo(rawText);

        int[] withBos = IntStream.concat(IntStream.of(1), Arrays.stream(tokens)).toArray();
        String expected = rawText.replace("<0x0A>", "\n").substring(1);
        assertThat(tokenizer.decode(withBos)).isEqualTo(expected);
    }

    @Test
    void encodesCommonWordsAsMergedTokens() {
        int[] tokens = tokenizer.encode("Once upon a time", true);

        assertThat(tokens[0]).isEqualTo(Llama2cTokenizer.BOS_ID);
        assertThat(tokens.length).isLessThan(1 + "Once upon a time".length());
        assertThat(tokenizer.piece(tokens[1])).startsWith(" ");
        assertThat(tokenizer.decode(tokens)).isEqualTo("Once upon a time");
    }

    @Test
    void mergesHighestScoringPairFirst() {
        // Reference greedy output starts with " Once" and " upon": each must come out as one token.
        int[] once = tokenizer.encode("Once", false);
        int[] upon = tokenizer.encode("upon", false);

        assertThat(once).containsExactly(403);
        assertThat(upon).containsExactly(407);
    }

    @Test
    void unknownCharactersFallBackToUtf8Bytes() {
        int[] tokens = tokenizer.encode("\uD83E\uDD99", false);

        // " " then the four UTF-8 bytes F0 9F A6 99 of U+1F999 (llama) as byte tokens.
        assertThat(tokens).hasSize(5);
        assertThat(tokenizer.piece(tokens[0])).isEqualTo(" ");
        assertThat(Arrays.copyOfRange(tokens, 1, 5)).containsExactly(3 + 0xF0, 3 + 0x9F, 3 + 0xA6, 3 + 0x99);
    }

    @Test
    void roundTripsHandPickedText() {
        List<String> texts = List.of("", "a", " leading space", "two  spaces", "tab\tand\nnewline\r\n",
                "Lily's mom said, \"Let's go!\"", "caf\u00e9 na\u00efve \u00fcber", "\u65e5\u672c\u8a9e\u306e\u6587",
                "emoji \uD83D\uDE00\uD83E\uDD99 mixed", "e\u0301 combining", "\u0000nul and \u007f del",
                "trailing space ", "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 family", "<0x41> literal");
        for (String text : texts) {
            int[] tokens = tokenizer.encode(text, true);

            assertThat(tokenizer.decode(tokens)).as("round trip of %s", text).isEqualTo(text);
        }
    }

    @Test
    void roundTripsRandomCodePoints() {
        Random random = new Random(42);
        for (int sample = 0; sample < 200; sample++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(40);
            while (text.codePointCount(0, text.length()) < length) {
                int codePoint = randomCodePoint(random);
                text.appendCodePoint(codePoint);
            }

            int[] tokens = tokenizer.encode(text.toString(), true);

            assertThat(tokenizer.decode(tokens)).as("sample %d", sample).isEqualTo(text.toString());
        }
    }

    @Test
    void streamedTokenBytesMatchDecode() {
        String text = "She saw a \uD83D\uDC36 and said \u00abhello\u00bb.";
        int[] tokens = tokenizer.encode(text, true);

        ByteArrayOutputStream streamed = new ByteArrayOutputStream();
        int previous = -1;
        for (int token : tokens) {
            streamed.writeBytes(tokenizer.tokenBytes(previous, token));
            previous = token;
        }

        assertThat(streamed.toString(StandardCharsets.UTF_8)).isEqualTo(text);
    }

    @Test
    void tokenOutsideVocabularyIsRejected() {
        assertThatThrownBy(() -> tokenizer.decode(new int[] {1, 512}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("512");
    }

    @Test
    void vocabularySizeMismatchNamesFile(@TempDir Path temp) throws IOException {
        Path copy = Files.copy(Stories260K.TOKENIZER, temp.resolve("tok.bin"));

        assertThatThrownBy(() -> Llama2cTokenizer.load(copy, 500, "inference.models.detox.tokenizer"))
                .isInstanceOf(EngineStartupException.class)
                .hasMessageContaining(copy.toAbsolutePath().toString())
                .hasMessageContaining("inference.models.detox.tokenizer")
                .hasMessageContaining("vocab_size");
        assertThatThrownBy(() -> Llama2cTokenizer.load(copy, 600, "inference.models.detox.tokenizer"))
                .isInstanceOf(EngineStartupException.class)
                .hasMessageContaining("ends before token 600");
    }

    private static int randomCodePoint(Random random) {
        while (true) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> 0x20 + random.nextInt(0x5F);
                case 1 -> random.nextInt(0x800);
                case 2 -> random.nextInt(0x10000);
                default -> 0x10000 + random.nextInt(0x100000);
            };
            if (Character.isValidCodePoint(codePoint) && Character.getType(codePoint) != Character.SURROGATE) {
                return codePoint;
            }
        }
    }

    private static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).asInt();
        }
        return values;
    }
}
