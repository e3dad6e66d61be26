package dev.mlsuite.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.TestEngine;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Llama2cCheckpointTest {

    @Test
    void readsStories260KHeader() {
        try (NDManager manager = TestEngine.get().newManager()) {
            LlamaConfig config = Llama2cCheckpoint.load(Stories260K.MODEL, manager, Stories260K.SETTING).config();

            assertThat(config.hiddenSize()).isEqualTo(64);
            assertThat(config.intermediateSize()).isEqualTo(172);
            assertThat(config.numHiddenLayers()).isEqualTo(5);
            assertThat(config.numAttentionHeads()).isEqualTo(8);
            assertThat(config.numKeyValueHeads()).isEqualTo(4);
            assertThat(config.vocabSize()).isEqualTo(512);
            assertThat(config.maxPositionEmbeddings()).isEqualTo(512);
            assertThat(config.tieWordEmbeddings()).isTrue();
            assertThat(config.ropeStyle()).isEqualTo(RopeStyle.INTERLEAVED);
        }
    }

    @Test
    void mapsWeightsToHuggingFaceNames() throws IOException {
        FloatBuffer raw = rawFloats(Stories260K.MODEL);
        int d = 64;
        int v = 512;
        int layers = 5;
        int kvDim = 32;
        int f = 172;

        try (NDManager manager = TestEngine.get().newManager()) {
            Llama2cCheckpoint checkpoint = Llama2cCheckpoint.load(Stories260K.MODEL, manager, Stories260K.SETTING);
            var tensors = checkpoint.tensors();

            assertThat(tensors).hasSize(2 + 1 + 9 * layers);
            assertThat(tensors.get("model.layers.2.self_attn.k_proj.weight").getShape()).isEqualTo(new Shape(kvDim, d));
            assertThat(tensors.get("model.layers.4.mlp.down_proj.weight").getShape()).isEqualTo(new Shape(d, f));
            assertThat(tensors.get("lm_head.weight")).isSameAs(tensors.get("model.embed_tokens.weight"));

            // wk of layer 1 starts after the embedding, rms_att, all wq and layer 0 of wk.
            long wkLayer1 = (long) v * d + (long) layers * d + (long) layers * d * d + (long) kvDim * d;
            assertRowMatches(tensors.get("model.layers.1.self_attn.k_proj.weight"), raw, wkLayer1, d);

            // w3 (up_proj) of layer 3 follows wo, rms_ffn, w1, w2 and three layers of w3.
            long w3Layer3 = (long) v * d + layers * (long) (d + d * d + 2 * kvDim * d + d * d + d + 2 * f * d)
                    + 3L * f * d;
            assertRowMatches(tensors.get("model.layers.3.mlp.up_proj.weight"), raw, w3Layer3, d);

            long finalNorm = (long) v * d + layers * (long) (d + d * d + 2 * kvDim * d + d * d + d + 3 * f * d);
            assertRowMatches(tensors.get("model.norm.weight"), raw, finalNorm, d);
        }
    }

    @Test
    void readsUnsharedClassifierAfterRopeTables(@TempDir Path temp) throws IOException {
        int d = 8;
        int f = 12;
        int layers = 2;
        int heads = 2;
        int kvHeads = 1;
        int vocab = 10;
        int seqLen = 6;
        int kvDim = kvHeads * (d / heads);
        int weights = vocab * d + layers * (d + d * d + 2 * kvDim * d + d * d + d + 3 * f * d) + d
                + seqLen * (d / heads) + vocab * d;
        float[] values = new float[weights];
        Random random = new Random(7);
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat();
        }
        Path file = writeCheckpoint(temp.resolve("tiny.bin"), new int[] {d, f, layers, heads, kvHeads, -vocab, seqLen},
                values);

        try (NDManager manager = TestEngine.get().newManager()) {
            Llama2cCheckpoint checkpoint = Llama2cCheckpoint.load(file, manager, "test");
            NDArray lmHead = checkpoint.tensors().get("lm_head.weight");

            assertThat(checkpoint.config().tieWordEmbeddings()).isFalse();
            assertThat(checkpoint.config().vocabSize()).isEqualTo(vocab);
            assertThat(lmHead.getShape()).isEqualTo(new Shape(vocab, d));
            assertThat(lmHead.toFloatArray())
                    .containsExactly(Arrays.copyOfRange(values, values.length - vocab * d, values.length));
        }
    }

    @Test
    void truncatedFileNamesFileAndSetting(@TempDir Path temp) throws IOException {
        byte[] original = Files.readAllBytes(Stories260K.MODEL);
        Path truncated = temp.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(original, original.length - 4));

        try (NDManager manager = TestEngine.get().newManager()) {
            assertThatThrownBy(() -> Llama2cCheckpoint.load(truncated, manager, "inference.models.detox.path"))
                    .isInstanceOf(EngineStartupException.class)
                    .hasMessageContaining(truncated.toAbsolutePath().toString())
                    .hasMessageContaining("inference.models.detox.path")
                    .hasMessageContaining("float32 weights");
        }
    }

    @Test
    void tensorSourceRejectsWrongShape() {
        try (NDManager manager = TestEngine.get().newManager()) {
            LlamaWeights source = Llama2cCheckpoint.load(Stories260K.MODEL, manager, Stories260K.SETTING).weights();

            assertThatThrownBy(() -> source.require("model.norm.weight", new Shape(65)))
                    .isInstanceOf(EngineStartupException.class)
                    .hasMessageContaining("model.norm.weight")
                    .hasMessageContaining("(64)");
            assertThatThrownBy(() -> source.require("model.layers.9.mlp.up_proj.weight", new Shape(172, 64)))
                    .isInstanceOf(EngineStartupException.class)
                    .hasMessageContaining("model.layers.9.mlp.up_proj.weight")
                    .hasMessageContaining("not found");
        }
    }

    private static void assertRowMatches(NDArray tensor, FloatBuffer raw, long floatOffset, int count) {
        float[] expected = new float[count];
        for (int i = 0; i < count; i++) {
            expected[i] = raw.get(Math.toIntExact(floatOffset + i));
        }
        assertThat(Arrays.copyOf(tensor.toFloatArray(), count)).containsExactly(expected);
    }

    private static FloatBuffer rawFloats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        bytes.position(28);
        return bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
    }

    private static Path writeCheckpoint(Path file, int[] header, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(header.length * 4 + values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int value : header) {
            buffer.putInt(value);
        }
        for (float value : values) {
            buffer.putFloat(value);
        }
        return Files.write(file, buffer.array());
    }
}
