package dev.mlsuite.vision.tokens.evaluation;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import dev.mlsuite.vision.tokens.RgbImage;

/**
 * Square crops of SROIE receipts that contain printed text: the crop starts at the top-left
 * corner of the union of the receipt's text-line boxes ({@code box/NNN.csv}, lines of
 * {@code x1,y1,...,x4,y4,transcript}) and its side is the shorter side of that union.
 */
public final class ReceiptCrops {

    private ReceiptCrops() {
    }

    /** Reads {@code img/NNN.jpg} and crops it using {@code box/NNN.csv} from the SROIE folder. */
    public static RgbImage textCrop(Path sroieFolder, String receiptId) throws IOException {
        Path imagePath = sroieFolder.resolve("img").resolve(receiptId + ".jpg");
        var decoded = ImageIO.read(imagePath.toFile());
        if (decoded == null) {
            throw new IOException("Not a readable image: " + imagePath);
        }
        RgbImage image = RgbImage.fromBufferedImage(decoded);
        int[] box = textBounds(sroieFolder.resolve("box").resolve(receiptId + ".csv"), image.width(), image.height());

        int side = Math.min(box[2] - box[0], box[3] - box[1]);
        return image.crop(box[0], box[1], side, side);
    }

    /** Returns {@code {minX, minY, maxX, maxY}} of all text-line boxes, clamped to the image. */
    static int[] textBounds(Path boxCsv, int width, int height) throws IOException {
        int minX = Integer.MAX_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int maxY = Integer.MIN_VALUE;
        for (String line : Files.readAllLines(boxCsv, StandardCharsets.UTF_8)) {
            String[] fields = line.split(",", 9);
            if (fields.length < 9) {
                continue;
            }
            for (int i = 0; i < 8; i += 2) {
                int x = Integer.parseInt(fields[i].trim());
                int y = Integer.parseInt(fields[i + 1].trim());
                minX = Math.min(minX, x);
                minY = Math.min(minY, y);
                maxX = Math.max(maxX, x);
                maxY = Math.max(maxY, y);
            }
        }
        if (minX == Integer.MAX_VALUE) {
            throw new IOException("No text-line boxes in " + boxCsv);
        }
        return new int[] {Math.max(0, minX), Math.max(0, minY), Math.min(width, maxX), Math.min(height, maxY)};
    }
}
