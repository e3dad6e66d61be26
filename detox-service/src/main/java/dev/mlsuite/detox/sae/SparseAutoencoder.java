package dev.mlsuite.detox.sae;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.io.Safetensors;
import dev.mlsuite.inference.io.TensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A sparse autoencoder on one hook point of a language model, in SAELens layout: {@code cfg.json}
 * and {@code sae_weights.safetensors} with {@code W_enc [d_in, d_sae]}, {@code b_enc [d_sae]},
 * {@code W_dec [d_sae, d_in]}, {@code b_dec [d_in]} (also accepted as {@code [1, d_in]}) and, for
 * JumpReLU, {@code threshold [d_sae]}.
 *
 * <p>Features are {@code act((x - b_dec) @ W_enc + b_enc)} when {@code apply_b_dec_to_input} is
 * true, else {@code act(x @ W_enc + b_enc)}; the reconstruction is {@code f @ W_dec + b_dec}.
 * The arrays belong to the manager given at load time, which the caller closes.
 */
public final class SparseAutoencoder {

    public static final String CONFIG_FILE = "cfg.json";
    public static final String WEIGHTS_FILE = "sae_weights.safetensors";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** Activation function of the encoder. */
    public enum Architecture {
        /** ReLU, trained with an L1 penalty. */
        STANDARD,
        /** ReLU gated at a learned per-feature threshold: {@code pre * (pre > threshold)}. */
        JUMPRELU,
        /** Keeps the {@code k} largest ReLU activations of each position. */
        TOPK
    }

    private final Architecture architecture;
    private final int dIn;
    private final int dSae;
    private final String hookName;
    private final int topK;
    private final boolean applyDecoderBiasToInput;
    private final NDArray encoderWeight; // [d_in, d_sae]
    private final NDArray encoderBias; // [d_sae]
    private final NDArray decoderWeight; // [d_sae, d_in]
    private final NDArray decoderBias; // [d_in]
    private final NDArray threshold; // [d_sae] or null

    public SparseAutoencoder(Architecture architecture, String hookName, int topK, boolean applyDecoderBiasToInput,
            NDArray encoderWeight, NDArray encoderBias, NDArray decoderWeight, NDArray decoderBias,
            NDArray threshold) {
        this.architecture = Objects.requireNonNull(architecture, "architecture");
        this.hookName = Objects.requireNonNull(hookName, "hookName");
        this.dIn = (int) encoderWeight.getShape().get(0);
        this.dSae = (int) encoderWeight.getShape().get(1);
        this.topK = topK;
        this.applyDecoderBiasToInput = applyDecoderBiasToInput;
        this.encoderWeight = encoderWeight;
        this.encoderBias = requireShape("b_enc", encoderBias, new Shape(dSae));
        this.decoderWeight = requireShape("W_dec", decoderWeight, new Shape(dSae, dIn));
        this.decoderBias = decoderBias.getShape().equals(new Shape(1, dIn)) ? decoderBias.reshape(dIn)
                : requireShape("b_dec", decoderBias, new Shape(dIn));
        this.threshold = threshold == null ? null : requireShape("threshold", threshold, new Shape(dSae));
        if (architecture == Architecture.JUMPRELU && threshold == null) {
            throw new IllegalArgumentException("A JumpReLU SAE needs the tensor 'threshold' [" + dSae + "]");
        }
        if (architecture == Architecture.TOPK && (topK < 1 || topK > dSae)) {
            throw new IllegalArgumentException("A TopK SAE needs k in 1.." + dSae + ", got " + topK);
        }
    }

    private static NDArray requireShape(String name, NDArray array, Shape expected) {
        if (!array.getShape().equals(expected)) {
            throw new IllegalArgumentException("SAE tensor " + name + " has shape " + array.getShape() + ", expected "
                    + expected);
        }
        return array;
    }

    /**
     * Loads an SAE from a SAELens folder onto {@code manager}'s device.
     *
     * @throws IOException when a file is missing, a tensor is missing or a shape contradicts {@code cfg.json}
     */
    public static SparseAutoencoder load(Path folder, NDManager manager) throws IOException {
        Path configFile = folder.resolve(CONFIG_FILE);
        Path weightsFile = folder.resolve(WEIGHTS_FILE);
        if (!Files.isRegularFile(configFile) || !Files.isRegularFile(weightsFile)) {
            throw new IOException("SAE folder " + folder.toAbsolutePath() + " needs " + CONFIG_FILE + " and "
                    + WEIGHTS_FILE);
        }
        JsonNode cfg = JSON.readTree(configFile.toFile());
        String hookName = cfg.path("hook_name").asString(cfg.path("metadata").path("hook_name").asString(""));
        if (hookName.isEmpty()) {
            throw new IOException(configFile + " has no hook_name (top level or under metadata)");
        }
        String architectureName = cfg.path("architecture").asString("standard").toLowerCase(Locale.ROOT);
        String activation = cfg.path("activation_fn_str").asString(cfg.path("activation_fn").asString("relu"));
        Architecture architecture = switch (architectureName) {
            case "jumprelu" -> Architecture.JUMPRELU;
            case "topk" -> Architecture.TOPK;
            case "standard" -> activation.equals("topk") ? Architecture.TOPK : Architecture.STANDARD;
            default -> throw new IOException("Unsupported SAE architecture '" + architectureName + "' in " + configFile
                    + "; supported: standard, jumprelu, topk");
        };
        int k = cfg.path("k").asInt(cfg.path("activation_fn_kwargs").path("k").asInt(0));
        boolean applyBias = cfg.path("apply_b_dec_to_input").asBoolean(true);
        String normalize = cfg.path("normalize_activations").asString("none");
        if (!normalize.equals("none") && !normalize.isEmpty()) {
            throw new IOException("normalize_activations '" + normalize + "' in " + configFile
                    + " is not supported; only 'none' is");
        }

        try (TensorSource source = Safetensors.open(weightsFile)) {
            NDArray encoderWeight = source.load("W_enc", manager).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
            NDArray threshold = source.names().contains("threshold")
                    ? source.load("threshold", manager).toType(ai.djl.ndarray.types.DataType.FLOAT32, false) : null;
            SparseAutoencoder sae = new SparseAutoencoder(architecture, hookName, k, applyBias, encoderWeight,
                    source.load("b_enc", manager).toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
                    source.load("W_dec", manager).toType(ai.djl.ndarray.types.DataType.FLOAT32, false),
                    source.load("b_dec", manager).toType(ai.djl.ndarray.types.DataType.FLOAT32, false), threshold);
            int cfgDIn = cfg.path("d_in").asInt(sae.dIn);
            int cfgDSae = cfg.path("d_sae").asInt(sae.dSae);
            if (cfgDIn != sae.dIn || cfgDSae != sae.dSae) {
                throw new IOException("W_enc is [" + sae.dIn + ", " + sae.dSae + "] but " + configFile + " says d_in "
                        + cfgDIn + ", d_sae " + cfgDSae);
            }
            return sae;
        } catch (IllegalArgumentException e) {
            throw new IOException("Invalid SAE in " + folder.toAbsolutePath() + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code cfg.json} and {@code sae_weights.safetensors} into {@code folder}. */
    public void save(Path folder, String modelName, Map<String, Object> extraConfig) throws IOException {
        Files.createDirectories(folder);
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        tensors.put("W_enc", encoderWeight);
        tensors.put("b_enc", encoderBias);
        tensors.put("W_dec", decoderWeight);
        tensors.put("b_dec", decoderBias);
        if (threshold != null) {
            tensors.put("threshold", threshold);
        }
        Safetensors.write(folder.resolve(WEIGHTS_FILE), tensors, Map.of("format", "pt"));

        ObjectNode cfg = JSON.createObjectNode();
        cfg.put("architecture", architecture.name().toLowerCase(Locale.ROOT));
        cfg.put("d_in", dIn);
        cfg.put("d_sae", dSae);
        cfg.put("dtype", "float32");
        cfg.put("device", "cpu");
        cfg.put("model_name", modelName);
        cfg.put("hook_name", hookName);
        cfg.put("hook_layer", hookLayer(hookName));
        cfg.put("apply_b_dec_to_input", applyDecoderBiasToInput);
        cfg.put("normalize_activations", "none");
        cfg.put("activation_fn_str", architecture == Architecture.TOPK ? "topk" : "relu");
        if (architecture == Architecture.TOPK) {
            cfg.putObject("activation_fn_kwargs").put("k", topK);
        }
        cfg.put("prepend_bos", true);
        ObjectNode metadata = cfg.putObject("metadata");
        metadata.put("model_name", modelName);
        metadata.put("hook_name", hookName);
        extraConfig.forEach((key, value) -> cfg.set(key, JSON.valueToTree(value)));
        JSON.writerWithDefaultPrettyPrinter().writeValue(folder.resolve(CONFIG_FILE).toFile(), cfg);
    }

    private static int hookLayer(String hookName) {
        String[] parts = hookName.split("\\.");
        return parts.length > 1 && parts[0].equals("blocks") ? Integer.parseInt(parts[1]) : -1;
    }

    /** Returns feature activations {@code [..., d_sae]} of residual vectors {@code x [..., d_in]}. */
    public NDArray encode(NDArray x) {
        NDArray centred = applyDecoderBiasToInput ? x.sub(decoderBias) : x;
        NDArray pre = centred.matMul(encoderWeight).add(encoderBias);
        return switch (architecture) {
            case STANDARD -> pre.maximum(0f);
            case JUMPRELU -> pre.mul(pre.gt(threshold).toType(pre.getDataType(), false));
            case TOPK -> keepTopK(pre.maximum(0f));
        };
    }

    private NDArray keepTopK(NDArray activations) {
        NDArray kth = activations.sort(-1).get("..., " + (dSae - topK) + ":" + (dSae - topK + 1)); // [..., 1]
        return activations.mul(activations.gte(kth).toType(activations.getDataType(), false));
    }

    /** Returns the reconstruction {@code [..., d_in]} of feature activations {@code [..., d_sae]}. */
    public NDArray decode(NDArray features) {
        return features.matMul(decoderWeight).add(decoderBias);
    }

    /** Returns decoder rows {@code [features.length, d_in]} for the given feature ids. */
    public NDArray decoderRows(NDManager manager, int[] features) {
        NDArray rows = decoderWeight.get(manager.create(features));
        return rows;
    }

    public Architecture architecture() {
        return architecture;
    }

    public String hookName() {
        return hookName;
    }

    public int dIn() {
        return dIn;
    }

    public int dSae() {
        return dSae;
    }

    public int topK() {
        return topK;
    }

    public NDArray decoderWeight() {
        return decoderWeight;
    }
}
