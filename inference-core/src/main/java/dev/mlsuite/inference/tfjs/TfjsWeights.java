package dev.mlsuite.inference.tfjs;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * Reads the {@code weightsManifest} of a TF.js model: each group's {@code paths} are concatenated
 * shard files in which the group's tensors lie back to back, little-endian. Stored dtypes are
 * float32 and int32. Quantized float32 tensors are stored as float16 ({@code quantization.dtype:
 * float16}) or as uint8/uint16 with {@code value = q * scale + min}, and are returned as float32.
 */
final class TfjsWeights {

    private TfjsWeights() {
    }

    /** Loads every tensor of the manifest into {@code manager}, keyed by name. */
    static Map<String, NDArray> load(JsonNode manifest, Path folder, NDManager manager) {
        Map<String, NDArray> tensors = new LinkedHashMap<>();
        for (JsonNode group : manifest) {
            ByteBuffer data = readShards(group.path("paths"), folder);
            for (JsonNode weight : group.path("weights")) {
                String name = weight.path("name").asString();
                tensors.put(name, readTensor(weight, data, folder, manager));
            }
            if (data.hasRemaining()) {
                throw new TfjsModelException("weight files " + group.path("paths") + " in " + folder + " contain "
                        + data.remaining() + " bytes after the last tensor of their group; the manifest does not"
                        + " match the files");
            }
        }
        return tensors;
    }

    private static ByteBuffer readShards(JsonNode paths, Path folder) {
        try {
            long total = 0;
            for (JsonNode path : paths) {
                total += Files.size(shardPath(folder, path.asString()));
            }
            if (total > Integer.MAX_VALUE) {
                throw new TfjsModelException("weight group " + paths + " in " + folder + " is " + total
                        + " bytes; at most 2 GiB per group is supported");
            }
            ByteBuffer data = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
            for (JsonNode path : paths) {
                data.put(Files.readAllBytes(shardPath(folder, path.asString())));
            }
            return data.flip();
        } catch (IOException e) {
            throw new TfjsModelException("failed to read weight files " + paths + " in " + folder + ": " + e.getMessage(), e);
        }
    }

    private static Path shardPath(Path folder, String name) {
        Path shard = folder.resolve(name).normalize();
        if (!shard.startsWith(folder.normalize())) {
            throw new TfjsModelException("weight path '" + name + "' points outside the model folder " + folder);
        }
        if (!Files.isRegularFile(shard)) {
            throw new TfjsModelException("weight file " + shard + " named in the manifest does not exist");
        }
        return shard;
    }

    private static NDArray readTensor(JsonNode weight, ByteBuffer data, Path folder, NDManager manager) {
        String name = weight.path("name").asString();
        Shape shape = shapeOf(weight.path("shape"));
        int count = Math.toIntExact(shape.size());
        String dtype = weight.path("dtype").asString();
        JsonNode quantization = weight.path("quantization");
        String storedDtype = quantization.isMissingNode() ? dtype : quantization.path("dtype").asString();

        int bytes = count * bytesPerElement(storedDtype, name);
        if (data.remaining() < bytes) {
            throw new TfjsModelException("weight '" + name + "' needs " + bytes + " bytes but the weight files in "
                    + folder + " have only " + data.remaining() + " left; the files are truncated or do not match");
        }
        ByteBuffer slice = data.slice(data.position(), bytes).order(ByteOrder.LITTLE_ENDIAN);
        data.position(data.position() + bytes);

        if (quantization.isMissingNode()) {
            return switch (dtype) {
                case "float32" -> manager.create(slice.asFloatBuffer(), shape);
                case "int32" -> manager.create(slice.asIntBuffer(), shape);
                default -> throw unsupportedDtype(name, dtype);
            };
        }
        if (!"float32".equals(dtype)) {
            throw new TfjsModelException("weight '" + name + "' is a quantized " + dtype
                    + "; only quantized float32 weights are supported");
        }
        float[] values = new float[count];
        switch (storedDtype) {
            case "float16" -> {
                for (int i = 0; i < count; i++) {
                    values[i] = halfToFloat(slice.getShort());
                }
            }
            case "uint8", "uint16" -> {
                double scale = quantization.path("scale").asDouble();
                double min = quantization.path("min").asDouble();
                for (int i = 0; i < count; i++) {
                    int q = "uint8".equals(storedDtype) ? Byte.toUnsignedInt(slice.get()) : Short.toUnsignedInt(slice.getShort());
                    values[i] = (float) (q * scale + min);
                }
            }
            default -> throw unsupportedDtype(name, storedDtype);
        }
        return manager.create(values, shape);
    }

    private static int bytesPerElement(String dtype, String name) {
        return switch (dtype) {
            case "float32", "int32" -> 4;
            case "float16", "uint16" -> 2;
            case "uint8" -> 1;
            default -> throw unsupportedDtype(name, dtype);
        };
    }

    private static TfjsModelException unsupportedDtype(String name, String dtype) {
        return new TfjsModelException("weight '" + name + "' has dtype " + dtype
                + "; supported are float32, int32 and quantization to float16, uint8 or uint16");
    }

    static Shape shapeOf(JsonNode dims) {
        long[] shape = new long[dims.size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = dims.get(i).asLong();
        }
        return new Shape(shape);
    }

    /** Converts an IEEE 754 half-precision value (binary16) to float. */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;

        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // Zero or subnormal: mantissa * 2^-24.
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
