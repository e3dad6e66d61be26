package dev.mlsuite.inference.reduction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import dev.mlsuite.inference.api.ModelDefinition;
import dev.mlsuite.inference.bert.BertEmbeddingModel;
import dev.mlsuite.inference.bert.BertModelFactory;
import dev.mlsuite.inference.bert.TokenState;
import dev.mlsuite.inference.tokenizer.TokenBatch;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Token reduction of a {@code bert} registry model set through its options. */
class BertReductionOptionsTest {

    private static final List<String> TEXTS = List.of("The committee approved the budget after a long debate.");

    @Test
    void tomeOptionRemovesTokensPerLayer() throws Exception {
        ModelDefinition definition = new ModelDefinition("embedder", BertModelFactory.TYPE, null, Device.cpu(),
                Map.of("reduction", "tome", "reduction-r", "1", "reduction-layers", "0,1"));
        try (BertEmbeddingModel model = (BertEmbeddingModel) new BertModelFactory().create(definition);
                NDManager manager = model.manager().newSubManager()) {
            TokenBatch batch = model.preprocess(manager, TEXTS);

            TokenState state = model.forward(manager, batch);

            assertThat(state.tokenCount()).isEqualTo(batch.sequenceLength() - 2);
            assertThat(state.tokenSizes().sum().getFloat()).isEqualTo(batch.sequenceLength());
            assertThat(model.postprocess(manager, state, TEXTS).get(0)).hasSize(384);
        }
    }

    @Test
    void invalidLayerListIsRejected() {
        ModelDefinition definition = new ModelDefinition("embedder", BertModelFactory.TYPE, null, Device.cpu(),
                Map.of("reduction", "pitome", "reduction-layers", "first"));

        assertThatThrownBy(() -> new BertModelFactory().create(definition))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'embedder'")
                .hasMessageContaining("first");
    }
}
