package dev.mlsuite.inference.llama;

/** Hugging Face parameter names of a LLaMA checkpoint ({@code LlamaForCausalLM}). */
public final class LlamaNames {

    public static final String EMBED_TOKENS = "model.embed_tokens.weight";
    public static final String FINAL_NORM = "model.norm.weight";
    public static final String LM_HEAD = "lm_head.weight";

    private LlamaNames() {
    }

    public static String inputLayerNorm(int layer) {
        return layerPrefix(layer) + "input_layernorm.weight";
    }

    public static String postAttentionLayerNorm(int layer) {
        return layerPrefix(layer) + "post_attention_layernorm.weight";
    }

    public static String queryProjection(int layer) {
        return layerPrefix(layer) + "self_attn.q_proj.weight";
    }

    public static String keyProjection(int layer) {
        return layerPrefix(layer) + "self_attn.k_proj.weight";
    }

    public static String valueProjection(int layer) {
        return layerPrefix(layer) + "self_attn.v_proj.weight";
    }

    public static String outputProjection(int layer) {
        return layerPrefix(layer) + "self_attn.o_proj.weight";
    }

    /** {@code w1} in llama2.c. */
    public static String gateProjection(int layer) {
        return layerPrefix(layer) + "mlp.gate_proj.weight";
    }

    /** {@code w3} in llama2.c. */
    public static String upProjection(int layer) {
        return layerPrefix(layer) + "mlp.up_proj.weight";
    }

    /** {@code w2} in llama2.c. */
    public static String downProjection(int layer) {
        return layerPrefix(layer) + "mlp.down_proj.weight";
    }

    private static String layerPrefix(int layer) {
        return "model.layers." + layer + '.';
    }
}
