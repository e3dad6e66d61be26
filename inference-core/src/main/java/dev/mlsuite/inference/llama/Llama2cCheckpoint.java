package dev.mlsuite.inference.llama;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.ModelFiles;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reader of llama2.c model files ({@code stories260K.bin}, {@code stories15M.bin}, ...), which gives the
 * weights Hugging Face LLaMA parameter names.
 *
 * <p>Layout, little-endian: seven int32 ({@code dim, hidden_dim, n_layers, n_heads, n_kv_heads,
 * vocab_size, seq_len}, where a negative {@code vocab_size} means the classifier is stored separately),
 * then float32 arrays in this order, each stacked over layers where it has an {@code L}:
 * {@code token_embedding [V, D]}, {@code rms_att [L, D]}, {@code wq [L, H*hd, D]},
 * {@code wk [L, KV*hd, D]}, {@code wv [L, KV*hd, D]}, {@code wo [L, D, H*hd]}, {@code rms_ffn [L, D]},
 * {@code w1 [L, F, D]}, {@code w2 [L, D, F]}, {@code w3 [L, F, D]}, {@code rms_final [D]}, the
 * precomputed {@code freq_cis_real} and {@code freq_cis_imag [seq_len, hd/2]} (skipped here), and
 * {@code wcls [V, D]} when the classifier is not shared. Matrices are stored {@code [out, in]}, as
 * PyTorch's {@code nn.Linear} stores them, and {@code wq}/{@code wk} expect interleaved rotary pairs.
 */
public final class Llama2cCheckpoint {

    private static final int HEADER_INTS = 7;

    private final LlamaConfig config;
    private final Map<String, NDArray> tensors;
    private final Path file;

    private Llama2cCheckpoint(LlamaConfig config, Map<String, NDArray> tensors, Path file) {
        this.config = config;
        this.tensors = tensors;
        this.file = file;
    }

    /**
     * Reads {@code file} into arrays owned by {@code manager}.
     *
     * @param setting configuration key that chose the file, named in errors
     * @throws EngineStartupException when the file is missing or its size does not match its header
     */
    public static Llama2cCheckpoint load(Path file, NDManager manager, String setting) {
        ModelFiles.requireReadableFile(file, setting);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            MappedByteBuffer bytes = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
            bytes.order(ByteOrder.LITTLE_ENDIAN);
            if (channel.size() < HEADER_INTS * Integer.BYTES) {
                throw invalid(file, setting, "the file is shorter than its 28-byte header");
            }
            int[] header = new int[HEADER_INTS];
            for (int i = 0; i < HEADER_INTS; i++) {
                header[i] = bytes.getInt();
            }
            LlamaConfig config = configFromHeader(header, file, setting);

            long expectedFloats = expectedFloatCount(config);
            long actualFloats = (channel.size() - HEADER_INTS * Integer.BYTES) / Float.BYTES;
            if (actualFloats != expectedFloats || (channel.size() - HEADER_INTS * Integer.BYTES) % Float.BYTES != 0) {
                throw invalid(file, setting, "the header " + java.util.Arrays.toString(header) + " needs "
                        + expectedFloats + " float32 weights but the file contains " + actualFloats);
            }

            FloatBuffer floats = bytes.asFloatBuffer();
            Map<String, NDArray> tensors = readTensors(config, floats, manager);
            return new Llama2cCheckpoint(config, tensors, file);
        } catch (IOException e) {
            throw new EngineStartupException("Failed to read llama2.c model file " + file.toAbsolutePath()
                    + ". Check the setting " + setting + ".", e);
        }
    }

    private static LlamaConfig configFromHeader(int[] header, Path file, String setting) {
        int vocabSize = Math.abs(header[5]);
        boolean shared = header[5] > 0;
        try {
            return new LlamaConfig(header[0], header[1], header[2], header[3], header[4], vocabSize, header[6],
                    LlamaConfig.LLAMA2C_RMS_NORM_EPS, LlamaConfig.LLAMA2C_ROPE_THETA, RopeStyle.INTERLEAVED, shared);
        } catch (IllegalArgumentException e) {
            throw invalid(file, setting, "its header " + java.util.Arrays.toString(header)
                    + " is not a valid LLaMA shape (" + e.getMessage() + ")");
        }
    }

    private static long expectedFloatCount(LlamaConfig c) {
        long d = c.hiddenSize();
        long kvDim = (long) c.numKeyValueHeads() * c.headDim();
        long perLayer = d + d * d + 2 * kvDim * d + d * d + d + 3L * c.intermediateSize() * d;
        long total = (long) c.vocabSize() * d + perLayer * c.numHiddenLayers() + d
                + (long) c.maxPositionEmbeddings() * c.headDim();
        if (!c.tieWordEmbeddings()) {
            total += (long) c.vocabSize() * d;
        }
        return total;
    }

    private static Map<String, NDArray> readTensors(LlamaConfig c, FloatBuffer floats, NDManager manager) {
        int d = c.hiddenSize();
        int layers = c.numHiddenLayers();
        int qDim = c.numAttentionHeads() * c.headDim();
        int kvDim = c.numKeyValueHeads() * c.headDim();
        int f = c.intermediateSize();
        Map<String, NDArray> tensors = new LinkedHashMap<>();

        NDArray embedding = next(floats, manager, new Shape(c.vocabSize(), d));
        tensors.put(LlamaNames.EMBED_TOKENS, embedding);
        readStacked(tensors, floats, manager, layers, new Shape(d), LlamaNames::inputLayerNorm);
        readStacked(tensors, floats, manager, layers, new Shape(qDim, d), LlamaNames::queryProjection);
        readStacked(tensors, floats, manager, layers, new Shape(kvDim, d), LlamaNames::keyProjection);
        readStacked(tensors, floats, manager, layers, new Shape(kvDim, d), LlamaNames::valueProjection);
        readStacked(tensors, floats, manager, layers, new Shape(d, qDim), LlamaNames::outputProjection);
        readStacked(tensors, floats, manager, layers, new Shape(d), LlamaNames::postAttentionLayerNorm);
        readStacked(tensors, floats, manager, layers, new Shape(f, d), LlamaNames::gateProjection);
        readStacked(tensors, floats, manager, layers, new Shape(d, f), LlamaNames::downProjection);
        readStacked(tensors, floats, manager, layers, new Shape(f, d), LlamaNames::upProjection);
        tensors.put(LlamaNames.FINAL_NORM, next(floats, manager, new Shape(d)));

        // freq_cis_real and freq_cis_imag: the model computes the rotary angles itself.
        floats.position(floats.position() + c.maxPositionEmbeddings() * c.headDim());

        if (c.tieWordEmbeddings()) {
            tensors.put(LlamaNames.LM_HEAD, embedding);
        } else {
            tensors.put(LlamaNames.LM_HEAD, next(floats, manager, new Shape(c.vocabSize(), d)));
        }
        return tensors;
    }

    private static void readStacked(Map<String, NDArray> tensors, FloatBuffer floats, NDManager manager, int layers,
            Shape shape, java.util.function.IntFunction<String> name) {
        for (int layer = 0; layer < layers; layer++) {
            tensors.put(name.apply(layer), next(floats, manager, shape));
        }
    }

    private static NDArray next(FloatBuffer floats, NDManager manager, Shape shape) {
        int count = Math.toIntExact(shape.size());
        float[] values = new float[count];
        floats.get(values);
        return manager.create(values, shape);
    }

    private static EngineStartupException invalid(Path file, String setting, String reason) {
        return new EngineStartupException("Invalid llama2.c model file " + file.toAbsolutePath() + ": " + reason
                + ". Check the setting " + setting + ".");
    }

    public LlamaConfig config() {
        return config;
    }

    /** Returns the weights by Hugging Face name; {@code lm_head.weight} is the embedding when shared. */
    public Map<String, NDArray> tensors() {
        return java.util.Collections.unmodifiableMap(tensors);
    }

    /** Returns a tensor source over these weights whose errors name this file. */
    public LlamaWeights weights() {
        return (name, expected) -> {
            NDArray tensor = tensors.get(name);
            if (tensor == null) {
                throw new EngineStartupException("Tensor " + name + " not found in " + file.toAbsolutePath());
            }
            if (!tensor.getShape().equals(expected) || tensor.getDataType() != DataType.FLOAT32) {
                throw new EngineStartupException("Tensor " + name + " in " + file.toAbsolutePath() + " has shape "
                        + tensor.getShape() + " " + tensor.getDataType() + ", expected " + expected + " float32");
            }
            return tensor;
        };
    }
}
