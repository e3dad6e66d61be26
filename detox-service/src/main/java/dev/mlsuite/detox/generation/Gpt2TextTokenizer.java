package dev.mlsuite.detox.generation;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.ModelFiles;
import dev.mlsuite.inference.generation.TextTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A GPT-2 style byte-level BPE {@code tokenizer.json}: DJL's binding of the Rust {@code tokenizers}
 * library encodes, and this class maps ids back to bytes through the byte-to-character table of
 * byte-level BPE, so streamed output can split a multi-byte character across tokens.
 *
 * <p>GPT-2 uses one token, {@code <|endoftext|>}, as both the start and the end of a text; the ids
 * come from {@code bos_token_id} and {@code eos_token_id} of {@code config.json}. Added tokens
 * marked special decode to nothing.
 */
public final class Gpt2TextTokenizer implements TextTokenizer, AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Map<Character, Byte> BYTE_OF_CHAR = byteLevelTable();

    private final HuggingFaceTokenizer tokenizer;
    private final byte[][] bytesById;
    private final boolean[] special;
    private final int bosId;
    private final int eosId;

    private Gpt2TextTokenizer(HuggingFaceTokenizer tokenizer, byte[][] bytesById, boolean[] special, int bosId,
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
     * @param setting configuration key that chose the folder, named in errors
     * @throws EngineStartupException when the file is missing or invalid or its vocabulary size differs
     */
    public static Gpt2TextTokenizer load(Path file, int vocabSize, int bosId, int eosId, String setting) {
        ModelFiles.requireReadableFile(file, setting);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JacksonException e) {
            throw invalid(file, setting, "it is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        byte[][] bytesById = new byte[vocabSize][];
        boolean[] special = new boolean[vocabSize];
        for (Map.Entry<String, JsonNode> entry : root.path("model").path("vocab").properties()) {
            int id = checkedId(entry.getValue().asInt(), entry.getKey(), vocabSize, file, setting);
            bytesById[id] = pieceBytes(entry.getKey());
        }
        for (JsonNode added : root.path("added_tokens")) {
            String content = added.path("content").asString("");
            int id = checkedId(added.path("id").asInt(), content, vocabSize, file, setting);
            bytesById[id] = content.getBytes(StandardCharsets.UTF_8);
            special[id] = added.path("special").asBoolean(false);
        }
        for (int id = 0; id < vocabSize; id++) {
            if (bytesById[id] == null) {
                throw invalid(file, setting, "token id " + id + " is missing, expected ids 0.." + (vocabSize - 1));
            }
        }
        if (bosId < 0 || bosId >= vocabSize || eosId < 0 || eosId >= vocabSize) {
            throw invalid(file, setting, "bos_token_id " + bosId + " or eos_token_id " + eosId
                    + " lies outside the vocabulary 0.." + (vocabSize - 1));
        }
        try {
            HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(file,
                    Map.of("addSpecialTokens", "false", "truncation", "false", "padding", "false"));
            return new Gpt2TextTokenizer(tokenizer, bytesById, special, bosId, eosId);
        } catch (IOException | RuntimeException e) {
            throw invalid(file, setting, "the tokenizers library rejected it (" + e.getMessage() + ")");
        }
    }

    private static int checkedId(int id, String piece, int vocabSize, Path file, String setting) {
        if (id < 0 || id >= vocabSize) {
            throw invalid(file, setting, "token '" + piece + "' has id " + id + " outside the vocabulary 0.."
                    + (vocabSize - 1) + " of config.json");
        }
        return id;
    }

    /** Maps a byte-level piece back to bytes; a character outside the table stands for its UTF-8 bytes. */
    private static byte[] pieceBytes(String piece) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(piece.length());
        for (int i = 0; i < piece.length(); i++) {
            char c = piece.charAt(i);
            Byte b = BYTE_OF_CHAR.get(c);
            if (b != null) {
                out.write(b);
            } else {
                out.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out.toByteArray();
    }

    /**
     * The byte-level BPE alphabet: printable Latin-1 bytes stand for themselves and the other 68
     * bytes take the characters from U+0100 upwards, in byte order.
     */
    private static Map<Character, Byte> byteLevelTable() {
        Map<Character, Byte> table = new HashMap<>();
        int next = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            char c = printable ? (char) b : (char) (256 + next++);
            table.put(c, (byte) b);
        }
        return Map.copyOf(table);
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
        return special[token] ? new byte[0] : bytesById[token].clone();
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
