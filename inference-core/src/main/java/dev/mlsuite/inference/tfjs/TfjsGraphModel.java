package dev.mlsuite.inference.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A TensorFlow.js graph model ({@code format: graph-model}) evaluated with DJL {@code NDArray}
 * operations. Loading reads {@code model.json}, checks that every op of the graph is implemented
 * (see {@link GraphOps}) and reads the weights. {@link #execute} evaluates only the nodes that the
 * requested outputs depend on.
 *
 * <p>Calls to {@link #execute} run one at a time, because the constant tensors are attached to
 * each call's memory scope while it runs.
 */
public final class TfjsGraphModel implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TfjsGraphModel.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path modelJson;
    private final Map<String, GraphNode> nodes;
    private final Map<String, NDArray> constants;
    private final Set<NDArray> constantArrays = Collections.newSetFromMap(new IdentityHashMap<>());
    private final Map<String, Shape> inputShapes;
    private final List<String> outputNames;
    private final NDManager manager;
    private final ReentrantLock executionLock = new ReentrantLock();

    private TfjsGraphModel(Path modelJson, Map<String, GraphNode> nodes, Map<String, NDArray> constants,
            Map<String, Shape> inputShapes, List<String> outputNames, NDManager manager) {
        this.modelJson = modelJson;
        this.nodes = nodes;
        this.constants = constants;
        this.constantArrays.addAll(constants.values());
        this.inputShapes = inputShapes;
        this.outputNames = outputNames;
        this.manager = manager;
    }

    /**
     * Loads the model whose {@code model.json} is at {@code modelJson}; the weight files named in
     * its manifest are read from the same folder into a sub-manager of {@code parent}.
     *
     * @throws TfjsModelException if a file is missing or malformed, or the graph uses an unsupported op or dtype
     */
    public static TfjsGraphModel load(Path modelJson, NDManager parent) {
        long started = System.nanoTime();
        JsonNode root = readJson(modelJson);
        if (!"graph-model".equals(root.path("format").asString(""))) {
            throw new TfjsModelException(modelJson + " has format '" + root.path("format").asString("")
                    + "'; only TF.js graph models (format graph-model) are supported");
        }

        Map<String, GraphNode> nodes = parseNodes(root.path("modelTopology").path("node"), modelJson);
        Set<String> unsupported = new TreeSet<>();
        for (GraphNode node : nodes.values()) {
            if (!node.op().equals("Const") && !node.op().equals("Placeholder") && !GraphOps.supports(node.op())) {
                unsupported.add(node.op());
            }
        }
        if (!unsupported.isEmpty()) {
            throw new TfjsModelException(modelJson + " uses ops that are not supported: " + unsupported
                    + "; supported ops are Const, Placeholder and " + GraphOps.supportedOps());
        }

        NDManager manager = parent.newSubManager();
        try {
            Map<String, NDArray> constants = TfjsWeights.load(root.path("weightsManifest"),
                    modelJson.toAbsolutePath().getParent(), manager);
            for (GraphNode node : nodes.values()) {
                if (node.op().equals("Const") && !constants.containsKey(node.name())) {
                    throw new TfjsModelException("constant node '" + node.name() + "' of " + modelJson
                            + " has no tensor in the weights manifest");
                }
            }
            Map<String, Shape> inputShapes = inputShapes(nodes.values());
            List<String> outputNames = outputNames(root.path("signature").path("outputs"), nodes);
            log.info("Loaded TF.js graph model {}: {} nodes, {} weight tensors, inputs {}, outputs {}, in {} ms",
                    modelJson, nodes.size(), constants.size(), inputShapes, outputNames,
                    (System.nanoTime() - started) / 1_000_000);
            return new TfjsGraphModel(modelJson, nodes, constants, inputShapes, outputNames, manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Input names (Placeholder nodes) with their declared shapes; -1 marks a dimension of any size. */
    public Map<String, Shape> inputShapes() {
        return inputShapes;
    }

    /** Output names from the model's signature, sorted, or the graph's sink nodes when it has none. */
    public List<String> outputNames() {
        return outputNames;
    }

    /**
     * Evaluates the graph for the given inputs and returns the requested outputs, attached to
     * {@code manager}. Every intermediate array is closed before this returns.
     *
     * @param inputs  one array per Placeholder, by name, with its declared shape
     * @param outputs tensor names ({@code node} or {@code node:index}) to return
     * @throws TfjsModelException if an input is missing or has the wrong shape, or an output does not exist
     */
    public Map<String, NDArray> execute(Map<String, NDArray> inputs, List<String> outputs, NDManager manager) {
        checkInputs(inputs);
        for (String output : outputs) {
            if (!nodes.containsKey(GraphNode.producerOf(output))) {
                throw new TfjsModelException("output '" + output + "' is not a node of " + modelJson);
            }
        }

        executionLock.lock();
        try (NDManager scope = this.manager.newSubManager()) {
            constants.values().forEach(array -> array.tempAttach(scope));
            inputs.values().forEach(array -> array.tempAttach(scope));

            Map<String, NDArray[]> values = evaluate(inputs, outputs, scope);

            Map<String, NDArray> results = new LinkedHashMap<>();
            for (String output : outputs) {
                NDArray value = tensor(values, output);
                NDArray result = constantArrays.contains(value) || inputs.containsValue(value) ? value.duplicate() : value;
                result.attach(manager);
                results.put(output, result);
            }
            return results;
        } finally {
            executionLock.unlock();
        }
    }

    /** Evaluates, in dependency order, every node that {@code outputs} need. */
    private Map<String, NDArray[]> evaluate(Map<String, NDArray> inputs, List<String> outputs, NDManager scope) {
        Map<String, NDArray[]> values = new HashMap<>();
        for (String name : executionOrder(outputs)) {
            GraphNode node = nodes.get(name);
            switch (node.op()) {
                case "Const" -> values.put(name, new NDArray[] {constants.get(name)});
                case "Placeholder" -> values.put(name, new NDArray[] {inputs.get(name)});
                default -> {
                    List<NDArray> arguments = new ArrayList<>(node.inputs().size());
                    for (String input : node.inputs()) {
                        arguments.add(tensor(values, input));
                    }
                    try {
                        values.put(name, GraphOps.apply(node, arguments, scope));
                    } catch (TfjsModelException e) {
                        throw e;
                    } catch (RuntimeException e) {
                        throw new TfjsModelException("op " + node.op() + " of node '" + name + "' failed on inputs "
                                + arguments.stream().map(a -> a.getShape() + " " + a.getDataType()).toList()
                                + ": " + e.getMessage(), e);
                    }
                }
            }
        }
        return values;
    }

    /** Returns the nodes that {@code outputs} depend on, each after its inputs (depth-first, no recursion). */
    private List<String> executionOrder(List<String> outputs) {
        List<String> order = new ArrayList<>();
        Set<String> done = new HashSet<>();
        Set<String> onPath = new HashSet<>();
        Deque<String[]> stack = new ArrayDeque<>();
        for (String output : outputs) {
            stack.push(new String[] {GraphNode.producerOf(output), "enter"});
        }
        while (!stack.isEmpty()) {
            String[] entry = stack.pop();
            String name = entry[0];
            if ("exit".equals(entry[1])) {
                onPath.remove(name);
                if (done.add(name)) {
                    order.add(name);
                }
                continue;
            }
            if (done.contains(name)) {
                continue;
            }
            if (!onPath.add(name)) {
                throw new TfjsModelException("the graph of " + modelJson + " has a cycle through node '" + name + "'");
            }
            stack.push(new String[] {name, "exit"});
            GraphNode node = nodes.get(name);
            if (node == null) {
                throw new TfjsModelException("node '" + name + "' is referenced but not defined in " + modelJson);
            }
            for (String input : node.inputs()) {
                String producer = GraphNode.producerOf(input);
                if (!done.contains(producer)) {
                    stack.push(new String[] {producer, "enter"});
                }
            }
        }
        return order;
    }

    private static NDArray tensor(Map<String, NDArray[]> values, String reference) {
        NDArray[] outputs = values.get(GraphNode.producerOf(reference));
        int index = GraphNode.outputIndexOf(reference);
        if (outputs == null || index >= outputs.length) {
            throw new TfjsModelException("tensor '" + reference + "' was not produced");
        }
        return outputs[index];
    }

    private void checkInputs(Map<String, NDArray> inputs) {
        for (Map.Entry<String, Shape> expected : inputShapes.entrySet()) {
            NDArray input = inputs.get(expected.getKey());
            if (input == null) {
                throw new TfjsModelException("input '" + expected.getKey() + "' of " + modelJson
                        + " is missing; expected shape " + expected.getValue());
            }
            if (!shapeMatches(expected.getValue(), input.getShape())) {
                throw new TfjsModelException("input '" + expected.getKey() + "' has shape " + input.getShape()
                        + " but " + modelJson + " expects " + expected.getValue());
            }
        }
        for (String name : inputs.keySet()) {
            if (!inputShapes.containsKey(name)) {
                throw new TfjsModelException("'" + name + "' is not an input of " + modelJson + "; inputs are "
                        + inputShapes.keySet());
            }
        }
    }

    private static boolean shapeMatches(Shape expected, Shape actual) {
        if (expected.dimension() != actual.dimension()) {
            return false;
        }
        for (int i = 0; i < expected.dimension(); i++) {
            if (expected.get(i) >= 0 && expected.get(i) != actual.get(i)) {
                return false;
            }
        }
        return true;
    }

    private static JsonNode readJson(Path modelJson) {
        if (!Files.isRegularFile(modelJson)) {
            throw new TfjsModelException("TF.js model file " + modelJson + " does not exist");
        }
        try {
            return JSON.readTree(modelJson.toFile());
        } catch (JacksonException e) {
            throw new TfjsModelException(modelJson + " is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Map<String, GraphNode> parseNodes(JsonNode nodeList, Path modelJson) {
        if (!nodeList.isArray() || nodeList.isEmpty()) {
            throw new TfjsModelException(modelJson + " has no modelTopology.node list");
        }
        Map<String, GraphNode> nodes = new LinkedHashMap<>();
        for (JsonNode node : nodeList) {
            List<String> inputs = new ArrayList<>();
            for (JsonNode input : node.path("input")) {
                String reference = input.asString();
                if (!reference.startsWith("^")) { // "^name" is a control dependency, which carries no tensor
                    inputs.add(reference);
                }
            }
            String name = node.path("name").asString();
            nodes.put(name, new GraphNode(name, node.path("op").asString(), List.copyOf(inputs), node.path("attr")));
        }
        return nodes;
    }

    private static Map<String, Shape> inputShapes(Iterable<GraphNode> nodes) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (GraphNode node : nodes) {
            if (node.op().equals("Placeholder")) {
                JsonNode dims = node.attributes().path("shape").path("shape").path("dim");
                long[] shape = new long[dims.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = dims.get(i).path("size").asLong(-1);
                }
                shapes.put(node.name(), new Shape(shape));
            }
        }
        return Collections.unmodifiableMap(shapes);
    }

    private static List<String> outputNames(JsonNode signatureOutputs, Map<String, GraphNode> nodes) {
        Set<String> names = new TreeSet<>();
        for (String key : signatureOutputs.propertyNames()) {
            names.add(key.endsWith(":0") ? key.substring(0, key.length() - 2) : key);
        }
        if (names.isEmpty()) {
            Set<String> consumed = new HashSet<>();
            nodes.values().forEach(node -> node.inputs().forEach(input -> consumed.add(GraphNode.producerOf(input))));
            nodes.keySet().stream().filter(name -> !consumed.contains(name)).forEach(names::add);
        }
        return List.copyOf(names);
    }

    @Override
    public void close() {
        manager.close();
    }
}
