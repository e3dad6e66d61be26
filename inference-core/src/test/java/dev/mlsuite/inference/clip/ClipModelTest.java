package dev.mlsuite.inference.clip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.io.TensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipModelTest {

    private static final List<String> WORDS = List.of("a person arm wrestling", "shaking hands", "drinking beer");
    private static final RandomClipCheckpoint SHAPE = RandomClipCheckpoint.tiny();

    @TempDir
    Path directory;

    @Test
    void encodesImagesAndTextsToProjection() throws IOException {
        SHAPE.write(directory, WORDS, 1);

        try (ClipModel model = ClipModel.load(directory, TestEngine.get().device())) {
            ClipImageFeatures features = model.encodeImages(randomPixels(2, 7), 2);
            float[][] texts = model.encodeText(List.of("arm wrestling", "shaking hands", "drinking"));

            assertThat(features.imageEmbeds()).hasDimensions(2, SHAPE.projectionDim());
            assertThat(features.gridSize()).isEqualTo(4);
            assertThat(features.patchEmbeds()).hasNumberOfRows(2);
            assertThat(features.patchEmbeds()[1]).hasDimensions(16, SHAPE.projectionDim());
            assertThat(texts).hasDimensions(3, SHAPE.projectionDim());
            assertThat(texts[0]).isNotEqualTo(texts[1]);
            assertThat(model.logitScale()).isCloseTo((float) (1 / 0.07), org.assertj.core.data.Offset.offset(1e-3f));
        }
    }

    @Test
    void laterTokenLeavesEarlierPositionsUnchanged() throws IOException {
        SHAPE.write(directory, WORDS, 2);

        try (ClipModel model = ClipModel.load(directory, TestEngine.get().device())) {
            long[] ids = model.tokenize("a person arm wrestling");
            long[] changed = ids.clone();
            changed[3] = changed[3] == 4 ? 5 : 4;

            float[][] original = model.textHiddenStates(ids);
            float[][] modified = model.textHiddenStates(changed);

            for (int position = 0; position < 3; position++) {
                assertThat(modified[position]).containsExactly(original[position],
                        org.assertj.core.data.Offset.offset(1e-6f));
            }
            assertThat(modified[3]).isNotEqualTo(original[3]);
            assertThat(modified[ids.length - 1]).isNotEqualTo(original[ids.length - 1]);
        }
    }

    @Test
    void poolsTextAtEndOfTextToken() throws IOException {
        SHAPE.write(directory, WORDS, 3);

        try (ClipModel model = ClipModel.load(directory, TestEngine.get().device())) {
            long[] ids = model.tokenize("shaking hands");

            assertThat(ids).hasSize(4);
            assertThat(ids[0]).isZero();
            assertThat(ClipModel.endOfTextPosition(ids)).isEqualTo(3);
        }
    }

    @Test
    void sameInputsGiveSameOutputs() throws IOException {
        SHAPE.write(directory.resolve("first"), WORDS, 4);
        SHAPE.write(directory.resolve("second"), WORDS, 4);
        float[] pixels = randomPixels(1, 9);

        try (ClipModel first = ClipModel.load(directory.resolve("first"), TestEngine.get().device());
                ClipModel second = ClipModel.load(directory.resolve("second"), TestEngine.get().device())) {
            assertThat(second.encodeImages(pixels, 1).patchEmbeds()[0][5])
                    .containsExactly(first.encodeImages(pixels, 1).patchEmbeds()[0][5]);
            assertThat(first.encodeText(List.of("drinking beer"))[0])
                    .containsExactly(first.encodeText(List.of("drinking beer"))[0]);
            assertThat(second.encodeText(List.of("drinking beer"))[0])
                    .containsExactly(first.encodeText(List.of("drinking beer"))[0]);
        }
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        SHAPE.write(directory, WORDS, 5);
        rewriteWithout("vision_model.encoder.layers.1.mlp.fc2.weight");

        assertThatThrownBy(() -> ClipModel.load(directory, TestEngine.get().device()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("vision_model.encoder.layers.1.mlp.fc2.weight");
    }

    @Test
    void wrongShapeIsNamed() throws IOException {
        SHAPE.write(directory, WORDS, 6);
        Files.writeString(directory.resolve("config.json"),
                Files.readString(directory.resolve("config.json")).replace("\"projection_dim\": 16", "\"projection_dim\": 12"));

        assertThatThrownBy(() -> ClipModel.load(directory, TestEngine.get().device()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("visual_projection.weight");
    }

    @Test
    void missingTokenizerIsNamed() throws IOException {
        SHAPE.write(directory, WORDS, 7);
        Files.delete(directory.resolve("tokenizer.json"));

        assertThatThrownBy(() -> ClipModel.load(directory, TestEngine.get().device()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("tokenizer.json");
    }

    private void rewriteWithout(String name) throws IOException {
        Path file = directory.resolve(Safetensors.SINGLE_FILE_NAME);
        try (NDManager manager = TestEngine.get().newManager()) {
            Map<String, NDArray> kept = new LinkedHashMap<>();
            try (TensorSource source = Safetensors.open(directory)) {
                for (String tensor : source.names()) {
                    if (!tensor.equals(name)) {
                        kept.put(tensor, source.load(tensor, manager).duplicate());
                    }
                }
            }
            Files.delete(file);
            Safetensors.write(file, kept, Map.of("format", "pt"));
        }
    }

    private static float[] randomPixels(int batch, long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[batch * 3 * SHAPE.imageSize() * SHAPE.imageSize()];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
        }
        return pixels;
    }
}
