package dev.mlsuite.inference.llama;

import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.ModelFiles;
import dev.mlsuite.inference.generation.TextTokenizer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The sentencepiece-derived vocabulary of llama2.c ({@code tok512.bin}, {@code tokenizer.bin}).
 *
 * <p>File layout, little-endian: int32 {@code max_token_length}, then for each of the
 * {@code vocab_size} tokens a float32 merge score, an int32 byte length and the token bytes. Ids 0, 1
 * and 2 are {@code <unk>}, {@code <s>} (BOS) and {@code </s>} (EOS); ids 3 to 258 are the byte-fallback
 * tokens {@code <0x00>} to {@code <0xFF>}. Spaces are stored as plain spaces, not as sentencepiece's
 * {@code U+2581}.
 *
 * <p>Encoding follows llama2.c's {@code run.c}: a space is put before non-empty text, each UTF-8
 * character becomes its token or, when the vocabulary lacks it, one byte-fallback token per byte, and
 * then the adjacent pair whose concatenation is a token with the highest score is merged until no
 * pair merges. Decoding drops the space that starts the first piece after BOS.
 */
public final class Llama2cTokenizer implements TextTokenizer {

    public static final int UNKNOWN_ID = 0;
    public static final int BOS_ID = 1;
    public static final int EOS_ID = 2;
    /** Id of the byte-fallback token {@code <0x00>}; byte {@code b} has id {@code BYTE_FALLBACK_OFFSET + b}. */
    public static final int BYTE_FALLBACK_OFFSET = 3;

    private final byte[][] pieces;
    private final float[] scores;
    /** Token bytes as ISO-8859-1 strings, so that string concatenation is byte concatenation. */
    private final Map<String, Integer> idsByPiece;
    private final int maxTokenLength;

    private Llama2cTokenizer(byte[][] pieces, float[] scores, int maxTokenLength) {
        this.pieces = pieces;
        this.scores = scores;
        this.maxTokenLength = maxTokenLength;
        this.idsByPiece = new HashMap<>(pieces.length * 2);
        for (int id = pieces.length - 1; id >= 0; id--) {
            idsByPiece.put(new String(pieces[id], StandardCharsets.ISO_8859_1), id);
        }
    }

    /**
     * Reads a llama2.c vocabulary of {@code vocabSize} tokens.
     *
     * @param setting configuration key that chose the file, named in errors
     * @throws EngineStartupException when the file is missing, truncated or longer than expected
     */
    public static Llama2cTokenizer load(Path file, int vocabSize, String setting) {
        ModelFiles.requireReadableFile(file, setting);
        byte[] content;
        try {
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new EngineStartupException("Failed to read tokenizer file " + file.toAbsolutePath(), e);
        }

        ByteBuffer buffer = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        try {
            int maxTokenLength = buffer.getInt();
            byte[][] pieces = new byte[vocabSize][];
            float[] scores = new float[vocabSize];
            for (int id = 0; id < vocabSize; id++) {
                scores[id] = buffer.getFloat();
                int length = buffer.getInt();
                if (length < 0 || length > maxTokenLength) {
                    throw invalid(file, setting, "token " + id + " has length " + length
                            + " outside 0.." + maxTokenLength);
                }
                pieces[id] = new byte[length];
                buffer.get(pieces[id]);
            }
            if (buffer.hasRemaining()) {
                throw invalid(file, setting, buffer.remaining() + " bytes follow the " + vocabSize
                        + " tokens; the vocabulary does not match the model's vocab_size");
            }
            return new Llama2cTokenizer(pieces, scores, maxTokenLength);
        } catch (java.nio.BufferUnderflowException e) {
            throw invalid(file, setting, "the file ends before token " + vocabSize + " of the vocabulary");
        }
    }

    private static EngineStartupException invalid(Path file, String setting, String reason) {
        return new EngineStartupException("Invalid llama2.c tokenizer file " + file.toAbsolutePath() + ": " + reason
                + ". Check the setting " + setting + ".");
    }

    @Override
    public int[] encode(String text, boolean addBos) {
        List<Integer> tokens = new ArrayList<>();
        if (addBos) {
            tokens.add(BOS_ID);
        }
        if (text.isEmpty()) {
            return toArray(tokens);
        }

        List<Integer> symbols = initialSymbols(text);
        mergeByScore(symbols);
        tokens.addAll(symbols);
        return toArray(tokens);
    }

    /** Splits {@code " " + text} into character tokens, with byte-fallback tokens for unknown characters. */
    private List<Integer> initialSymbols(String text) {
        List<Integer> symbols = new ArrayList<>(text.length() + 1);
        Integer space = idsByPiece.get(" ");
        if (space != null) {
            symbols.add(space);
        } else {
            symbols.add(BYTE_FALLBACK_OFFSET + ' ');
        }

        text.codePoints().forEach(codePoint -> {
            byte[] utf8 = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
            Integer id = idsByPiece.get(new String(utf8, StandardCharsets.ISO_8859_1));
            if (id != null) {
                symbols.add(id);
                return;
            }
            for (byte b : utf8) {
                symbols.add(BYTE_FALLBACK_OFFSET + (b & 0xFF));
            }
        });
        return symbols;
    }

    /**
     * Merges, one pair per round, the adjacent pair whose concatenation has the highest score; the
     * leftmost pair wins ties. Each round scans the whole sequence, so the cost grows with the square
     * of the text length.
     */
    private void mergeByScore(List<Integer> symbols) {
        while (true) {
            float bestScore = Float.NEGATIVE_INFINITY;
            int bestId = -1;
            int bestIndex = -1;
            for (int i = 0; i + 1 < symbols.size(); i++) {
                Integer merged = lookupPair(symbols.get(i), symbols.get(i + 1));
                if (merged != null && scores[merged] > bestScore) {
                    bestScore = scores[merged];
                    bestId = merged;
                    bestIndex = i;
                }
            }
            if (bestIndex < 0) {
                return;
            }
            symbols.set(bestIndex, bestId);
            symbols.remove(bestIndex + 1);
        }
    }

    private Integer lookupPair(int left, int right) {
        int length = pieces[left].length + pieces[right].length;
        if (length > maxTokenLength) {
            return null;
        }
        String joined = new String(pieces[left], StandardCharsets.ISO_8859_1)
                + new String(pieces[right], StandardCharsets.ISO_8859_1);
        return idsByPiece.get(joined);
    }

    @Override
    public byte[] tokenBytes(int previousToken, int token) {
        if (token < 0 || token >= pieces.length) {
            throw new IllegalArgumentException("Token id " + token + " is outside the vocabulary 0.." + (pieces.length - 1));
        }
        if (token == BOS_ID || token == EOS_ID) {
            return new byte[0];
        }
        if (token >= BYTE_FALLBACK_OFFSET && token < BYTE_FALLBACK_OFFSET + 256) {
            return new byte[] {(byte) (token - BYTE_FALLBACK_OFFSET)};
        }
        byte[] piece = pieces[token];
        boolean startsText = previousToken == BOS_ID || previousToken < 0;
        if (startsText && piece.length > 0 && piece[0] == ' ') {
            return java.util.Arrays.copyOfRange(piece, 1, piece.length);
        }
        return piece.clone();
    }

    /** Returns the stored bytes of {@code token} as ISO-8859-1 text, e.g. {@code <0x0A>} or {@code " the"}. */
    public String piece(int token) {
        return new String(pieces[token], StandardCharsets.ISO_8859_1);
    }

    public float score(int token) {
        return scores[token];
    }

    @Override
    public int vocabSize() {
        return pieces.length;
    }

    @Override
    public int bosId() {
        return BOS_ID;
    }

    @Override
    public int eosId() {
        return EOS_ID;
    }

    private static int[] toArray(List<Integer> values) {
        int[] array = new int[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }
}
