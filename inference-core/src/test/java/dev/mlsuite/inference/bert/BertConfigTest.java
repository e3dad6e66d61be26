package dev.mlsuite.inference.bert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.inference.io.HfConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BertConfigTest {

    @TempDir
    Path directory;

    @Test
    void readsConfigFromModelDirectory() throws IOException {
        Files.writeString(directory.resolve("config.json"), """
                {"model_type": "bert", "vocab_size": 1000, "hidden_size": 64, "num_hidden_layers": 2,
                 "num_attention_heads": 4, "intermediate_size": 128, "hidden_act": "gelu",
                 "max_position_embeddings": 40, "type_vocab_size": 2, "layer_norm_eps": 1e-5,
                 "pad_token_id": 0, "architectures": ["BertModel"]}""");

        BertConfig config = BertConfig.read(directory);

        assertThat(config).isEqualTo(new BertConfig(1000, 64, 2, 4, 128, "gelu", 40, 2, 1e-5, 0));
        assertThat(config.headSize()).isEqualTo(16);
    }

    @Test
    void missingKeysTakeTransformersDefaults() {
        BertConfig config = BertConfig.from(HfConfig.parse("{\"vocab_size\": 30522}", "config.json"));

        assertThat(config.hiddenSize()).isEqualTo(768);
        assertThat(config.numHiddenLayers()).isEqualTo(12);
        assertThat(config.layerNormEps()).isEqualTo(1e-12);
    }

    @Test
    void indivisibleHeadCountIsRejected() {
        HfConfig json = HfConfig.parse("{\"vocab_size\": 10, \"hidden_size\": 30, \"num_attention_heads\": 4}",
                "bad/config.json");

        assertThatThrownBy(() -> BertConfig.from(json))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("bad/config.json: hidden_size 30 must be a multiple of num_attention_heads 4");
    }

    @Test
    void missingVocabSizeIsNamed() {
        HfConfig json = HfConfig.parse("{\"hidden_size\": 32}", "bad/config.json");

        assertThatThrownBy(() -> BertConfig.from(json))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("bad/config.json: missing required key 'vocab_size'");
    }

    @Test
    void nonIntegerValueIsNamed() {
        HfConfig json = HfConfig.parse("{\"vocab_size\": \"many\"}", "bad/config.json");

        assertThatThrownBy(() -> BertConfig.from(json))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("key 'vocab_size' must be an integer");
    }

    @Test
    void relativePositionsAreRejected() {
        HfConfig json = HfConfig.parse("{\"vocab_size\": 10, \"position_embedding_type\": \"relative_key\"}",
                "bad/config.json");

        assertThatThrownBy(() -> BertConfig.from(json))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("position_embedding_type 'relative_key' is not supported");
    }

    @Test
    void unknownActivationIsRejected() {
        HfConfig json = HfConfig.parse("{\"vocab_size\": 10, \"hidden_act\": \"swish\"}", "bad/config.json");

        assertThatThrownBy(() -> BertConfig.from(json))
                .isInstanceOf(CheckpointException.class)
                .hasMessageContaining("hidden_act 'swish' is not supported");
    }

    @Test
    void missingConfigFileIsNamed() {
        assertThatThrownBy(() -> BertConfig.read(directory))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("model configuration not found: " + directory.resolve("config.json"));
    }
}
