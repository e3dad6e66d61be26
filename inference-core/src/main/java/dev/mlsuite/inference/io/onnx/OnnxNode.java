package dev.mlsuite.inference.io.onnx;

import java.util.List;
import java.util.Map;

/**
 * One operator of an ONNX graph.
 *
 * @param name the node name, possibly empty
 * @param opType the operator, such as {@code MatMul} or {@code Add}
 * @param inputs names of the values it reads, in operator order; an empty name marks an omitted optional input
 * @param outputs names of the values it writes
 * @param attributes attributes by name
 */
public record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs,
        Map<String, OnnxAttribute> attributes) {
}
