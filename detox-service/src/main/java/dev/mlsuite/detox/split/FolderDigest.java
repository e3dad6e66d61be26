package dev.mlsuite.detox.split;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * Identity of a model or SAE folder, so that a decode instance can tell whether a handed-over sequence
 * was computed with the same weights: the SHA-256 over the weight and configuration files directly in
 * the folder ({@code *.safetensors}, {@code *.bin}, {@code config.json}, {@code cfg.json},
 * {@code tokenizer.json}), taken in name order, each file's name followed by its bytes.
 */
final class FolderDigest {

    private static final List<String> CONFIGURATION_FILES = List.of("config.json", "cfg.json", "tokenizer.json");

    private FolderDigest() {
    }

    /**
     * Returns the digest of {@code folder} as 64 lowercase hex digits.
     *
     * @throws UncheckedIOException when the folder cannot be listed or read
     * @throws IllegalArgumentException when the folder contains none of the files above
     */
    static String of(Path folder) {
        MessageDigest digest = sha256();
        List<Path> files;
        try (Stream<Path> entries = Files.list(folder)) {
            files = entries.filter(Files::isRegularFile).filter(FolderDigest::isIdentifying).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Failed to list " + folder.toAbsolutePath(), e);
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("Folder " + folder.toAbsolutePath()
                    + " contains no weight or configuration file to identify the model by");
        }

        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            digest.update(file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                while (in.read(buffer) >= 0) {
                    // DigestInputStream updates the digest while reading.
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Failed to read " + file.toAbsolutePath(), e);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static boolean isIdentifying(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".safetensors") || name.endsWith(".bin") || CONFIGURATION_FILES.contains(name);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
