package dev.mlsuite.vision.splat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Builds small PLY files byte by byte for reader tests: a vertex element with float properties in
 * a chosen encoding, written independently of the production reader.
 */
final class PlyFixture {

    static final String[] STANDARD = {
        "x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity",
        "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"
    };

    private final String format;
    private final List<String> names = new ArrayList<>();
    private final List<String> types = new ArrayList<>();
    private final List<double[]> rows = new ArrayList<>();
    private String preamble = "";
    private byte[] preambleBody = new byte[0];
    private Long declaredCount;

    private PlyFixture(String format) {
        this.format = format;
    }

    static PlyFixture of(String format, String... properties) {
        PlyFixture fixture = new PlyFixture(format);
        for (String property : properties) {
            fixture.names.add(property);
            fixture.types.add("float");
        }
        return fixture;
    }

    PlyFixture type(String property, String type) {
        types.set(names.indexOf(property), type);
        return this;
    }

    PlyFixture row(double... values) {
        rows.add(values);
        return this;
    }

    PlyFixture declaredCount(long count) {
        declaredCount = count;
        return this;
    }

    /** Adds an element before the vertex element, with its header lines and body bytes. */
    PlyFixture preamble(String headerLines, byte[] body) {
        preamble = headerLines;
        preambleBody = body;
        return this;
    }

    byte[] bytes() {
        StringBuilder header = new StringBuilder("ply\nformat " + format + " 1.0\ncomment test fixture\n");
        header.append(preamble);
        header.append("element vertex ").append(declaredCount != null ? declaredCount : rows.size()).append('\n');
        for (int p = 0; p < names.size(); p++) {
            header.append("property ").append(types.get(p)).append(' ').append(names.get(p)).append('\n');
        }
        header.append("end_header\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.toString().getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(preambleBody);
        for (double[] row : rows) {
            if (format.equals("ascii")) {
                StringBuilder line = new StringBuilder();
                for (double value : row) {
                    line.append(line.isEmpty() ? "" : " ").append(asciiNumber(value));
                }
                out.writeBytes((line + "\n").getBytes(StandardCharsets.US_ASCII));
            } else {
                ByteOrder order = format.equals("binary_big_endian") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
                for (int p = 0; p < row.length; p++) {
                    out.writeBytes(binary(row[p], types.get(p), order));
                }
            }
        }
        return out.toByteArray();
    }

    private static String asciiNumber(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        return String.format(Locale.ROOT, "%.9g", value);
    }

    private static byte[] binary(double value, String type, ByteOrder order) {
        ByteBuffer buffer = ByteBuffer.allocate(8).order(order);
        switch (type) {
            case "double" -> buffer.putDouble(value);
            case "uchar" -> buffer.put((byte) value);
            case "int" -> buffer.putInt((int) value);
            default -> buffer.putFloat((float) value);
        }
        byte[] bytes = new byte[buffer.position()];
        buffer.flip();
        buffer.get(bytes);
        return bytes;
    }
}
