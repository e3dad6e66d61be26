package dev.mlsuite.inference.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import dev.mlsuite.inference.api.InferenceModel;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.api.ModelFactory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertModelFactoryTest {

    private final BertModelFactory factory = new BertModelFactory();

    @Test
    void serviceLoaderFindsBertFactory() {
        List<String> types = ServiceLoader.load(ModelFactory.class).stream()
                .map(provider -> provider.get().type())
                .toList();

        assertThat(types).contains("bert");
    }

    @Test
    void modelWithoutPathServesMiniLmEmbeddings() throws IOException {
        ModelDefinition definition = new ModelDefinition("embedder", "bert", null, Device.cpu(),
                Map.of("pooling", "mean"));

        try (InferenceModel model = factory.create(definition)) {
            model.warmUp();
            BertEmbeddingModel embeddings = (BertEmbeddingModel) model;
            List<float[]> outputs = embeddings.predictBatch(List.of("First text.", "A second, longer text here."));

            assertThat(model.name()).isEqualTo("embedder");
            assertThat(model.version()).isEqualTo("all-minilm-l6-v2");
            // 22,713,216 parameters of all-MiniLM-L6-v2 minus the 147,840 of the unused pooler.
            assertThat(model.parameterCount()).isEqualTo(22_565_376L);
            assertThat(outputs).hasSize(2);
            assertThat(outputs.get(1)).containsExactly(
                    embeddings.encoder().embed(List.of("A second, longer text here."))[0], within(1e-6f));
        }
    }

    @Test
    void unknownPoolingIsRejected() {
        ModelDefinition definition = new ModelDefinition("embedder", "bert", null, Device.cpu(),
                Map.of("pooling", "max"));

        assertThatThrownBy(() -> factory.create(definition))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Option pooling of model 'embedder' is 'max'; use mean or cls");
    }

    @Test
    void missingModelDirectoryIsNamed(@TempDir Path directory) {
        Path missing = directory.resolve("no-such-model");
        ModelDefinition definition = new ModelDefinition("classifier", "bert", missing, Device.cpu(), Map.of());

        assertThatThrownBy(() -> factory.create(definition))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Failed to load model 'classifier'")
                .hasMessageContaining("model directory not found: " + missing);
    }
}
