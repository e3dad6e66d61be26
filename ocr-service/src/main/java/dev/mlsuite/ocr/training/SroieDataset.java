package dev.mlsuite.ocr.training;

import dev.mlsuite.ocr.model.DocumentImages;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * SROIE receipts from {@code documents/sroie} under the data folder: {@code img/NNN.jpg} with
 * {@code key/NNN.json} holding company, date, address and total. The receipts are sorted by file
 * name and the last {@link #HELD_OUT} are held out from training, so the split is fixed.
 */
public final class SroieDataset {

    public static final int HELD_OUT = 40;

    private SroieDataset() {
    }

    /** Returns the receipt ids (file names without extension) in name order. */
    public static List<String> ids(Path dataDirectory) throws IOException {
        Path images = folder(dataDirectory).resolve("img");
        try (Stream<Path> files = Files.list(images)) {
            return files.map(path -> path.getFileName().toString())
                    .filter(name -> name.endsWith(".jpg"))
                    .map(name -> name.substring(0, name.length() - 4))
                    .filter(id -> Files.isRegularFile(folder(dataDirectory).resolve("key").resolve(id + ".json")))
                    .sorted()
                    .toList();
        }
    }

    public static List<String> trainingIds(Path dataDirectory) throws IOException {
        List<String> ids = ids(dataDirectory);
        return ids.subList(0, ids.size() - HELD_OUT);
    }

    public static List<String> heldOutIds(Path dataDirectory) throws IOException {
        List<String> ids = ids(dataDirectory);
        return ids.subList(ids.size() - HELD_OUT, ids.size());
    }

    /** Reads and preprocesses the receipts {@code ids}. */
    public static List<LabelledDocument> load(Path dataDirectory, List<String> ids, int width, int height)
            throws IOException {
        List<LabelledDocument> documents = new ArrayList<>(ids.size());
        for (String id : ids) {
            Path folder = folder(dataDirectory);
            BufferedImage image = ImageIO.read(folder.resolve("img").resolve(id + ".jpg").toFile());
            if (image == null) {
                throw new IOException("Not a readable image: " + folder.resolve("img").resolve(id + ".jpg"));
            }
            documents.add(new LabelledDocument(id, DocumentImages.toPixels(image, width, height),
                    readKey(folder.resolve("key").resolve(id + ".json"))));
        }
        return documents;
    }

    /** Reads the four key fields of one receipt; a missing field becomes the empty string. */
    public static Map<String, String> readKey(Path file) throws IOException {
        JsonNode key = JsonMapper.builder().build().readTree(Files.readString(file));
        Map<String, String> fields = new LinkedHashMap<>();
        for (String field : FieldQuestions.FIELDS) {
            JsonNode value = key.get(field);
            fields.put(field, value == null ? "" : value.asString().trim());
        }
        return fields;
    }

    private static Path folder(Path dataDirectory) {
        return dataDirectory.resolve("documents").resolve("sroie");
    }
}
