package dev.mlsuite.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlsuite.inference.engine.EngineStartupException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts the tok512.bin vocabulary into a LLaMA-style {@code tokenizer.json}, with merges ranked by
 * the score of the merged token as Hugging Face's sentencepiece conversion ranks them, and checks that
 * the Rust {@code tokenizers} library encodes every text exactly as {@link Llama2cTokenizer} does.
 */
class HfLlamaTokenizerTest {

    @TempDir
    static Path temp;

    private static Llama2cTokenizer llama2c;
    private static HfLlamaTokenizer hf;

    @BeforeAll
    static void convertVocabulary() throws IOException {
        llama2c = Llama2cTokenizer.load(Stories260K.TOKENIZER, 512, Stories260K.SETTING);
        Path file = temp.resolve("tokenizer.json");
        Files.writeString(file, tokenizerJson(llama2c));
        hf = HfLlamaTokenizer.load(file, 512, 1, 2, "test tokenizer");
    }

    @AfterAll
    static void close() {
        hf.close();
    }

    @Test
    void encodesLikeLlama2c() {
        List<String> texts = List.of("Once upon a time, there was a little girl named Lily.",
                "She said, \"I want to play with the ball!\"", "tab\tand\nnewline", "  two leading spaces",
                "caf\u00e9 \u65e5\u672c \uD83E\uDD99", "Lily's mom didn't know what to do.");
        for (String text : texts) {
            assertThat(hf.encode(text, true)).as(text).containsExactly(llama2c.encode(text, true));
        }
    }

    @Test
    void encodesRandomTextLikeLlama2c() {
        Random random = new Random(17);
        String alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJ.,!?'\"\n\u00e9\u00fc\u4e2d\uD83D\uDE00";
        int[] codePoints = alphabet.codePoints().toArray();
        for (int sample = 0; sample < 100; sample++) {
            StringBuilder text = new StringBuilder();
            int length = 1 + random.nextInt(60);
            for (int i = 0; i < length; i++) {
                text.appendCodePoint(codePoints[random.nextInt(codePoints.length)]);
            }

            assertThat(hf.encode(text.toString(), true)).as("sample %d: %s", sample, text)
                    .containsExactly(llama2c.encode(text.toString(), true));
        }
    }

    @Test
    void decodesReferenceTokens() {
        int[] tokens = ReferenceGreedy.load().greedyTokens();
        int[] withBos = new int[tokens.length + 1];
        withBos[0] = 1;
        System.arraycopy(tokens, 0, withBos, 1, tokens.length);

        assertThat(hf.decode(withBos)).isEqualTo(llama2c.decode(withBos));
        assertThat(hf.decode(withBos)).startsWith("Once upon a time").contains("\n");
    }

    @Test
    void vocabularySizeMismatchIsRejected() {
        assertThatThrownBy(() -> HfLlamaTokenizer.load(temp.resolve("tokenizer.json"), 600, 1, 2, "test.tokenizer"))
                .isInstanceOf(EngineStartupException.class)
                .hasMessageContaining("token id 512 is missing")
                .hasMessageContaining("test.tokenizer");
    }

    /** Writes a LLaMA-style tokenizer.json with the pieces and scores of a llama2.c vocabulary. */
    static String tokenizerJson(Llama2cTokenizer vocabulary) {
        JsonMapper json = JsonMapper.builder().build();
        ObjectNode root = json.createObjectNode();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");

        ArrayNode added = root.putArray("added_tokens");
        String[] specials = {"<unk>", "<s>", "</s>"};
        for (int id = 0; id < specials.length; id++) {
            added.addObject().put("id", id).put("content", specials[id]).put("single_word", false)
                    .put("lstrip", false).put("rstrip", false).put("normalized", false).put("special", true);
        }

        ObjectNode normalizer = root.putObject("normalizer").put("type", "Sequence");
        ArrayNode normalizers = normalizer.putArray("normalizers");
        normalizers.addObject().put("type", "Prepend").put("prepend", "\u2581");
        ObjectNode replace = normalizers.addObject().put("type", "Replace");
        replace.putObject("pattern").put("String", " ");
        replace.put("content", "\u2581");
        root.putNull("pre_tokenizer");
        root.putNull("post_processor");

        ObjectNode decoder = root.putObject("decoder").put("type", "Sequence");
        ArrayNode decoders = decoder.putArray("decoders");
        ObjectNode replaceBack = decoders.addObject().put("type", "Replace");
        replaceBack.putObject("pattern").put("String", "\u2581");
        replaceBack.put("content", " ");
        decoders.addObject().put("type", "ByteFallback");
        decoders.addObject().put("type", "Fuse");
        decoders.addObject().put("type", "Strip").put("content", " ").put("start", 1).put("stop", 0);

        ObjectNode model = root.putObject("model").put("type", "BPE");
        model.putNull("dropout");
        model.put("unk_token", "<unk>").putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", true).put("byte_fallback", true);
        ObjectNode vocab = model.putObject("vocab");
        Map<String, Integer> ids = new HashMap<>();
        for (int id = 0; id < vocabulary.vocabSize(); id++) {
            String piece = id < specials.length ? specials[id] : hfPiece(vocabulary, id);
            vocab.put(piece, id);
            ids.put(piece, id);
        }

        record Merge(String left, String right, float score, int id) {
        }
        List<Merge> merges = new ArrayList<>();
        for (int id = 3 + 256; id < vocabulary.vocabSize(); id++) {
            String piece = hfPiece(vocabulary, id);
            int[] offsets = piece.codePoints().map(Character::charCount).toArray();
            int split = 0;
            for (int i = 0; i + 1 < offsets.length; i++) {
                split += offsets[i];
                String left = piece.substring(0, split);
                String right = piece.substring(split);
                if (ids.containsKey(left) && ids.containsKey(right)) {
                    merges.add(new Merge(left, right, vocabulary.score(id), id));
                }
            }
        }
        merges.sort(Comparator.comparing(Merge::score).reversed().thenComparing(Merge::id));
        ArrayNode mergeList = model.putArray("merges");
        merges.forEach(merge -> mergeList.add(merge.left() + " " + merge.right()));
        return json.writeValueAsString(root);
    }

    private static String hfPiece(Llama2cTokenizer vocabulary, int id) {
        String latin1 = vocabulary.piece(id);
        String text = new String(latin1.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1),
                java.nio.charset.StandardCharsets.UTF_8);
        return text.replace(' ', '\u2581');
    }
}
