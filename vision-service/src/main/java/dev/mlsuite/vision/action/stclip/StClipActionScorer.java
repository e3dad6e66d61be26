package dev.mlsuite.vision.action.stclip;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.mlsuite.inference.clip.ClipConfig;
import dev.mlsuite.inference.clip.ClipImageFeatures;
import dev.mlsuite.inference.clip.ClipModel;
import dev.mlsuite.vision.action.ActionScore;
import dev.mlsuite.vision.action.ActionScorer;
import dev.mlsuite.vision.action.Capability;
import dev.mlsuite.vision.action.PersonTube;
import dev.mlsuite.vision.action.TubeBox;
import dev.mlsuite.vision.action.VideoFrame;

/**
 * ST-CLIP zero-shot action scoring on a loaded CLIP model: per tube, CLIP encodes up to
 * {@code maxFramesPerTube} of its frames, the person's box on each frame is RoI-pooled from the patch
 * tokens, and {@link StClipHeads} scores the labels against the patch tokens of the same frames.
 * Safe for concurrent calls.
 */
public final class StClipActionScorer implements ActionScorer {

    /** Most label prompts whose text features are kept between requests. */
    private static final int MAX_CACHED_LABELS = 10_000;

    private final ClipModel model;
    private final StClipHeads heads;
    private final StClipSettings settings;
    private final Map<String, float[]> labelFeatures = new ConcurrentHashMap<>();

    /** Patch features per frame; frames of finished jobs drop out when collected. */
    private final Map<VideoFrame, float[][]> frameFeatures = java.util.Collections.synchronizedMap(new WeakHashMap<>());

    public StClipActionScorer(ClipModel model, StClipHeads heads, StClipSettings settings) {
        if (heads.weights().dim() != model.config().projectionDim()) {
            throw new IllegalArgumentException("ST-CLIP heads of width " + heads.weights().dim()
                    + " do not fit the CLIP projection width " + model.config().projectionDim());
        }
        this.model = model;
        this.heads = heads;
        this.settings = settings;
    }

    @Override
    public Capability capability() {
        ClipConfig config = model.config();
        return new Capability(true, "ST-CLIP zero-shot scoring on CLIP (Hugging Face CLIPModel checkpoint)",
                "checkpoint " + model.name() + ": ViT " + config.vision().layers() + " layers x "
                        + config.vision().hiddenSize() + ", patch " + config.patchSize() + ", image "
                        + config.imageSize() + "; text " + config.text().layers() + " layers x "
                        + config.text().hiddenSize() + "; " + model.parameterCount() + " parameters. Score: cosine "
                        + "similarity (-1 to 1) of the person feature with the label prompt '"
                        + settings.promptTemplate() + "'." + (heads.weights().trained() ? ""
                                : " The ST-CLIP heads are untrained, so scores equal plain CLIP similarity of the "
                                        + "tube's mean RoI-pooled patch feature with the prompt's text feature."));
    }

    @Override
    public Map<String, Capability> components() {
        boolean trained = heads.weights().trained();
        String untrained = "No trained ST-CLIP head weights exist, so this head is defined with identity query, key "
                + "and value projections and a zero output projection: ";
        Map<String, Capability> components = new LinkedHashMap<>();
        components.put("clipEncoders", new Capability(true, "CLIP image and text encoders",
                "frames resized to " + model.config().imageSize() + "x" + model.config().imageSize()
                        + " without cropping; up to " + settings.maxFramesPerTube() + " frames per tube"));
        components.put("personTokens", new Capability(true, "RoI average pooling of projected CLIP patch tokens",
                "one person token per encoded tube frame: the mean of the patch tokens whose centres lie in the box"));
        components.put("personContextInteraction", new Capability(trained,
                "person tokens attend to the patch tokens of all encoded frames of the tube",
                trained ? "trained weights" : untrained + "person tokens stay unchanged; the attention map is "
                        + "still computed for Interest Token Spotting"));
        components.put("interestTokenSpotting", new Capability(trained,
                "top-" + settings.interestTokens() + " context tokens per person by attention",
                trained ? "feeds Context Prompting" : "the tokens are selected but feed only Context Prompting, "
                        + "which is inactive, so they do not change the scores"));
        components.put("contextPrompting", new Capability(trained,
                "label text features attend to the person's interest tokens and person tokens",
                trained ? "trained weights" : untrained + "label features stay the CLIP text features"));
        return components;
    }

    @Override
    public List<ActionScore> score(PersonTube tube, List<VideoFrame> frames, List<String> labels) {
        List<TubeBox> boxes = selectBoxes(tube.boxes());
        Map<Integer, VideoFrame> framesByIndex = new LinkedHashMap<>();
        for (VideoFrame frame : frames) {
            framesByIndex.put(frame.frameIndex(), frame);
        }

        List<float[]> persons = new ArrayList<>();
        List<float[]> context = new ArrayList<>();
        int grid = model.config().gridSize();
        for (TubeBox box : boxes) {
            VideoFrame frame = framesByIndex.get(box.frameIndex());
            if (frame == null) {
                throw new IllegalArgumentException("Tube " + tube.trackId() + " has a box on frame " + box.frameIndex()
                        + ", which is not among the sampled frames");
            }
            float[][] patches = patchFeatures(frame);
            persons.add(ClipFrameFeatures.roiPool(patches, grid, box.box(), frame.width(), frame.height()));
            context.addAll(List.of(patches));
        }

        float[][] labelMatrix = labels.stream().map(this::labelFeature).toArray(float[][]::new);
        double[] scores = heads.score(persons.toArray(float[][]::new), context.toArray(float[][]::new), labelMatrix,
                settings.interestTokens());

        List<ActionScore> result = new ArrayList<>(labels.size());
        for (int i = 0; i < labels.size(); i++) {
            result.add(new ActionScore(labels.get(i), scores[i]));
        }
        result.sort(Comparator.comparingDouble(ActionScore::score).reversed());
        return result;
    }

    /** Picks up to {@code maxFramesPerTube} boxes spread evenly over the tube, first and last included. */
    private List<TubeBox> selectBoxes(List<TubeBox> boxes) {
        int count = Math.min(settings.maxFramesPerTube(), boxes.size());
        if (count == boxes.size()) {
            return boxes;
        }
        List<TubeBox> selected = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            int index = count == 1 ? 0 : (int) Math.round(k * (boxes.size() - 1) / (double) (count - 1));
            selected.add(boxes.get(index));
        }
        return selected;
    }

    private float[][] patchFeatures(VideoFrame frame) {
        float[][] cached = frameFeatures.get(frame);
        if (cached != null) {
            return cached;
        }
        ClipImageFeatures features = model.encodeImages(ClipFrameFeatures.pixels(frame, model.config().imageSize()), 1);
        float[][] patches = features.patchEmbeds()[0];
        frameFeatures.put(frame, patches);
        return patches;
    }

    private float[] labelFeature(String label) {
        float[] cached = labelFeatures.get(label);
        if (cached != null) {
            return cached;
        }
        float[] feature = model.encodeText(List.of(settings.prompt(label)))[0];
        if (labelFeatures.size() < MAX_CACHED_LABELS) {
            labelFeatures.put(label, feature);
        }
        return feature;
    }
}
