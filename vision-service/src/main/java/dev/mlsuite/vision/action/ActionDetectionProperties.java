package dev.mlsuite.vision.action;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import org.springframework.boot.context.properties.ConfigurationProperties;
import dev.mlsuite.vision.action.stclip.StClipSettings;
import org.springframework.util.unit.DataSize;

/** Settings of the action-detection endpoint and pipeline ({@code vision.action.*}). */
@ConfigurationProperties("vision.action")
public class ActionDetectionProperties {

    private final Video video = new Video();
    private final Detector detector = new Detector();
    private final Tracker tracker = new Tracker();
    private final Clip clip = new Clip();
    private final Labels labels = new Labels();
    private final Preview preview = new Preview();

    public Video getVideo() {
        return video;
    }

    public Detector getDetector() {
        return detector;
    }

    public Tracker getTracker() {
        return tracker;
    }

    public Clip getClip() {
        return clip;
    }

    public Labels getLabels() {
        return labels;
    }

    public Preview getPreview() {
        return preview;
    }

    /** Upload limits and frame sampling. */
    public static class Video {

        /** Largest accepted upload. */
        private DataSize maxFileSize = DataSize.ofBytes(VideoLimits.DEFAULT_MAX_FILE_BYTES);

        /** Longest accepted clip. */
        private Duration maxDuration = Duration.ofSeconds((long) VideoLimits.DEFAULT_MAX_DURATION_SECONDS);

        /** Largest accepted frame width, in pixels. */
        private int maxWidth = VideoLimits.DEFAULT_MAX_WIDTH;

        /** Largest accepted frame height, in pixels. */
        private int maxHeight = VideoLimits.DEFAULT_MAX_HEIGHT;

        /** Most frames one request may sample. */
        private int maxSampledFrames = VideoLimits.DEFAULT_MAX_SAMPLED_FRAMES;

        /** Frames per second of video time analysed when the request does not set sampleFps. */
        private double defaultSampleFps = 2;

        /** Highest sampleFps a request may set. */
        private double maxSampleFps = 10;

        public VideoLimits toLimits() {
            return new VideoLimits(maxFileSize.toBytes(), maxDuration.toMillis() / 1000.0, maxWidth, maxHeight,
                    maxSampledFrames);
        }

        public DataSize getMaxFileSize() {
            return maxFileSize;
        }

        public void setMaxFileSize(DataSize maxFileSize) {
            this.maxFileSize = maxFileSize;
        }

        public Duration getMaxDuration() {
            return maxDuration;
        }

        public void setMaxDuration(Duration maxDuration) {
            this.maxDuration = maxDuration;
        }

        public int getMaxWidth() {
            return maxWidth;
        }

        public void setMaxWidth(int maxWidth) {
            this.maxWidth = maxWidth;
        }

        public int getMaxHeight() {
            return maxHeight;
        }

        public void setMaxHeight(int maxHeight) {
            this.maxHeight = maxHeight;
        }

        public int getMaxSampledFrames() {
            return maxSampledFrames;
        }

        public void setMaxSampledFrames(int maxSampledFrames) {
            this.maxSampledFrames = maxSampledFrames;
        }

        public double getDefaultSampleFps() {
            return defaultSampleFps;
        }

        public void setDefaultSampleFps(double defaultSampleFps) {
            this.defaultSampleFps = defaultSampleFps;
        }

        public double getMaxSampleFps() {
            return maxSampleFps;
        }

        public void setMaxSampleFps(double maxSampleFps) {
            this.maxSampleFps = maxSampleFps;
        }
    }

    /**
     * Person detector: which one runs, the OpenCV HOG settings (see {@link HogSettings} for the meaning of
     * each value) and the face-cascade settings under {@code face}.
     */
    public static class Detector {

        /** The built-in person detector to run. */
        private PersonDetectorType type = PersonDetectorType.NANODET;

        private final Face face = new Face();

        private final NanoDet nanodet = new NanoDet();

        private List<Double> upscaleFactors = new ArrayList<>(HogSettings.DEFAULT_UPSCALE_FACTORS);
        private int windowStride = HogSettings.DEFAULT_WINDOW_STRIDE;
        private int padding = HogSettings.DEFAULT_PADDING;
        private double pyramidScale = HogSettings.DEFAULT_PYRAMID_SCALE;
        private double hitThreshold = HogSettings.DEFAULT_HIT_THRESHOLD;
        private int groupThreshold = HogSettings.DEFAULT_GROUP_THRESHOLD;
        private double minScore = HogSettings.DEFAULT_MIN_SCORE;
        private double nmsIouThreshold = HogSettings.DEFAULT_NMS_IOU_THRESHOLD;

        public HogSettings toSettings() {
            return new HogSettings(upscaleFactors, windowStride, padding, pyramidScale, hitThreshold, groupThreshold,
                    minScore, nmsIouThreshold);
        }

        /**
         * Builds the configured detector.
         *
         * @param managers supplies the parent memory scope of a learned detector's model. It is called only for
         *     such a detector.
         */
        public PersonDetector create(Supplier<NDManager> managers) {
            return type.create(toSettings(), face.toSettings(), nanodet.toSettings(), managers);
        }

        public PersonDetectorType getType() {
            return type;
        }

        public void setType(PersonDetectorType type) {
            this.type = type;
        }

        public Face getFace() {
            return face;
        }

        public NanoDet getNanodet() {
            return nanodet;
        }

        public List<Double> getUpscaleFactors() {
            return upscaleFactors;
        }

        public void setUpscaleFactors(List<Double> upscaleFactors) {
            this.upscaleFactors = upscaleFactors;
        }

        public int getWindowStride() {
            return windowStride;
        }

        public void setWindowStride(int windowStride) {
            this.windowStride = windowStride;
        }

        public int getPadding() {
            return padding;
        }

        public void setPadding(int padding) {
            this.padding = padding;
        }

        public double getPyramidScale() {
            return pyramidScale;
        }

        public void setPyramidScale(double pyramidScale) {
            this.pyramidScale = pyramidScale;
        }

        public double getHitThreshold() {
            return hitThreshold;
        }

        public void setHitThreshold(double hitThreshold) {
            this.hitThreshold = hitThreshold;
        }

        public int getGroupThreshold() {
            return groupThreshold;
        }

        public void setGroupThreshold(int groupThreshold) {
            this.groupThreshold = groupThreshold;
        }

        public double getMinScore() {
            return minScore;
        }

        public void setMinScore(double minScore) {
            this.minScore = minScore;
        }

        public double getNmsIouThreshold() {
            return nmsIouThreshold;
        }

        public void setNmsIouThreshold(double nmsIouThreshold) {
            this.nmsIouThreshold = nmsIouThreshold;
        }
    }

    /** NanoDet person detector. {@link NanoDetSettings} describes the meaning of each value. */
    public static class NanoDet {

        private Path modelPath = NanoDetSettings.DEFAULT_MODEL_PATH;
        private int inputSize = NanoDetSettings.DEFAULT_INPUT_SIZE;
        private double scoreThreshold = NanoDetSettings.DEFAULT_SCORE_THRESHOLD;
        private double nmsIouThreshold = NanoDetSettings.DEFAULT_NMS_IOU_THRESHOLD;

        /**
         * Builds the settings.
         *
         * @throws IllegalArgumentException naming the property {@code vision.action.detector.nanodet.*} whose
         *     value is invalid
         */
        public NanoDetSettings toSettings() {
            try {
                return new NanoDetSettings(modelPath, inputSize, scoreThreshold, nmsIouThreshold);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid value of " + propertyName(e.getMessage()) + ": "
                        + e.getMessage(), e);
            }
        }

        /**
         * Maps a {@link NanoDetSettings} message, which starts with the record component's name (for example
         * {@code scoreThreshold must be ...}), to the full property name {@code ...nanodet.score-threshold}.
         */
        static String propertyName(String settingsMessage) {
            String component = settingsMessage == null ? "" : settingsMessage.split(" ", 2)[0];
            if (!component.matches("[a-z][A-Za-z]*")) {
                return "vision.action.detector.nanodet.*";
            }
            return "vision.action.detector.nanodet." + component.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
        }

        public Path getModelPath() {
            return modelPath;
        }

        public void setModelPath(Path modelPath) {
            this.modelPath = modelPath;
        }

        public int getInputSize() {
            return inputSize;
        }

        public void setInputSize(int inputSize) {
            this.inputSize = inputSize;
        }

        public double getScoreThreshold() {
            return scoreThreshold;
        }

        public void setScoreThreshold(double scoreThreshold) {
            this.scoreThreshold = scoreThreshold;
        }

        public double getNmsIouThreshold() {
            return nmsIouThreshold;
        }

        public void setNmsIouThreshold(double nmsIouThreshold) {
            this.nmsIouThreshold = nmsIouThreshold;
        }
    }

    /** Face-cascade person detector; see {@link FaceCascadeSettings} for the meaning of each value. */
    public static class Face {

        private double upscaleFactor = FaceCascadeSettings.DEFAULT_UPSCALE_FACTOR;
        private double scaleFactor = FaceCascadeSettings.DEFAULT_SCALE_FACTOR;
        private int minNeighbors = FaceCascadeSettings.DEFAULT_MIN_NEIGHBORS;
        private int minFaceSize = FaceCascadeSettings.DEFAULT_MIN_FACE_SIZE;
        private boolean useProfile = FaceCascadeSettings.DEFAULT_USE_PROFILE;
        private double bodyWidthFaces = FaceCascadeSettings.DEFAULT_BODY_WIDTH_FACES;
        private double bodyHeightFaces = FaceCascadeSettings.DEFAULT_BODY_HEIGHT_FACES;
        private double headroomFaces = FaceCascadeSettings.DEFAULT_HEADROOM_FACES;
        private double nmsIouThreshold = FaceCascadeSettings.DEFAULT_NMS_IOU_THRESHOLD;

        public FaceCascadeSettings toSettings() {
            return new FaceCascadeSettings(upscaleFactor, scaleFactor, minNeighbors, minFaceSize, useProfile,
                    bodyWidthFaces, bodyHeightFaces, headroomFaces, nmsIouThreshold);
        }

        public double getUpscaleFactor() {
            return upscaleFactor;
        }

        public void setUpscaleFactor(double upscaleFactor) {
            this.upscaleFactor = upscaleFactor;
        }

        public double getScaleFactor() {
            return scaleFactor;
        }

        public void setScaleFactor(double scaleFactor) {
            this.scaleFactor = scaleFactor;
        }

        public int getMinNeighbors() {
            return minNeighbors;
        }

        public void setMinNeighbors(int minNeighbors) {
            this.minNeighbors = minNeighbors;
        }

        public int getMinFaceSize() {
            return minFaceSize;
        }

        public void setMinFaceSize(int minFaceSize) {
            this.minFaceSize = minFaceSize;
        }

        public boolean isUseProfile() {
            return useProfile;
        }

        public void setUseProfile(boolean useProfile) {
            this.useProfile = useProfile;
        }

        public double getBodyWidthFaces() {
            return bodyWidthFaces;
        }

        public void setBodyWidthFaces(double bodyWidthFaces) {
            this.bodyWidthFaces = bodyWidthFaces;
        }

        public double getBodyHeightFaces() {
            return bodyHeightFaces;
        }

        public void setBodyHeightFaces(double bodyHeightFaces) {
            this.bodyHeightFaces = bodyHeightFaces;
        }

        public double getHeadroomFaces() {
            return headroomFaces;
        }

        public void setHeadroomFaces(double headroomFaces) {
            this.headroomFaces = headroomFaces;
        }

        public double getNmsIouThreshold() {
            return nmsIouThreshold;
        }

        public void setNmsIouThreshold(double nmsIouThreshold) {
            this.nmsIouThreshold = nmsIouThreshold;
        }
    }

    /** SORT tracker; see {@link TrackerSettings} for the meaning of each value. */
    public static class Tracker {

        private double iouThreshold = TrackerSettings.DEFAULT_IOU_THRESHOLD;
        private int maxMissedFrames = TrackerSettings.DEFAULT_MAX_MISSED_FRAMES;
        private int minDetections = TrackerSettings.DEFAULT_MIN_DETECTIONS;

        public TrackerSettings toSettings() {
            return new TrackerSettings(iouThreshold, maxMissedFrames, minDetections);
        }

        public double getIouThreshold() {
            return iouThreshold;
        }

        public void setIouThreshold(double iouThreshold) {
            this.iouThreshold = iouThreshold;
        }

        public int getMaxMissedFrames() {
            return maxMissedFrames;
        }

        public void setMaxMissedFrames(int maxMissedFrames) {
            this.maxMissedFrames = maxMissedFrames;
        }

        public int getMinDetections() {
            return minDetections;
        }

        public void setMinDetections(int minDetections) {
            this.minDetections = minDetections;
        }
    }

    /** Zero-shot action scoring. */
    public static class Clip {

        /** Folder of a Hugging Face CLIPModel checkpoint (config.json, *.safetensors, tokenizer.json). */
        private Path checkpointDir = Path.of("models", "clip");

        /** Frames of each tube that CLIP encodes, spread evenly over the tube. */
        private int maxFramesPerTube = StClipSettings.DEFAULT_MAX_FRAMES_PER_TUBE;

        /** Context tokens each person keeps in Interest Token Spotting. */
        private int interestTokens = StClipSettings.DEFAULT_INTEREST_TOKENS;

        /** Text around each label before CLIP encodes it; {label} marks the label. */
        private String promptTemplate = StClipSettings.DEFAULT_PROMPT_TEMPLATE;

        public StClipSettings toSettings() {
            return new StClipSettings(maxFramesPerTube, interestTokens, promptTemplate);
        }

        public int getMaxFramesPerTube() {
            return maxFramesPerTube;
        }

        public void setMaxFramesPerTube(int maxFramesPerTube) {
            this.maxFramesPerTube = maxFramesPerTube;
        }

        public int getInterestTokens() {
            return interestTokens;
        }

        public void setInterestTokens(int interestTokens) {
            this.interestTokens = interestTokens;
        }

        public String getPromptTemplate() {
            return promptTemplate;
        }

        public void setPromptTemplate(String promptTemplate) {
            this.promptTemplate = promptTemplate;
        }

        public Path getCheckpointDir() {
            return checkpointDir;
        }

        public void setCheckpointDir(Path checkpointDir) {
            this.checkpointDir = checkpointDir;
        }
    }

    /** Action labels of a request. */
    public static class Labels {

        /** Most labels one request may send. */
        private int maxCount = 1000;

        /** Longest accepted label, in characters. */
        private int maxLength = 200;

        public int getMaxCount() {
            return maxCount;
        }

        public void setMaxCount(int maxCount) {
            this.maxCount = maxCount;
        }

        public int getMaxLength() {
            return maxLength;
        }

        public void setMaxLength(int maxLength) {
            this.maxLength = maxLength;
        }
    }

    /** The annotated preview image. */
    public static class Preview {

        /** Frames in the preview, spread evenly over the video, when the request does not set previewFrames. */
        private int frames = 6;

        /** Most frames a request may ask for. */
        private int maxFrames = 24;

        /** Frames wider than this are scaled down in the preview, in pixels. */
        private int maxTileWidth = 480;

        public int getFrames() {
            return frames;
        }

        public void setFrames(int frames) {
            this.frames = frames;
        }

        public int getMaxFrames() {
            return maxFrames;
        }

        public void setMaxFrames(int maxFrames) {
            this.maxFrames = maxFrames;
        }

        public int getMaxTileWidth() {
            return maxTileWidth;
        }

        public void setMaxTileWidth(int maxTileWidth) {
            this.maxTileWidth = maxTileWidth;
        }
    }
}
