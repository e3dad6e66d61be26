package dev.mlsuite.inference.io.onnx;

/**
 * One attribute of an ONNX node. Only the fields of the attribute's kind are set; the others are
 * zero, empty or null. Graph-valued attributes are not decoded.
 *
 * @param name the attribute name
 * @param floatValue the value of a FLOAT attribute
 * @param longValue the value of an INT attribute
 * @param stringValue the value of a STRING attribute, decoded as UTF-8
 * @param tensor the value of a TENSOR attribute, such as the output of a {@code Constant} node
 * @param floats the values of a FLOATS attribute
 * @param longs the values of an INTS attribute
 */
public record OnnxAttribute(String name, float floatValue, long longValue, String stringValue, OnnxTensor tensor,
        float[] floats, long[] longs) {
}
