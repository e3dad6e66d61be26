package dev.mlsuite.vision.splat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.mlsuite.vision.splat.SplatFormatException.Kind;

/** The parsed header of a PLY file: its encoding and the declared elements with their properties. */
record PlyHeader(Encoding encoding, List<Element> elements) {

    /** The three encodings of the PLY 1.0 format. */
    enum Encoding {
        ASCII, BINARY_LITTLE_ENDIAN, BINARY_BIG_ENDIAN
    }

    /** A scalar type of the PLY format with its size in bytes. */
    enum ScalarType {
        INT8(1), UINT8(1), INT16(2), UINT16(2), INT32(4), UINT32(4), FLOAT32(4), FLOAT64(8);

        final int sizeBytes;

        ScalarType(int sizeBytes) {
            this.sizeBytes = sizeBytes;
        }

        static ScalarType parse(String name) throws SplatFormatException {
            return switch (name) {
                case "char", "int8" -> INT8;
                case "uchar", "uint8" -> UINT8;
                case "short", "int16" -> INT16;
                case "ushort", "uint16" -> UINT16;
                case "int", "int32" -> INT32;
                case "uint", "uint32" -> UINT32;
                case "float", "float32" -> FLOAT32;
                case "double", "float64" -> FLOAT64;
                default -> throw new SplatFormatException(Kind.UNSUPPORTED_FORMAT,
                        "Unknown PLY property type '" + name + "'.");
            };
        }
    }

    /** A property: a scalar, or a list when {@code countType} is not null. */
    record Property(String name, ScalarType type, ScalarType countType) {

        boolean isList() {
            return countType != null;
        }
    }

    /** An element such as {@code vertex} with its instance count. */
    record Element(String name, long count, List<Property> properties) {

        int indexOf(String propertyName) {
            for (int i = 0; i < properties.size(); i++) {
                if (properties.get(i).name().equals(propertyName)) {
                    return i;
                }
            }
            return -1;
        }

        boolean hasListProperty() {
            return properties.stream().anyMatch(Property::isList);
        }

        /** Returns the size of one instance in a binary encoding; only valid without list properties. */
        int strideBytes() {
            int stride = 0;
            for (Property property : properties) {
                stride += property.type().sizeBytes;
            }
            return stride;
        }
    }

    static final int MAX_HEADER_BYTES = 64 * 1024;

    /**
     * Reads the header up to and including the {@code end_header} line, leaving the stream at the
     * first byte of the body.
     */
    static PlyHeader read(InputStream in) throws IOException {
        byte[] start = in.readNBytes(3);
        String magic = start.length == 3 && start[0] == 'p' && start[1] == 'l' && start[2] == 'y'
                ? "ply" + readLine(in, 3)
                : null;
        if (magic == null || !magic.strip().equals("ply")) {
            throw new SplatFormatException(Kind.NOT_A_PLY,
                    "The file is not a PLY file: it must start with the line 'ply'.");
        }

        Encoding encoding = null;
        List<String> elementNames = new ArrayList<>();
        List<Long> elementCounts = new ArrayList<>();
        List<List<Property>> elementProperties = new ArrayList<>();
        int headerBytes = magic.length() + 1;
        while (true) {
            String line = readLine(in, headerBytes);
            if (line == null) {
                throw new SplatFormatException(Kind.TRUNCATED_FILE,
                        "The PLY header ends before the 'end_header' line.");
            }
            headerBytes += line.length() + 1;
            String[] tokens = line.strip().split("\\s+");
            switch (tokens[0]) {
                case "end_header" -> {
                    if (encoding == null) {
                        throw new SplatFormatException(Kind.NOT_A_PLY, "The PLY header has no 'format' line.");
                    }
                    List<Element> elements = new ArrayList<>();
                    for (int i = 0; i < elementNames.size(); i++) {
                        elements.add(new Element(elementNames.get(i), elementCounts.get(i),
                                List.copyOf(elementProperties.get(i))));
                    }
                    return new PlyHeader(encoding, List.copyOf(elements));
                }
                case "format" -> encoding = parseFormat(tokens);
                case "element" -> {
                    if (tokens.length != 3) {
                        throw new SplatFormatException(Kind.NOT_A_PLY, "Invalid PLY element line: '" + line + "'.");
                    }
                    elementNames.add(tokens[1]);
                    elementCounts.add(parseCount(tokens[2], line));
                    elementProperties.add(new ArrayList<>());
                }
                case "property" -> {
                    if (elementProperties.isEmpty()) {
                        throw new SplatFormatException(Kind.NOT_A_PLY,
                                "PLY property declared before any element: '" + line + "'.");
                    }
                    elementProperties.get(elementProperties.size() - 1).add(parseProperty(tokens, line));
                }
                case "comment", "obj_info", "" -> {
                    // Comments carry no structure.
                }
                default -> throw new SplatFormatException(Kind.NOT_A_PLY,
                        "Unknown PLY header keyword '" + tokens[0] + "'.");
            }
        }
    }

    private static Encoding parseFormat(String[] tokens) throws SplatFormatException {
        if (tokens.length != 3 || !tokens[2].equals("1.0")) {
            throw new SplatFormatException(Kind.UNSUPPORTED_FORMAT,
                    "Unsupported PLY format line '" + String.join(" ", tokens) + "'; expected version 1.0.");
        }
        return switch (tokens[1]) {
            case "ascii" -> Encoding.ASCII;
            case "binary_little_endian" -> Encoding.BINARY_LITTLE_ENDIAN;
            case "binary_big_endian" -> Encoding.BINARY_BIG_ENDIAN;
            default -> throw new SplatFormatException(Kind.UNSUPPORTED_FORMAT,
                    "Unknown PLY encoding '" + tokens[1] + "'; expected ascii, binary_little_endian or binary_big_endian.");
        };
    }

    private static long parseCount(String token, String line) throws SplatFormatException {
        try {
            long count = Long.parseLong(token);
            if (count < 0) {
                throw new NumberFormatException("negative");
            }
            return count;
        } catch (NumberFormatException e) {
            throw new SplatFormatException(Kind.NOT_A_PLY, "Invalid PLY element count in '" + line + "'.");
        }
    }

    private static Property parseProperty(String[] tokens, String line) throws SplatFormatException {
        if (tokens.length == 3) {
            return new Property(tokens[2], ScalarType.parse(tokens[1]), null);
        }
        if (tokens.length == 5 && tokens[1].equals("list")) {
            return new Property(tokens[4], ScalarType.parse(tokens[3]), ScalarType.parse(tokens[2]));
        }
        throw new SplatFormatException(Kind.NOT_A_PLY, "Invalid PLY property line: '" + line + "'.");
    }

    /** Reads one header line byte by byte, so that no body byte is consumed; returns null at end of stream. */
    private static String readLine(InputStream in, int headerBytesSoFar) throws IOException {
        StringBuilder line = new StringBuilder();
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.isEmpty() ? null : line.toString();
            }
            if (b == '\n') {
                int end = line.length();
                if (end > 0 && line.charAt(end - 1) == '\r') {
                    line.setLength(end - 1);
                }
                return line.toString();
            }
            if (b > 0x7e || (b < 0x20 && b != '\r' && b != '\t')) {
                throw new SplatFormatException(Kind.NOT_A_PLY,
                        "The PLY header contains a non-text byte 0x" + Integer.toHexString(b).toUpperCase(Locale.ROOT)
                                + " at offset " + (headerBytesSoFar + line.length()) + ".");
            }
            line.append((char) b);
            if (headerBytesSoFar + line.length() > MAX_HEADER_BYTES) {
                throw new SplatFormatException(Kind.NOT_A_PLY,
                        "The PLY header is longer than " + MAX_HEADER_BYTES + " bytes.");
            }
        }
    }
}
