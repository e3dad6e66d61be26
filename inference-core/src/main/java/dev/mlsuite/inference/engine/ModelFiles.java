package dev.mlsuite.inference.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Checks on model files that turn a missing file into a start-up error naming the setting. */
public final class ModelFiles {

    private ModelFiles() {
    }

    /**
     * Returns {@code file} when it is a readable regular file.
     *
     * @param setting configuration key or argument that chose the file, named in the error
     * @throws EngineStartupException naming the absolute path and the setting
     */
    public static Path requireReadableFile(Path file, String setting) {
        if (!Files.isRegularFile(file)) {
            throw new EngineStartupException("Model file not found: " + file.toAbsolutePath()
                    + ". Check the setting " + setting + " or copy the file there.");
        }
        if (!Files.isReadable(file)) {
            throw new EngineStartupException("Model file is not readable: " + file.toAbsolutePath()
                    + ". Fix its permissions or change the setting " + setting + ".");
        }
        return file;
    }

    /**
     * Returns {@code directory} when it is an existing folder.
     *
     * @throws EngineStartupException naming the absolute path and the setting
     */
    public static Path requireDirectory(Path directory, String setting) {
        if (!Files.isDirectory(directory)) {
            throw new EngineStartupException("Model folder not found: " + directory.toAbsolutePath()
                    + ". Check the setting " + setting + ".");
        }
        return directory;
    }
}
