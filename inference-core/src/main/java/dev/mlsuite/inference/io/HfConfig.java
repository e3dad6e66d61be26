package dev.mlsuite.inference.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Hugging Face {@code config.json} with typed accessors whose errors name the file and the key.
 * Model families turn it into their own configuration record.
 */
public final class HfConfig {

    /** File name of the configuration in a Hugging Face model directory. */
    public static final String FILE_NAME = "config.json";

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final JsonNode root;
    private final String description;

    private HfConfig(JsonNode root, String description) {
        this.root = root;
        this.description = description;
    }

    /**
     * Reads a {@code config.json} file, or the one inside a model directory.
     *
     * @throws CheckpointException if the file is missing or is not a JSON object
     */
    public static HfConfig read(Path fileOrDirectory) throws IOException {
        Path file = Files.isDirectory(fileOrDirectory) ? fileOrDirectory.resolve(FILE_NAME) : fileOrDirectory;
        if (!Files.isRegularFile(file)) {
            throw new CheckpointException("model configuration not found: " + file);
        }
        return parse(Files.readString(file), file.toString());
    }

    /** Reads a configuration from a stream, such as a classpath resource; {@code description} names it in errors. */
    public static HfConfig read(InputStream input, String description) throws IOException {
        return parse(new String(input.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8), description);
    }

    /** Parses configuration JSON; {@code description} names its source in errors. */
    public static HfConfig parse(String json, String description) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new CheckpointException(description + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(description + ": a model configuration must be a JSON object");
        }
        return new HfConfig(root, description);
    }

    public String description() {
        return description;
    }

    /**
     * Returns a nested configuration object, such as {@code text_config} of a CLIP model, or an empty
     * one when the key is absent, so its readers fall back to their defaults.
     *
     * @throws CheckpointException if the key holds something other than a JSON object
     */
    public HfConfig section(String key) {
        JsonNode value = root.get(key);
        if (value == null || value.isNull()) {
            return new HfConfig(JSON.createObjectNode(), description + " " + key);
        }
        if (!value.isObject()) {
            throw new CheckpointException(description + ": key '" + key + "' must be a JSON object, found " + value);
        }
        return new HfConfig(value, description + " " + key);
    }

    public boolean has(String key) {
        JsonNode value = root.get(key);
        return value != null && !value.isNull();
    }

    /** Returns an integer that must be present. */
    public int requireInt(String key) {
        JsonNode value = root.get(key);
        if (value == null || value.isNull()) {
            throw new CheckpointException(description + ": missing required key '" + key + "'");
        }
        return toInt(key, value);
    }

    public int intOr(String key, int defaultValue) {
        return has(key) ? toInt(key, root.get(key)) : defaultValue;
    }

    public double doubleOr(String key, double defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode value = root.get(key);
        if (!value.isNumber()) {
            throw new CheckpointException(description + ": key '" + key + "' must be a number, found " + value);
        }
        return value.doubleValue();
    }

    public String stringOr(String key, String defaultValue) {
        if (!has(key)) {
            return defaultValue;
        }
        JsonNode value = root.get(key);
        if (!value.isString()) {
            throw new CheckpointException(description + ": key '" + key + "' must be a string, found " + value);
        }
        return value.stringValue();
    }

    private int toInt(String key, JsonNode value) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new CheckpointException(description + ": key '" + key + "' must be an integer, found " + value);
        }
        return value.intValue();
    }
}
