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

    @Test
    void layerIndexBeyondEncoderIsRejected() {
        ModelDefinition definition = new ModelDefinition("embedder", BertModelFactory.TYPE, null, Device.cpu(),
                Map.of("reduction", "pitome", "reduction-ratio", "0.8", "reduction-layers", "2,9"));

        assertThatThrownBy(() -> new BertModelFactory().create(definition))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'embedder'")
                .hasMessageContaining("layer index 9 is outside 0..5");
    }

    @Test
    void nonFiniteMarginAndAlphaAreRejected() {
        Map<String, String> invalid = Map.of("reduction-margin", "NaN", "reduction-alpha", "Infinity");
        invalid.forEach((option, value) -> {
            Map<String, String> options = Map.of("reduction", "pitome", "reduction-ratio", "0.8", option, value);

            assertThatThrownBy(() -> ReductionSettings.fromOptions(options, "embedder"))
                    .as("%s=%s", option, value)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'embedder'")
                    .hasMessageContaining(value);
        });
        assertThatThrownBy(() -> ReductionSettings.fromOptions(
                Map.of("reduction", "pitome", "reduction-margin", "-Infinity"), "embedder"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("margin -Infinity must be a finite number");
    }

    @Test
    void labelShowsSettingsBesideDefaults() {
        ReductionSettings defaults = ReductionSettings.ofRatio(ReductionAlgorithm.PITOME, 0.8);
        ReductionSettings changed = new ReductionSettings(ReductionAlgorithm.PITOME, 0.8, 0, java.util.Set.of(1, 0),
                0.4, 2.0);

        assertThat(defaults.label()).isEqualTo("pitome ratio=0.8");
        assertThat(changed.label()).isEqualTo("pitome ratio=0.8 layers=[0, 1] margin=0.4 alpha=2.0");
    }
}
