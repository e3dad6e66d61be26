package dev.mlsuite.vision.tokens.api;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Iterator;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.springframework.http.HttpStatus;

import dev.mlsuite.platform.web.ApiException;

/**
 * Decodes uploads with the JDK's Image I/O readers (PNG, JPEG, GIF, BMP, WBMP), reading the
 * dimensions from the header first so that an oversized image is rejected before its pixels are
 * allocated.
 */
final class ImageDecoder {

    private static final String SUPPORTED = "Send a PNG, JPEG, GIF or BMP image.";

    private ImageDecoder() {
    }

    static BufferedImage decode(byte[] bytes, long maxPixels) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = input == null ? null : ImageIO.getImageReaders(input);
            if (readers == null || !readers.hasNext()) {
                throw notAnImage("No image format recognised in the upload of " + bytes.length + " bytes.");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > maxPixels) {
                    throw ApiException.tooLarge("The image has " + reader.getWidth(0) + "x" + reader.getHeight(0)
                            + " = " + pixels + " pixels, more than the limit of " + maxPixels + ".", pixels,
                            "Downscale the image to at most " + maxPixels + " pixels, or raise "
                                    + "vision.image-tokens.max-input-pixels.");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw notAnImage("The " + reader.getFormatName() + " image could not be decoded.");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException apiException) {
                throw apiException;
            }
            throw notAnImage("The upload could not be decoded as an image: " + e.getMessage());
        }
    }

    private static ApiException notAnImage(String detail) {
        return new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "not-an-image", "Not an image", detail, null,
                SUPPORTED);
    }
}
