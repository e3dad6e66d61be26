package dev.mlsuite.vision.action;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The action scorer used while no CLIP model is wired in: it reports whether a CLIP checkpoint
 * is mounted in the configured folder and never scores, so results carry an empty
 * {@code actions} list and a capability that explains why.
 *
 * <p>TODO: replace with the ST-CLIP scorer once the runtime has the CLIP family; it should load the
 * checkpoint from the same folder and keep this capability reporting.
 */
public final class ClipCheckpointActionScorer implements ActionScorer {

    private static final Logger log = LoggerFactory.getLogger(ClipCheckpointActionScorer.class);

    private final Path checkpointDirectory;
    private final Capability capability;

    public ClipCheckpointActionScorer(Path checkpointDirectory) {
        this.checkpointDirectory = checkpointDirectory;
        this.capability = inspect(checkpointDirectory);
        log.info("Action scoring {}: {}", capability.active() ? "active" : "inactive", capability.detail());
    }

    @Override
    public Capability capability() {
        return capability;
    }

    @Override
    public List<ActionScore> score(PersonTube tube, List<VideoFrame> frames, List<String> labels) {
        throw new IllegalStateException("Action scoring is inactive: " + capability.detail());
    }

    public Path checkpointDirectory() {
        return checkpointDirectory;
    }

    private static Capability inspect(Path directory) {
        String implementation = "CLIP zero-shot scoring (Hugging Face CLIPModel checkpoint)";
        if (!Files.isDirectory(directory)) {
            return new Capability(false, implementation, "No CLIP checkpoint is mounted: the folder "
                    + directory.toAbsolutePath() + " does not exist. Mount a Hugging Face CLIPModel folder "
                    + "(config.json, *.safetensors, tokenizer.json) there or set vision.action.clip.checkpoint-dir.");
        }
        boolean hasConfig = Files.isRegularFile(directory.resolve("config.json"));
        boolean hasWeights = containsSafetensors(directory);
        if (!hasConfig || !hasWeights) {
            return new Capability(false, implementation, "No CLIP checkpoint is mounted: " + directory.toAbsolutePath()
                    + " lacks " + (hasConfig ? "" : "config.json ") + (hasWeights ? "" : "*.safetensors")
                    + ". Mount a Hugging Face CLIPModel folder there.");
        }
        return new Capability(false, implementation, "A CLIP checkpoint is present at " + directory.toAbsolutePath()
                + ", but this build of the service has no CLIP scorer, so labels are not scored.");
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
