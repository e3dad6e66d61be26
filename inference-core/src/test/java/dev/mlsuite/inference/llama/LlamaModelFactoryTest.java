package dev.mlsuite.inference.llama;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.api.ModelFactory;
import dev.mlsuite.inference.engine.EngineStartupException;
import dev.mlsuite.inference.engine.TestEngine;
import dev.mlsuite.inference.generation.GenerationResult;
import dev.mlsuite.inference.generation.SamplingSettings;
import dev.mlsuite.inference.generation.TokenListener;
import dev.mlsuite.inference.hooks.Hooks;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LlamaModelFactoryTest {

    @Test
    void serviceLoaderFindsLlamaFactory() {
        assertThat(ServiceLoader.load(ModelFactory.class).stream().map(ServiceLoader.Provider::get)
                .map(ModelFactory::type)).contains(LlamaModelFactory.TYPE);
    }

    @Test
    void folderLoadsStories260K() throws IOException {
        TestEngine.get();
        ModelDefinition definition = new ModelDefinition("storyteller", "llama", Stories260K.FOLDER, Device.cpu(),
                Map.of());

        try (InferenceModel model = new LlamaModelFactory().create(definition)) {
            LlamaInferenceModel llama = (LlamaInferenceModel) model;
            llama.warmUp();
            GenerationResult result = llama.generator().generate("", SamplingSettings.greedy(10), Hooks.NONE,
                    TokenListener.NONE);

            assertThat(model.name()).isEqualTo("storyteller");
            assertThat(model.version()).isEqualTo("stories260K@b0a507e7ad0f");
            assertThat(model.device()).isEqualTo(Device.cpu());
            assertThat(model.parameterCount()).isEqualTo(distinctWeightCount());
            assertThat(result.tokens()).containsExactly(Arrays.copyOf(ReferenceGreedy.load().greedyTokens(), 10));
        }
    }

    @Test
    void modelFileWithTokenizerOptionLoads(@TempDir Path temp) throws IOException {
        TestEngine.get();
        Path model = Files.copy(Stories260K.MODEL, temp.resolve("tiny-stories.bin"));
        Path vocabulary = Files.copy(Stories260K.TOKENIZER, temp.resolve("vocabulary.bin"));
        ModelDefinition definition = new ModelDefinition("storyteller", "llama", model, Device.cpu(),
                Map.of("tokenizer", vocabulary.getFileName().toString()));

        try (InferenceModel loaded = new LlamaModelFactory().create(definition)) {
            assertThat(loaded.version()).startsWith("tiny-stories@");
        }
    }

    @Test
    void huggingFaceFolderUsesTokenizerJson(@TempDir Path temp) throws IOException {
        Path directory = temp.resolve("stories-hf");
        try (NDManager manager = TestEngine.get().newManager()) {
            HfLlamaLoaderTest.writeHfCheckpoint(directory, manager, HfLlamaLoaderTest.CONFIG, false, false);
        }
        Files.writeString(directory.resolve("tokenizer.json"), HfLlamaTokenizerTest.tokenizerJson(
                Llama2cTokenizer.load(Stories260K.TOKENIZER, 512, Stories260K.SETTING)));
        ModelDefinition definition = new ModelDefinition("storyteller", "llama", directory, Device.cpu(), Map.of());

        try (InferenceModel model = new LlamaModelFactory().create(definition)) {
            LlamaInferenceModel llama = (LlamaInferenceModel) model;
            GenerationResult result = llama.generator().generate("", SamplingSettings.greedy(12), Hooks.NONE,
                    TokenListener.NONE);

            assertThat(llama.languageModel().tokenizer()).isInstanceOf(HfLlamaTokenizer.class);
            assertThat(model.version()).isEqualTo("stories-hf");
            assertThat(result.tokens()).containsExactly(Arrays.copyOf(ReferenceGreedy.load().greedyTokens(), 12));
            assertThat(result.text()).startsWith("Once upon a time");
        }
    }

    @Test
    void missingTokenizerNamesFile(@TempDir Path temp) throws IOException {
        TestEngine.get();
        Path model = Files.copy(Stories260K.MODEL, temp.resolve("stories260K.bin"));
        ModelDefinition definition = new ModelDefinition("storyteller", "llama", model, Device.cpu(), Map.of());

        assertThatThrownBy(() -> new LlamaModelFactory().create(definition))
                .isInstanceOf(EngineStartupException.class)
                .hasMessageContaining(temp.resolve("tokenizer.bin").toAbsolutePath().toString())
                .hasMessageContaining("storyteller");
    }

    private static long distinctWeightCount() {
        try (NDManager manager = TestEngine.get().newManager()) {
            return Llama2cModelLoader.parameterCount(
                    Llama2cCheckpoint.load(Stories260K.MODEL, manager, Stories260K.SETTING).tensors());
        }
    }
}
