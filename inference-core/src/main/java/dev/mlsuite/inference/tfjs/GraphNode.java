package dev.mlsuite.inference.tfjs;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import tools.jackson.databind.JsonNode;

/**
 * One node of a TF.js graph: its name, op type, data inputs ({@code name} or {@code name:index},
 * control inputs removed) and TensorFlow attributes as stored in {@code model.json}.
 */
record GraphNode(String name, String op, List<String> inputs, JsonNode attributes) {

    /** Returns the name of the node that produces the tensor {@code reference} ({@code name:index} or {@code name}). */
    static String producerOf(String reference) {
        int colon = reference.lastIndexOf(':');
        return colon < 0 ? reference : reference.substring(0, colon);
    }

    /** Returns the output index that {@code reference} selects, 0 when it has no {@code :index} suffix. */
    static int outputIndexOf(String reference) {
        int colon = reference.lastIndexOf(':');
        return colon < 0 ? 0 : Integer.parseInt(reference.substring(colon + 1));
    }

    boolean hasAttribute(String key) {
        return attributes.has(key);
    }

    String stringAttribute(String key, String defaultValue) {
        JsonNode value = attributes.path(key).path("s");
        if (value.isMissingNode()) {
            return defaultValue;
        }
        return new String(Base64.getDecoder().decode(value.asString()), StandardCharsets.UTF_8);
    }

    float floatAttribute(String key, float defaultValue) {
        JsonNode value = attributes.path(key).path("f");
        return value.isMissingNode() ? defaultValue : (float) value.asDouble();
    }

    long intAttribute(String key, long defaultValue) {
        JsonNode value = attributes.path(key).path("i");
        return value.isMissingNode() ? defaultValue : Long.parseLong(value.asString());
    }

    boolean boolAttribute(String key, boolean defaultValue) {
        JsonNode value = attributes.path(key).path("b");
        return value.isMissingNode() ? defaultValue : value.asBoolean();
    }

    /** Returns an integer-list attribute ({@code strides}, {@code ksize}, ...), or {@code defaultValue} when absent or empty. */
    long[] intListAttribute(String key, long[] defaultValue) {
        JsonNode list = attributes.path(key).path("list").path("i");
        if (!list.isArray() || list.isEmpty()) {
            return defaultValue;
        }
        long[] values = new long[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = Long.parseLong(list.get(i).asString());
        }
        return values;
    }
}
