package dev.mlsuite.inference.generation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.hooks.Hooks;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Binary form of an unfinished {@link SequenceState}, so that decoding can continue in another
 * worker or process with the same model: identical tokens follow, sampling included.
 *
 * <p>Format version 1. Every number is little-endian; a string is an int32 byte length followed by
 * UTF-8 bytes.
 *
 * <pre>
 * magic           4 bytes  "MLSQ"
 * version         int32    1
 * model name      string   must equal the restoring model's name
 * vocab size      int32    must equal the restoring model's vocab size
 * sequence id     string
 * settings        int32 maxTokens, float32 temperature, int32 topK, float32 topP,
 *                 float32 repetitionPenalty, int64 seed, int32 n, n strings (stop strings)
 * random state    int64    xorshift64* state of the sampler
 * prompt length   int32
 * token count     int32    prompt plus generated tokens; the last one is not yet in the cache
 * tokens          int32[token count]
 * streamed chars  int32    UTF-16 chars of text already passed to the listener
 * cache header    int32 layers, int32 kvHeads, int32 headDim, int32 length (= token count - 1)
 * cache data      per layer: float32 keys [kvHeads, length, headDim], then float32 values, row-major
 * </pre>
 */
public final class SequenceStateCodec {

    public static final int FORMAT_VERSION = 1;
    private static final byte[] MAGIC = "MLSQ".getBytes(StandardCharsets.US_ASCII);

    private final CausalLanguageModel model;
    private final TextTokenizer tokenizer;

    public SequenceStateCodec(LanguageModel languageModel) {
        this.model = languageModel.model();
        this.tokenizer = languageModel.tokenizer();
    }

    /**
     * Writes {@code state} to bytes; the state stays usable.
     *
     * @throws IllegalStateException when the sequence has finished, because its cache is already freed
     */
    public byte[] serialize(SequenceState state) {
        if (state.isFinished()) {
            throw new IllegalStateException("Sequence " + state.id() + " has finished (" + state.finishReason()
                    + ") and has no cache to serialise");
        }
        KvCache cache = state.cache();
        List<byte[]> strings = new ArrayList<>();
        byte[] modelName = utf8(model.name());
        byte[] id = utf8(state.id());
        SamplingSettings settings = state.settings();
        for (String stop : settings.stopStrings()) {
            strings.add(utf8(stop));
        }

        long cacheFloats = 2L * cache.numLayers() * cache.numKeyValueHeads() * cache.length() * cache.headDim();
        long size = 4 + 4 + 4 + modelName.length + 4 + 4 + id.length + 4 + 4 + 4 + 4 + 4 + 8 + 4
                + strings.stream().mapToLong(s -> 4 + s.length).sum() + 8 + 4 + 4 + 4L * state.tokenCount() + 4
                + 16 + 4 * cacheFloats;
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(size)).order(ByteOrder.LITTLE_ENDIAN);

        out.put(MAGIC).putInt(FORMAT_VERSION);
        putBytes(out, modelName);
        out.putInt(model.vocabSize());
        putBytes(out, id);
        out.putInt(settings.maxTokens()).putFloat(settings.temperature()).putInt(settings.topK())
                .putFloat(settings.topP()).putFloat(settings.repetitionPenalty()).putLong(settings.seed())
                .putInt(strings.size());
        strings.forEach(s -> putBytes(out, s));
        out.putLong(state.random().state());
        out.putInt(state.promptLength()).putInt(state.tokenCount());
        for (int i = 0; i < state.tokenCount(); i++) {
            out.putInt(state.tokenBuffer()[i]);
        }
        out.putInt(state.generatedText().streamedChars());

        out.putInt(cache.numLayers()).putInt(cache.numKeyValueHeads()).putInt(cache.headDim()).putInt(cache.length());
        for (int layer = 0; layer < cache.numLayers(); layer++) {
            putFloats(out, cache.keys(layer));
            putFloats(out, cache.values(layer));
        }
        return out.array();
    }

    /**
     * Reads a sequence written by {@link #serialize}; its cache is created under the model's manager.
     *
     * @throws IllegalArgumentException when the bytes are not a sequence state of this format version
     *     and model, or are truncated
     */
    public SequenceState restore(byte[] bytes, Hooks hooks, TokenListener listener) {
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            return read(in, hooks, listener);
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("Sequence state is truncated: " + bytes.length + " bytes", e);
        }
    }

    private SequenceState read(ByteBuffer in, Hooks hooks, TokenListener listener) {
        byte[] magic = new byte[MAGIC.length];
        in.get(magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("Not a sequence state: the bytes do not start with MLSQ");
        }
        int version = in.getInt();
        if (version != FORMAT_VERSION) {
            throw new IllegalArgumentException("Sequence state format version " + version
                    + " is not supported; this runtime reads version " + FORMAT_VERSION);
        }
        String modelName = getString(in);
        int vocabSize = in.getInt();
        if (!modelName.equals(model.name()) || vocabSize != model.vocabSize()) {
            throw new IllegalArgumentException("Sequence state belongs to model " + modelName + " (vocab " + vocabSize
                    + ") but this model is " + model.name() + " (vocab " + model.vocabSize() + ")");
        }

        String id = getString(in);
        SamplingSettings settings = readSettings(in);
        SamplerRandom random = SamplerRandom.fromState(in.getLong());
        int promptLength = in.getInt();
        int tokenCount = in.getInt();
        if (promptLength < 1 || tokenCount <= promptLength || tokenCount > model.maxSequenceLength()) {
            throw new IllegalArgumentException("Sequence state has " + promptLength + " prompt tokens of " + tokenCount
                    + "; an unfinished sequence needs at least one generated token and at most "
                    + model.maxSequenceLength() + " tokens in all");
        }
        int[] tokens = new int[tokenCount];
        for (int i = 0; i < tokenCount; i++) {
            tokens[i] = in.getInt();
        }
        int streamedChars = in.getInt();

        KvCache cache = model.newCache();
        try {
            readCache(in, cache, tokenCount - 1);
            SequenceState state = new SequenceState(id, java.util.Arrays.copyOf(tokens, promptLength), settings, cache,
                    random, hooks, listener);
            int[] generated = java.util.Arrays.copyOfRange(tokens, promptLength, tokenCount);
            byte[][] generatedBytes = new byte[generated.length][];
            for (int i = 0; i < generated.length; i++) {
                generatedBytes[i] = tokenizer.tokenBytes(tokens[promptLength + i - 1], generated[i]);
            }
            state.restoreGenerated(generated, generatedBytes, streamedChars);
            return state;
        } catch (RuntimeException e) {
            cache.close();
            throw e;
        }
    }

    private static SamplingSettings readSettings(ByteBuffer in) {
        int maxTokens = in.getInt();
        float temperature = in.getFloat();
        int topK = in.getInt();
        float topP = in.getFloat();
        float repetitionPenalty = in.getFloat();
        long seed = in.getLong();
        int stopCount = in.getInt();
        if (stopCount < 0 || stopCount > SamplingSettings.MAX_STOP_STRINGS) {
            throw new IllegalArgumentException("Sequence state has " + stopCount + " stop strings");
        }
        List<String> stops = new ArrayList<>(stopCount);
        for (int i = 0; i < stopCount; i++) {
            stops.add(getString(in));
        }
        return new SamplingSettings(maxTokens, temperature, topK, topP, repetitionPenalty, seed, stops);
    }

    private void readCache(ByteBuffer in, KvCache cache, int expectedLength) {
        int layers = in.getInt();
        int heads = in.getInt();
        int headDim = in.getInt();
        int length = in.getInt();
        if (layers != cache.numLayers() || heads != cache.numKeyValueHeads() || headDim != cache.headDim()
                || length != expectedLength) {
            throw new IllegalArgumentException("Sequence state cache has layers=" + layers + ", kvHeads=" + heads
                    + ", headDim=" + headDim + ", length=" + length + " but the model needs " + cache.numLayers() + ", "
                    + cache.numKeyValueHeads() + ", " + cache.headDim() + ", " + expectedLength);
        }
        NDManager manager = cache.manager();
        Shape shape = new Shape(heads, length, headDim);
        NDArray[] keys = new NDArray[layers];
        NDArray[] values = new NDArray[layers];
        for (int layer = 0; layer < layers; layer++) {
            keys[layer] = getFloats(in, manager, shape);
            values[layer] = getFloats(in, manager, shape);
        }
        cache.restore(keys, values, length);
    }

    private static void putFloats(ByteBuffer out, NDArray array) {
        if (array.getDataType() != DataType.FLOAT32) {
            throw new IllegalStateException("Cache arrays must be float32, found " + array.getDataType());
        }
        for (float value : array.toFloatArray()) {
            out.putFloat(value);
        }
    }

    private static NDArray getFloats(ByteBuffer in, NDManager manager, Shape shape) {
        float[] values = new float[Math.toIntExact(shape.size())];
        in.asFloatBuffer().get(values);
        in.position(in.position() + values.length * Float.BYTES);
        return manager.create(values, shape);
    }

    private static void putBytes(ByteBuffer out, byte[] bytes) {
        out.putInt(bytes.length).put(bytes);
    }

    private static String getString(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("Sequence state has a string of invalid length " + length);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] utf8(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
