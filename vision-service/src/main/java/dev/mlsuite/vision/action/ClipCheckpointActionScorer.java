package dev.mlsuite.vision.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import ai.djl.Device;
import dev.mlsuite.inference.clip.ClipModel;
import dev.mlsuite.inference.io.CheckpointException;
import dev.mlsuite.vision.action.stclip.StClipActionScorer;
import dev.mlsuite.vision.action.stclip.StClipHeadWeights;
import dev.mlsuite.vision.action.stclip.StClipHeads;
import dev.mlsuite.vision.action.stclip.StClipSettings;

/**
 * The action scorer behind the configured CLIP folder: when the folder contains a Hugging Face
 * {@code CLIPModel} checkpoint that loads, it scores with {@link StClipActionScorer} (untrained
 * ST-CLIP heads, see {@link StClipHeadWeights#untrained}); otherwise it never scores, and its
 * capability says why (no folder, missing files, or the loading error).
 */
public final class ClipCheckpointActionScorer implements ActionScorer, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClipCheckpointActionScorer.class);
    private static final String IMPLEMENTATION = "ST-CLIP zero-shot scoring (Hugging Face CLIPModel checkpoint)";

    private final Path checkpointDirectory;
    private final Capability capability;
    private final ClipModel model;
    private final StClipActionScorer delegate;

    /**
     * Inspects {@code checkpointDirectory} and loads the checkpoint when one is there.
     *
     * @param device called only when a checkpoint is present, so the PyTorch engine starts only then
     */
    public ClipCheckpointActionScorer(Path checkpointDirectory, StClipSettings settings, Supplier<Device> device) {
        this.checkpointDirectory = checkpointDirectory;
        Capability missing = inspect(checkpointDirectory);
        ClipModel loaded = null;
        StClipActionScorer scorer = null;
        if (missing == null) {
            try {
                loaded = ClipModel.load(checkpointDirectory, device.get());
                scorer = new StClipActionScorer(loaded, new StClipHeads(
                        StClipHeadWeights.untrained(loaded.config().projectionDim())), settings);
            } catch (IOException | CheckpointException | IllegalArgumentException e) {
                log.error("Failed to load the CLIP checkpoint at {}; action scoring stays off",
                        checkpointDirectory.toAbsolutePath(), e);
                if (loaded != null) {
                    loaded.close();
                    loaded = null;
                }
                missing = new Capability(false, IMPLEMENTATION, "Failed to load the CLIP checkpoint at "
                        + checkpointDirectory.toAbsolutePath() + ": " + e.getMessage()
                        + ". Fix or replace the files, then restart the service.");
            }
        }
        this.model = loaded;
        this.delegate = scorer;
        this.capability = scorer != null ? scorer.capability() : missing;
        log.info("Action scoring {}: {}", capability.active() ? "active" : "inactive", capability.detail());
    }

    /** Inspects the folder with the default ST-CLIP settings, starting the default PyTorch engine if a checkpoint is there. */
    public ClipCheckpointActionScorer(Path checkpointDirectory) {
        this(checkpointDirectory, StClipSettings.defaults(),
                () -> dev.mlsuite.inference.engine.InferenceEngine.startDefault().device());
    }

    @Override
    public Capability capability() {
        return capability;
    }

    @Override
    public Map<String, Capability> components() {
        return delegate != null ? delegate.components() : Map.of();
    }

    @Override
    public List<ActionScore> score(PersonTube tube, List<VideoFrame> frames, List<String> labels) {
        if (delegate == null) {
            throw new IllegalStateException("Action scoring is inactive: " + capability.detail());
        }
        return delegate.score(tube, frames, labels);
    }

    public Path checkpointDirectory() {
        return checkpointDirectory;
    }

    @Override
    public void close() {
        if (model != null) {
            model.close();
        }
    }

    /** Returns why the folder contains no checkpoint, or null when the files are there. */
    private static Capability inspect(Path directory) {
        if (!Files.isDirectory(directory)) {
            return new Capability(false, IMPLEMENTATION, "No CLIP checkpoint is mounted: the folder "
                    + directory.toAbsolutePath() + " does not exist. Mount a Hugging Face CLIPModel folder "
                    + "(config.json, *.safetensors, tokenizer.json) there or set vision.action.clip.checkpoint-dir.");
        }
        boolean hasConfig = Files.isRegularFile(directory.resolve("config.json"));
        boolean hasWeights = containsSafetensors(directory);
        boolean hasTokenizer = Files.isRegularFile(directory.resolve(ClipModel.TOKENIZER_FILE_NAME));
        if (!hasConfig || !hasWeights || !hasTokenizer) {
            return new Capability(false, IMPLEMENTATION, "No CLIP checkpoint is mounted: " + directory.toAbsolutePath()
                    + " lacks" + (hasConfig ? "" : " config.json") + (hasWeights ? "" : " *.safetensors")
                    + (hasTokenizer ? "" : " tokenizer.json") + ". Mount a Hugging Face CLIPModel folder there.");
        }
        return null;
    }

    private static boolean containsSafetensors(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.anyMatch(file -> file.getFileName().toString().endsWith(".safetensors"));
        } catch (IOException e) {
            log.warn("Failed to list the CLIP checkpoint folder {}", directory, e);
            return false;
        }
    }
}
