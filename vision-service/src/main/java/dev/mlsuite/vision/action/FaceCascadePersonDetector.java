package dev.mlsuite.vision.action;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfInt;
import org.opencv.core.MatOfRect;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;
import org.opencv.objdetect.CascadeClassifier;

/**
 * Finds people by their faces: OpenCV's Haar frontal-face cascade (and optionally the profile-face
 * cascade, on the frame and its mirror image, because it only finds faces turned one way), each
 * face box widened to a person box by the fixed proportions of {@link FaceCascadeSettings}, then
 * non-maximum suppression. The cascades ship as resources under {@code action/cascades} (source
 * and licence in the NOTICE.md there), so nothing is downloaded.
 *
 * <p>NOTE: a person whose face is hidden, turned away or smaller than {@code minFaceSize} is not
 * found, and the body box is a guess from the face, right for an upright seated or standing person
 * seen from the front and wrong for one lying down or bent over.
 */
public final class FaceCascadePersonDetector implements PersonDetector {

    static final String FRONTAL_CASCADE = "action/cascades/haarcascade_frontalface_alt2.xml";
    static final String PROFILE_CASCADE = "action/cascades/haarcascade_profileface.xml";

    private final FaceCascadeSettings settings;

    /** One classifier pair per thread, because {@link CascadeClassifier} is not documented as thread-safe. */
    private final ThreadLocal<CascadeClassifier> frontal;
    private final ThreadLocal<CascadeClassifier> profile;

    public FaceCascadePersonDetector(FaceCascadeSettings settings) {
        OpenCvLoader.load();
        this.settings = settings;
        Path frontalFile = extract(FRONTAL_CASCADE);
        Path profileFile = extract(PROFILE_CASCADE);
        this.frontal = ThreadLocal.withInitial(() -> loadCascade(frontalFile));
        this.profile = ThreadLocal.withInitial(() -> loadCascade(profileFile));
        frontal.get();
        profile.get();
    }

    @Override
    public String name() {
        return settings.useProfile() ? "opencv-haar-frontal-and-profile-face-to-body" : "opencv-haar-frontal-face-to-body";
    }

    @Override
    public String scoreDescription() {
        return "number of overlapping raw cascade hits behind the face (at least minNeighbors "
                + settings.minNeighbors() + ", unbounded); the body box is the face box times fixed proportions";
    }

    @Override
    public List<Detection> detect(VideoFrame frame) {
        Mat image = new Mat(frame.height(), frame.width(), CvType.CV_8UC3);
        Mat gray = new Mat();
        try {
            image.put(0, 0, frame.bgr());
            Imgproc.cvtColor(image, gray, Imgproc.COLOR_BGR2GRAY);
            if (settings.upscaleFactor() != 1.0) {
                Imgproc.resize(gray, gray, new Size(), settings.upscaleFactor(), settings.upscaleFactor(),
                        settings.upscaleFactor() > 1 ? Imgproc.INTER_LINEAR : Imgproc.INTER_AREA);
            }
            Imgproc.equalizeHist(gray, gray);

            double factor = settings.upscaleFactor();
            List<Detection> faces = detectFaces(gray).stream()
                    .map(face -> new Detection(face.x() / factor, face.y() / factor, face.width() / factor,
                            face.height() / factor, face.score()))
                    .toList();
            List<Detection> persons = faces.stream()
                    .map(settings::personBoxOf)
                    .map(box -> box.clippedTo(frame.width(), frame.height()))
                    .filter(box -> box.area() > 0)
                    .toList();
            return NonMaxSuppression.apply(persons, settings.nmsIouThreshold());
        } finally {
            image.release();
            gray.release();
        }
    }

    /** Returns the face boxes, in pixels of {@code gray}, of the frontal cascade and, when enabled, of the profile cascade both ways. */
    List<Detection> detectFaces(Mat gray) {
        List<Detection> faces = new ArrayList<>(run(frontal.get(), gray));
        if (!settings.useProfile()) {
            return faces;
        }
        faces.addAll(run(profile.get(), gray));

        Mat mirrored = new Mat();
        try {
            Core.flip(gray, mirrored, 1);
            for (Detection face : run(profile.get(), mirrored)) {
                double x = gray.cols() - face.x() - face.width();
                faces.add(new Detection(x, face.y(), face.width(), face.height(), face.score()));
            }
        } finally {
            mirrored.release();
        }
        return faces;
    }

    private List<Detection> run(CascadeClassifier cascade, Mat gray) {
        MatOfRect boxes = new MatOfRect();
        MatOfInt neighbors = new MatOfInt();
        try {
            Size minSize = new Size(settings.minFaceSize(), settings.minFaceSize());
            cascade.detectMultiScale2(gray, boxes, neighbors, settings.scaleFactor(), settings.minNeighbors(), 0,
                    minSize, new Size());
            if (boxes.empty()) {
                return List.of();
            }

            Rect[] rects = boxes.toArray();
            int[] counts = neighbors.toArray();
            List<Detection> faces = new ArrayList<>(rects.length);
            for (int i = 0; i < rects.length; i++) {
                faces.add(new Detection(rects[i].x, rects[i].y, rects[i].width, rects[i].height, counts[i]));
            }
            return faces;
        } finally {
            boxes.release();
            neighbors.release();
        }
    }

    /** Copies a cascade resource into a temporary file, because OpenCV reads cascades only from files. */
    private static Path extract(String resource) {
        try (InputStream in = FaceCascadePersonDetector.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Cascade resource " + resource + " is missing from the classpath");
            }
            String fileName = resource.substring(resource.lastIndexOf('/') + 1);
            Path file = Files.createTempFile("cascade-", "-" + fileName);
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to copy the cascade " + resource + " to a temporary file", e);
        }
    }

    private static CascadeClassifier loadCascade(Path file) {
        CascadeClassifier cascade = new CascadeClassifier();
        if (!cascade.load(file.toString())) {
            throw new IllegalStateException("OpenCV failed to load the cascade " + file);
        }
        return cascade;
    }
}
