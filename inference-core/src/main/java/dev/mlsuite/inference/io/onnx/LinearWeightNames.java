package dev.mlsuite.inference.io.onnx;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Recovery of the PyTorch names of Linear weights in an ONNX graph exported from PyTorch.
 *
 * <p>The exporter turns {@code torch.nn.Linear} into {@code MatMul(x, W)} followed by
 * {@code Add(…, bias)}. It keeps the bias under its module name but may store {@code W}, already
 * transposed to {@code [in, out]}, under an anonymous name such as {@code onnx::MatMul_1234}. The
 * bias name gives the weight name: {@code encoder.layer.0.attention.self.query.bias} belongs to
 * {@code encoder.layer.0.attention.self.query.weight}.
 */
public final class LinearWeightNames {

    private static final Logger log = LoggerFactory.getLogger(LinearWeightNames.class);
    private static final String BIAS_SUFFIX = ".bias";

    private LinearWeightNames() {
    }

    /**
     * Finds every {@code MatMul} whose second input is a two-dimensional initializer and whose
     * output feeds an {@code Add} with an initializer named {@code <module>.bias}, and names the
     * weight {@code <module>.weight}. A MatMul without such an Add keeps its stored name.
     *
     * @return stored initializer name by recovered name, sorted by recovered name
     * @throws OnnxFormatException if a recovered name is already an initializer name, or one
     *     initializer would receive two different names
     */
    public static Map<String, String> recover(OnnxModel model) {
        Map<String, OnnxTensor> initializers = model.initializers();
        Map<String, List<OnnxNode>> consumers = consumersByValue(model.nodes());

        Map<String, String> storedByRecovered = new TreeMap<>();
        Map<String, String> recoveredByStored = new HashMap<>();
        for (OnnxNode matMul : model.nodes()) {
            if (!matMul.opType().equals("MatMul") || matMul.inputs().size() != 2) {
                continue;
            }
            String storedName = matMul.inputs().get(1);
            OnnxTensor weight = initializers.get(storedName);
            if (weight == null || weight.shape().dimension() != 2) {
                continue;
            }
            String biasName = findBias(matMul, consumers, initializers);
            if (biasName == null) {
                log.debug("{}: MatMul weight '{}' has no Add with a named bias; keeping its name",
                        model.description(), storedName);
                continue;
            }

            String recoveredName = biasName.substring(0, biasName.length() - BIAS_SUFFIX.length()) + ".weight";
            if (initializers.containsKey(recoveredName) && !recoveredName.equals(storedName)) {
                throw new OnnxFormatException(model.description() + ": recovered name '" + recoveredName
                        + "' for initializer '" + storedName + "' is already an initializer name");
            }
            String earlierName = recoveredByStored.putIfAbsent(storedName, recoveredName);
            if (earlierName != null && !earlierName.equals(recoveredName)) {
                throw new OnnxFormatException(model.description() + ": initializer '" + storedName
                        + "' feeds the Linear layers of both '" + earlierName + "' and '" + recoveredName + "'");
            }
            String earlierStored = storedByRecovered.putIfAbsent(recoveredName, storedName);
            if (earlierStored != null && !earlierStored.equals(storedName)) {
                throw new OnnxFormatException(model.description() + ": both '" + earlierStored + "' and '"
                        + storedName + "' would be named '" + recoveredName + "'");
            }
        }
        return storedByRecovered;
    }

    private static String findBias(OnnxNode matMul, Map<String, List<OnnxNode>> consumers,
            Map<String, OnnxTensor> initializers) {
        String product = matMul.outputs().get(0);
        for (OnnxNode add : consumers.getOrDefault(product, List.of())) {
            if (!add.opType().equals("Add") || add.inputs().size() != 2) {
                continue;
            }
            String other = add.inputs().get(0).equals(product) ? add.inputs().get(1) : add.inputs().get(0);
            if (other.endsWith(BIAS_SUFFIX) && initializers.containsKey(other)) {
                return other;
            }
        }
        return null;
    }

    private static Map<String, List<OnnxNode>> consumersByValue(List<OnnxNode> nodes) {
        Map<String, List<OnnxNode>> consumers = new HashMap<>();
        for (OnnxNode node : nodes) {
            for (String input : node.inputs()) {
                consumers.computeIfAbsent(input, name -> new ArrayList<>()).add(node);
            }
        }
        return consumers;
    }
}
