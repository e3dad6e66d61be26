package dev.mlsuite.vision.action;

import java.util.ArrayList;
import java.util.List;

import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.HOGDescriptor;

/**
 * OpenCV's HOG pedestrian detector (Dalal-Triggs features with the linear SVM that ships with
 * OpenCV, 64x128 window) run at several upscale factors, followed by non-maximum suppression.
 * The model is compiled into the OpenCV native library, so nothing is downloaded.
 *
 * <p>NOTE: the default SVM was trained on upright, whole-body pedestrians. Seated people and
 * people cut off by the frame edge are often missed.
 */
public final class HogPersonDetector implements PersonDetector {

    private final HogSettings settings;

    /** One descriptor per thread, because {@link HOGDescriptor} is not documented as thread-safe. */
    private final ThreadLocal<HOGDescriptor> descriptors;

    public HogPersonDetector(HogSettings settings) {
        OpenCvLoader.load();
        this.settings = settings;
        this.descriptors = ThreadLocal.withInitial(() -> {
            HOGDescriptor descriptor = new HOGDescriptor();
            descriptor.setSVMDetector(HOGDescriptor.getDefaultPeopleDetector());
            return descriptor;
        });
    }

    @Override
    public String name() {
        return "opencv-hog-default-people";
    }

    @Override
    public String scoreDescription() {
        return "HOG linear-SVM margin: 0 is the decision boundary, higher is more confident, unbounded";
    }

    @Override
    public List<Detection> detect(VideoFrame frame) {
        Mat image = new Mat(frame.height(), frame.width(), CvType.CV_8UC3);
        try {
            image.put(0, 0, frame.bgr());

            List<Detection> candidates = new ArrayList<>();
            for (double factor : settings.upscaleFactors()) {
                candidates.addAll(detectAtScale(image, factor));
            }

            List<Detection> inFrame = candidates.stream()
                    .map(detection -> detection.clippedTo(frame.width(), frame.height()))
                    .filter(detection -> detection.area() > 0 && detection.score() >= settings.minScore())
                    .toList();
            return NonMaxSuppression.apply(inFrame, settings.nmsIouThreshold());
        } finally {
            image.release();
        }
    }

    /** Runs the detector on {@code image} resized by {@code factor}; boxes are mapped back to original pixels. */
    private List<Detection> detectAtScale(Mat image, double factor) {
        Mat resized = image;
        if (factor != 1.0) {
            resized = new Mat();
            int interpolation = factor > 1 ? Imgproc.INTER_LINEAR : Imgproc.INTER_AREA;
            Imgproc.resize(image, resized, new Size(), factor, factor, interpolation);
        }
        MatOfRect boxes = new MatOfRect();
        MatOfDouble margins = new MatOfDouble();
        try {
            Size stride = new Size(settings.windowStride(), settings.windowStride());
            Size padding = new Size(settings.padding(), settings.padding());
            descriptors.get().detectMultiScale(resized, boxes, margins, settings.hitThreshold(), stride, padding,
                    settings.pyramidScale(), settings.groupThreshold(), false);
            if (boxes.empty()) {
                return List.of();
            }

            Rect[] rects = boxes.toArray();
            double[] scores = margins.toArray();
            List<Detection> detections = new ArrayList<>(rects.length);
            for (int i = 0; i < rects.length; i++) {
                Rect rect = rects[i];
                detections.add(new Detection(rect.x / factor, rect.y / factor, rect.width / factor,
                        rect.height / factor, scores[i]));
            }
            return detections;
        } finally {
            boxes.release();
            margins.release();
            if (resized != image) {
                resized.release();
            }
        }
    }
}
