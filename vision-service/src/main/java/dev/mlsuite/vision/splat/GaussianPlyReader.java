package dev.mlsuite.vision.splat;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.mlsuite.vision.splat.PlyHeader.Element;
import dev.mlsuite.vision.splat.PlyHeader.Encoding;
import dev.mlsuite.vision.splat.PlyHeader.Property;
import dev.mlsuite.vision.splat.PlyHeader.ScalarType;
import dev.mlsuite.vision.splat.SplatFormatException.Kind;

/**
 * Reads a trained 3D Gaussian Splatting scene from a PLY file as written by the reference
 * implementation (Kerbl et al., 2023): a {@code vertex} element with {@code x y z},
 * {@code f_dc_0..2}, optional {@code f_rest_*} (spherical-harmonics degree 0 to 3), {@code opacity}
 * as a logit, {@code scale_0..2} as natural logarithms and {@code rot_0..3} as a quaternion
 * (w, x, y, z). ASCII and both binary encodings are accepted; every value is validated and any
 * defect raises a {@link SplatFormatException} that names the vertex and property.
 */
public final class GaussianPlyReader {

    private static final Logger log = LoggerFactory.getLogger(GaussianPlyReader.class);

    /** Default maximum number of Gaussians accepted: about 250 MB of vertex data at SH degree 3. */
    public static final int DEFAULT_MAX_GAUSSIANS = 1_000_000;

    /**
     * Largest accepted log-scale: exp(30) is about 1e13 scene units, far beyond any trained scene,
     * and larger values overflow the covariance in single precision.
     */
    static final float MAX_LOG_SCALE = 30f;

    /** Smallest accepted log-scale on the largest axis: below it the Gaussian has no extent in float. */
    static final float MIN_LOG_SCALE = -80f;

    private static final String[] REQUIRED = {
        "x", "y", "z", "f_dc_0", "f_dc_1", "f_dc_2", "opacity",
        "scale_0", "scale_1", "scale_2", "rot_0", "rot_1", "rot_2", "rot_3"
    };

    private static final int VERTICES_PER_CHUNK = 4096;

    private final int maxGaussians;

    public GaussianPlyReader() {
        this(DEFAULT_MAX_GAUSSIANS);
    }

    public GaussianPlyReader(int maxGaussians) {
        if (maxGaussians < 1) {
            throw new IllegalArgumentException("maxGaussians must be at least 1, got " + maxGaussians);
        }
        this.maxGaussians = maxGaussians;
    }

    public int maxGaussians() {
        return maxGaussians;
    }

    public GaussianScene read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in);
        }
    }

    /** Reads and validates a scene; the caller closes the stream. */
    public GaussianScene read(InputStream input) throws IOException {
        long startNanos = System.nanoTime();
        BufferedInputStream in = new BufferedInputStream(input, 1 << 16);
        PlyHeader header = PlyHeader.read(in);

        int vertexElementIndex = findVertexElement(header);
        Element vertex = header.elements().get(vertexElementIndex);
        int count = checkCount(vertex);
        VertexLayout layout = VertexLayout.resolve(vertex);

        VertexSource source = header.encoding() == Encoding.ASCII
                ? new AsciiVertexSource(in, header, vertexElementIndex)
                : new BinaryVertexSource(in, header, vertexElementIndex);
        GaussianScene scene = decode(source, layout, count);

        log.debug("Read {} Gaussians (SH degree {}, {}) in {} ms", count, scene.shDegree(), header.encoding(),
                (System.nanoTime() - startNanos) / 1_000_000);
        return scene;
    }

    private static int findVertexElement(PlyHeader header) throws SplatFormatException {
        for (int i = 0; i < header.elements().size(); i++) {
            if (header.elements().get(i).name().equals("vertex")) {
                if (header.elements().get(i).hasListProperty()) {
                    throw new SplatFormatException(Kind.UNSUPPORTED_FORMAT,
                            "The PLY 'vertex' element has a list property; a Gaussian splat has scalar properties only.");
                }
                return i;
            }
        }
        throw new SplatFormatException(Kind.MISSING_PROPERTY,
                "The PLY file has no 'vertex' element, so it contains no Gaussians.");
    }

    private int checkCount(Element vertex) throws SplatFormatException {
        if (vertex.count() == 0) {
            throw new SplatFormatException(Kind.EMPTY_SCENE, "The PLY file declares 0 Gaussians.");
        }
        if (vertex.count() > maxGaussians) {
            throw new SplatFormatException(Kind.TOO_MANY_GAUSSIANS,
                    "The PLY file declares " + vertex.count() + " Gaussians, more than the limit of " + maxGaussians
                            + ".");
        }
        return (int) vertex.count();
    }

    private static GaussianScene decode(VertexSource source, VertexLayout layout, int count) throws IOException {
        int rest = layout.restIndices.length / 3;
        float[] positions = new float[3 * count];
        float[] scales = new float[3 * count];
        float[] rotations = new float[4 * count];
        float[] opacities = new float[count];
        float[] shDc = new float[3 * count];
        float[] shRest = new float[3 * rest * count];
        double[] row = new double[layout.propertyNames.length];

        for (int i = 0; i < count; i++) {
            source.next(row, i);
            for (int p = 0; p < row.length; p++) {
                if (!Double.isFinite(row[p]) && layout.isUsed(p)) {
                    throw new SplatFormatException(Kind.INVALID_VALUE, "Gaussian " + i + " has the non-finite value "
                            + row[p] + " in property '" + layout.propertyNames[p] + "'.");
                }
            }
            for (int axis = 0; axis < 3; axis++) {
                positions[3 * i + axis] = (float) row[layout.position[axis]];
                shDc[3 * i + axis] = (float) row[layout.shDc[axis]];
            }
            opacities[i] = (float) (1.0 / (1.0 + Math.exp(-row[layout.opacity])));
            decodeScale(row, layout, i, scales);
            decodeRotation(row, layout, i, rotations);
            // f_rest_* is stored channel-major: all coefficients of red, then green, then blue.
            for (int channel = 0; channel < 3; channel++) {
                for (int j = 0; j < rest; j++) {
                    shRest[(i * rest + j) * 3 + channel] = (float) row[layout.restIndices[channel * rest + j]];
                }
            }
        }
        return new GaussianScene(count, layout.shDegree, positions, scales, rotations, opacities, shDc, shRest);
    }

    private static void decodeScale(double[] row, VertexLayout layout, int i, float[] scales)
            throws SplatFormatException {
        double maxLogScale = Double.NEGATIVE_INFINITY;
        for (int axis = 0; axis < 3; axis++) {
            double logScale = row[layout.scale[axis]];
            if (logScale > MAX_LOG_SCALE) {
                throw new SplatFormatException(Kind.DEGENERATE_GAUSSIAN, "Gaussian " + i + " has scale_" + axis + " = "
                        + logScale + " (a log-scale); values above " + MAX_LOG_SCALE + " are not a trained scene.");
            }
            maxLogScale = Math.max(maxLogScale, logScale);
            scales[3 * i + axis] = (float) Math.exp(logScale);
        }
        if (maxLogScale < MIN_LOG_SCALE) {
            throw new SplatFormatException(Kind.DEGENERATE_GAUSSIAN, "Gaussian " + i
                    + " has all log-scales below " + MIN_LOG_SCALE + " (largest " + maxLogScale + "), so it has no extent.");
        }
    }

    private static void decodeRotation(double[] row, VertexLayout layout, int i, float[] rotations)
            throws SplatFormatException {
        double norm = 0;
        for (int k = 0; k < 4; k++) {
            double q = row[layout.rotation[k]];
            norm += q * q;
        }
        norm = Math.sqrt(norm);
        if (!(norm > 1e-12)) {
            throw new SplatFormatException(Kind.DEGENERATE_GAUSSIAN,
                    "Gaussian " + i + " has a zero rotation quaternion (rot_0..rot_3 are all 0).");
        }
        for (int k = 0; k < 4; k++) {
            rotations[4 * i + k] = (float) (row[layout.rotation[k]] / norm);
        }
    }

    /** Column indices of the properties the reader uses. */
    private static final class VertexLayout {
        final String[] propertyNames;
        final boolean[] used;
        final int[] position = new int[3];
        final int[] shDc = new int[3];
        final int[] scale = new int[3];
        final int[] rotation = new int[4];
        int opacity;
        int[] restIndices;
        int shDegree;

        private VertexLayout(Element vertex) {
            propertyNames = vertex.properties().stream().map(Property::name).toArray(String[]::new);
            used = new boolean[propertyNames.length];
        }

        boolean isUsed(int column) {
            return used[column];
        }

        static VertexLayout resolve(Element vertex) throws SplatFormatException {
            VertexLayout layout = new VertexLayout(vertex);
            List<String> missing = new ArrayList<>();
            int[] required = new int[REQUIRED.length];
            for (int r = 0; r < REQUIRED.length; r++) {
                required[r] = vertex.indexOf(REQUIRED[r]);
                if (required[r] < 0) {
                    missing.add(REQUIRED[r]);
                } else {
                    layout.used[required[r]] = true;
                }
            }
            if (!missing.isEmpty()) {
                throw new SplatFormatException(Kind.MISSING_PROPERTY, "The PLY 'vertex' element lacks the properties "
                        + missing + "; a 3D Gaussian Splatting file needs " + String.join(" ", REQUIRED) + ".");
            }
            System.arraycopy(required, 0, layout.position, 0, 3);
            System.arraycopy(required, 3, layout.shDc, 0, 3);
            layout.opacity = required[6];
            System.arraycopy(required, 7, layout.scale, 0, 3);
            System.arraycopy(required, 10, layout.rotation, 0, 4);
            layout.resolveRest(vertex);
            return layout;
        }

        private void resolveRest(Element vertex) throws SplatFormatException {
            int restCount = 0;
            for (Property property : vertex.properties()) {
                if (property.name().startsWith("f_rest_")) {
                    restCount++;
                }
            }
            shDegree = -1;
            for (int degree = 0; degree <= 3; degree++) {
                if (3 * GaussianScene.restCoefficientCount(degree) == restCount) {
                    shDegree = degree;
                }
            }
            if (shDegree < 0) {
                throw new SplatFormatException(Kind.MISSING_PROPERTY, "The PLY file has " + restCount
                        + " f_rest_* properties; spherical harmonics of degree 0 to 3 need 0, 9, 24 or 45.");
            }
            restIndices = new int[restCount];
            for (int k = 0; k < restCount; k++) {
                restIndices[k] = vertex.indexOf("f_rest_" + k);
                if (restIndices[k] < 0) {
                    throw new SplatFormatException(Kind.MISSING_PROPERTY, "The PLY file has " + restCount
                            + " f_rest_* properties but no 'f_rest_" + k + "'; they must be numbered 0.." + (restCount - 1) + ".");
                }
                used[restIndices[k]] = true;
            }
        }
    }

    /** Supplies the property values of consecutive vertices. */
    private interface VertexSource {
        void next(double[] row, int vertexIndex) throws IOException;
    }

    private static final class BinaryVertexSource implements VertexSource {
        private final InputStream in;
        private final ScalarType[] types;
        private final int[] offsets;
        private final int stride;
        private final ByteBuffer chunk;
        private final long vertexCount;
        private long vertexesBuffered;
        private int chunkPosition;

        BinaryVertexSource(InputStream in, PlyHeader header, int vertexElementIndex) throws IOException {
            this.in = in;
            ByteOrder order = header.encoding() == Encoding.BINARY_BIG_ENDIAN ? ByteOrder.BIG_ENDIAN
                    : ByteOrder.LITTLE_ENDIAN;
            Element vertex = header.elements().get(vertexElementIndex);
            types = vertex.properties().stream().map(Property::type).toArray(ScalarType[]::new);
            offsets = new int[types.length];
            int offset = 0;
            for (int p = 0; p < types.length; p++) {
                offsets[p] = offset;
                offset += types[p].sizeBytes;
            }
            stride = offset;
            vertexCount = vertex.count();
            chunk = ByteBuffer.allocate(stride * VERTICES_PER_CHUNK).order(order);
            chunk.limit(0);
            for (int e = 0; e < vertexElementIndex; e++) {
                skipElement(header.elements().get(e), order);
            }
        }

        private void skipElement(Element element, ByteOrder order) throws IOException {
            if (!element.hasListProperty()) {
                skipFully((long) element.strideBytes() * element.count(), element.name());
                return;
            }
            ByteBuffer scratch = ByteBuffer.allocate(8).order(order);
            for (long i = 0; i < element.count(); i++) {
                for (Property property : element.properties()) {
                    long items = 1;
                    if (property.isList()) {
                        scratch.clear();
                        readFully(scratch.array(), property.countType().sizeBytes, element.name());
                        scratch.limit(property.countType().sizeBytes);
                        items = (long) readScalar(scratch, 0, property.countType());
                    }
                    skipFully(items * property.type().sizeBytes, element.name());
                }
            }
        }

        private void skipFully(long bytes, String elementName) throws IOException {
            long remaining = bytes;
            while (remaining > 0) {
                long skipped = in.skip(remaining);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new SplatFormatException(Kind.TRUNCATED_FILE,
                                "The PLY file ends inside the '" + elementName + "' element.");
                    }
                    skipped = 1;
                }
                remaining -= skipped;
            }
        }

        private void readFully(byte[] target, int length, String elementName) throws IOException {
            int read = in.readNBytes(target, 0, length);
            if (read < length) {
                throw new SplatFormatException(Kind.TRUNCATED_FILE,
                        "The PLY file ends inside the '" + elementName + "' element.");
            }
        }

        @Override
        public void next(double[] row, int vertexIndex) throws IOException {
            if (chunkPosition == chunk.limit()) {
                fill(vertexIndex);
            }
            for (int p = 0; p < types.length; p++) {
                row[p] = readScalar(chunk, chunkPosition + offsets[p], types[p]);
            }
            chunkPosition += stride;
        }

        private void fill(int vertexIndex) throws IOException {
            int vertexes = (int) Math.min(VERTICES_PER_CHUNK, vertexCount - vertexesBuffered);
            int bytes = vertexes * stride;
            int read = in.readNBytes(chunk.array(), 0, bytes);
            if (read < bytes) {
                long complete = vertexIndex + read / stride;
                throw new SplatFormatException(Kind.TRUNCATED_FILE, "The PLY file is truncated: it declares "
                        + vertexCount + " Gaussians of " + stride + " bytes but the data ends after " + complete
                        + " complete ones.");
            }
            chunk.limit(bytes);
            chunkPosition = 0;
            vertexesBuffered += vertexes;
        }

        private static double readScalar(ByteBuffer buffer, int position, ScalarType type) {
            return switch (type) {
                case INT8 -> buffer.get(position);
                case UINT8 -> buffer.get(position) & 0xff;
                case INT16 -> buffer.getShort(position);
                case UINT16 -> buffer.getShort(position) & 0xffff;
                case INT32 -> buffer.getInt(position);
                case UINT32 -> buffer.getInt(position) & 0xffffffffL;
                case FLOAT32 -> buffer.getFloat(position);
                case FLOAT64 -> buffer.getDouble(position);
            };
        }
    }

    private static final class AsciiVertexSource implements VertexSource {
        private final BufferedReader reader;
        private final int propertyCount;
        private long lineNumber;

        AsciiVertexSource(InputStream in, PlyHeader header, int vertexElementIndex) throws IOException {
            reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            propertyCount = header.elements().get(vertexElementIndex).properties().size();
            for (int e = 0; e < vertexElementIndex; e++) {
                Element element = header.elements().get(e);
                for (long i = 0; i < element.count(); i++) {
                    if (nextDataLine() == null) {
                        throw new SplatFormatException(Kind.TRUNCATED_FILE,
                                "The PLY file ends inside the '" + element.name() + "' element.");
                    }
                }
            }
        }

        private String nextDataLine() throws IOException {
            String line;
            do {
                line = reader.readLine();
                lineNumber++;
            } while (line != null && line.isBlank());
            return line;
        }

        @Override
        public void next(double[] row, int vertexIndex) throws IOException {
            String line = nextDataLine();
            if (line == null) {
                throw new SplatFormatException(Kind.TRUNCATED_FILE,
                        "The PLY file is truncated: the data ends after " + vertexIndex + " Gaussians.");
            }
            String[] tokens = line.strip().split("\\s+");
            if (tokens.length != propertyCount) {
                throw new SplatFormatException(tokens.length < propertyCount ? Kind.TRUNCATED_FILE : Kind.INVALID_VALUE,
                        "Gaussian " + vertexIndex + " (data line " + lineNumber + ") has "
                                + tokens.length + " values; the header declares " + propertyCount + " properties.");
            }
            for (int p = 0; p < propertyCount; p++) {
                row[p] = parseNumber(tokens[p], vertexIndex);
            }
        }

        private static double parseNumber(String token, int vertexIndex) throws SplatFormatException {
            String lower = token.toLowerCase(java.util.Locale.ROOT);
            if (lower.contains("nan")) {
                return Double.NaN;
            }
            if (lower.contains("inf")) {
                return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
            }
            try {
                return Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw new SplatFormatException(Kind.INVALID_VALUE,
                        "Gaussian " + vertexIndex + " has the value '" + token + "', which is not a number.");
            }
        }
    }
}
