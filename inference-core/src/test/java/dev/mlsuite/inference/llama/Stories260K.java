package dev.mlsuite.inference.llama;

import java.nio.file.Path;

/** Location of the stories260K files committed under {@code models/} at the repository root. */
public final class Stories260K {

    public static final Path FOLDER = Path.of("..", "models", "stories260K");
    public static final Path MODEL = FOLDER.resolve("stories260K.bin");
    public static final Path TOKENIZER = FOLDER.resolve("tok512.bin");
    public static final Path REFERENCE = FOLDER.resolve("reference_greedy.json");
    public static final String SETTING = "test model folder ../models/stories260K";

    private Stories260K() {
    }
}
