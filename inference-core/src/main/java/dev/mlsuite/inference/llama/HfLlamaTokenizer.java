package dev.mlsuite.inference.llama;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.ModelFiles;
import dev.mlsuite.inference.generation.TextTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A LLaMA-style Hugging Face {@code tokenizer.json} (sentencepiece BPE with byte fallback, spaces
 * written as {@code U+2581}): DJL's binding of the Rust {@code tokenizers} library encodes, and this
 * class maps ids back to bytes from the vocabulary in the same file.
 *
 * <p>Decoding follows the LLaMA decoder of {@code tokenizers}: {@code U+2581} becomes a space,
 * {@code <0xNN>} tokens become byte {@code NN}, special tokens are dropped, and the space that starts
 * the text is stripped.
 */
public final class HfLlamaTokenizer implements TextTokenizer, AutoCloseable {

    private static final char SENTENCEPIECE_SPACE = '\u2581';
    private static final Pattern BYTE_TOKEN = Pattern.compile("<0x([0-9A-Fa-f]{2})>");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HuggingFaceTokenizer tokenizer;
    private final byte[][] bytesById;
    private final boolean[] special;
    private final int bosId;
    private final int eosId;

    private HfLlamaTokenizer(HuggingFaceTokenizer tokenizer, byte[][] bytesById, boolean[] special, int bosId,
            int eosId) {
        this.tokenizer = tokenizer;
        this.bytesById = bytesById;
        this.special = special;
        this.bosId = bosId;
        this.eosId = eosId;
    }

    /**
     * Loads {@code tokenizer.json}; the vocabulary must have {@code vocabSize} ids.
     *
     * @param bosId id of the beginning-of-sequence token ({@code bos_token_id} in {@code config.json})
     * @param eosId id of the end-of-sequence token ({@code eos_token_id} in {@code config.json})
     * @param setting configuration key that chose the file, named in errors
     * @throws EngineStartupException when the file is missing, is not a BPE tokenizer, or its vocabulary
     *     size differs
     */
    public static HfLlamaTokenizer load(Path file, int vocabSize, int bosId, int eosId, String setting) {
        ModelFiles.requireReadableFile(file, setting);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw invalid(file, setting, "it is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        JsonNode model = root.path("model");
        if (!"BPE".equals(model.path("type").asString(""))) {
            throw invalid(file, setting, "model.type is '" + model.path("type").asString("") + "', expected 'BPE'");
        }

        byte[][] bytesById = new byte[vocabSize][];
        boolean[] special = new boolean[vocabSize];
        boolean byteFallback = model.path("byte_fallback").asBoolean(false);
        for (Map.Entry<String, JsonNode> entry : model.path("vocab").properties()) {
            putPiece(bytesById, entry.getValue().asInt(), entry.getKey(), byteFallback, file, setting);
        }
        for (JsonNode added : root.path("added_tokens")) {
            int id = added.path("id").asInt();
            putPiece(bytesById, id, added.path("content").asString(""), false, file, setting);
            special[id] = added.path("special").asBoolean(false);
        }
        for (int id = 0; id < vocabSize; id++) {
            if (bytesById[id] == null) {
                throw invalid(file, setting, "token id " + id + " is missing, expected ids 0.." + (vocabSize - 1));
            }
        }

        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new HfLlamaTokenizer(tokenizer, bytesById, special, bosId, eosId);
        } catch (IOException | RuntimeException e) {
            throw invalid(file, setting, "the tokenizers library rejected it (" + e.getMessage() + ")");
        }
    }

    private static void putPiece(byte[][] bytesById, int id, String piece, boolean byteFallback, Path file,
            String setting) {
        if (id < 0 || id >= bytesById.length) {
            throw invalid(file, setting, "token '" + piece + "' has id " + id + " outside the vocabulary 0.."
                    + (bytesById.length - 1));
        }
        Matcher byteToken = BYTE_TOKEN.matcher(piece);
        if (byteFallback && byteToken.matches()) {
            bytesById[id] = new byte[] {(byte) Integer.parseInt(byteToken.group(1), 16)};
        } else {
            bytesById[id] = piece.replace(SENTENCEPIECE_SPACE, ' ').getBytes(StandardCharsets.UTF_8);
        }
    }

    private static EngineStartupException invalid(Path file, String setting, String reason) {
        return new EngineStartupException("Invalid tokenizer file " + file.toAbsolutePath() + ": " + reason
                + ". Check the setting " + setting + ".");
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        long[] ids = tokenizer.encode(text, false, false).getIds();
        int offset = addBos ? 1 : 0;
        int[] tokens = new int[ids.length + offset];
        if (addBos) {
            tokens[0] = bosId;
        }
        for (int i = 0; i < ids.length; i++) {
            tokens[i + offset] = Math.toIntExact(ids[i]);
        }
        return tokens;
    }

    @Override
    public byte[] tokenBytes(int previousToken, int token) {
        if (token < 0 || token >= bytesById.length) {
            throw new IllegalArgumentException("Token id " + token + " is outside the vocabulary 0.."
                    + (bytesById.length - 1));
        }
        if (special[token]) {
            return new byte[0];
        }
        byte[] piece = bytesById[token];
        boolean startsText = previousToken < 0 || (previousToken < special.length && special[previousToken]);
        if (startsText && piece.length > 0 && piece[0] == ' ') {
            return Arrays.copyOfRange(piece, 1, piece.length);
        }
        return piece.clone();
    }

    @Override
    public int vocabSize() {
        return bytesById.length;
    }

    @Override
    public int bosId() {
        return bosId;
    }

    @Override
    public int eosId() {
        return eosId;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
