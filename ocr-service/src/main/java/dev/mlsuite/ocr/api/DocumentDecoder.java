package dev.mlsuite.ocr.api;

import dev.mlsuite.platform.web.ApiException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.springframework.http.HttpStatus;

/**
 * Decodes uploaded documents (JPEG, PNG, TIFF, PDF) into page images, checking the byte, pixel and
 * page limits before decoding pixels so that a small file cannot expand into a huge image.
 */
public final class DocumentDecoder {

    /** Upload formats, recognised from the first bytes of the file rather than its name. */
    public enum Format { JPEG, PNG, TIFF, PDF }

    private final OcrProperties properties;

    public DocumentDecoder(OcrProperties properties) {
        this.properties = properties;
    }

    /** Returns the format of {@code bytes}, or throws {@code unsupported-media-type} (415). */
    public Format detect(byte[] bytes) {
        if (startsWith(bytes, 0xFF, 0xD8, 0xFF)) {
            return Format.JPEG;
        }
        if (startsWith(bytes, 0x89, 'P', 'N', 'G')) {
            return Format.PNG;
        }
        if (startsWith(bytes, 'I', 'I', 42, 0) || startsWith(bytes, 'M', 'M', 0, 42)) {
            return Format.TIFF;
        }
        if (startsWith(bytes, '%', 'P', 'D', 'F')) {
            return Format.PDF;
        }
        throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "not-an-image", "Not an image",
                "The 'image' part is not a JPEG, PNG, TIFF or PDF file.", null,
                "Upload a JPEG, PNG, TIFF or PDF document.");
    }

    /** Checks the size limit and decodes up to {@code maxPages} pages (1 for images). */
    public List<BufferedImage> decode(byte[] bytes, int maxPages) {
        if (bytes.length == 0) {
            throw ApiException.badRequest("empty-image", "The 'image' part is empty.", 0,
                    "Upload a JPEG, PNG, TIFF or PDF document.");
        }
        if (bytes.length > properties.maxImageBytes()) {
            throw ApiException.tooLarge("The upload has " + bytes.length + " bytes, more than the limit of "
                    + properties.maxImageBytes() + ".", bytes.length, "Send a smaller file or raise ocr.max-image-bytes.");
        }
        Format format = detect(bytes);
        if (format == Format.PDF) {
            return decodePdf(bytes, maxPages);
        }
        return List.of(decodeImage(bytes, format));
    }

    private BufferedImage decodeImage(byte[] bytes, Format format) {
        try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
            if (!readers.hasNext()) {
                throw corrupt(format, "no image reader accepts the data");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(input, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                checkPixels(width, height);
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw corrupt(format, "the decoder returned no image");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ApiException apiException) {
                throw apiException;
            }
            throw corrupt(format, e.getMessage());
        }
    }

    private List<BufferedImage> decodePdf(byte[] bytes, int maxPages) {
        try (PDDocument document = Loader.loadPDF(bytes)) {
            int pages = document.getNumberOfPages();
            if (pages == 0) {
                throw corrupt(Format.PDF, "the document has no pages");
            }
            if (pages > properties.maxPdfPages()) {
                throw ApiException.tooLarge("The PDF has " + pages + " pages, more than the limit of "
                        + properties.maxPdfPages() + ".", pages, "Split the document or raise ocr.max-pdf-pages.");
            }
            PDFRenderer renderer = new PDFRenderer(document);
            List<BufferedImage> images = new ArrayList<>();
            for (int page = 0; page < Math.min(pages, maxPages); page++) {
                PDPage pdPage = document.getPage(page);
                PDRectangle box = pdPage.getCropBox();
                double scale = properties.pdfDpi() / 72.0;
                checkPixels(Math.round(box.getWidth() * scale), Math.round(box.getHeight() * scale));
                images.add(renderer.renderImageWithDPI(page, properties.pdfDpi(), ImageType.RGB));
            }
            return images;
        } catch (IOException e) {
            throw corrupt(Format.PDF, e.getMessage());
        }
    }

    private void checkPixels(long width, long height) {
        if (width <= 0 || height <= 0) {
            throw ApiException.badRequest("corrupt-image", "The image header gives a size of " + width + "x" + height
                    + " pixels.", width + "x" + height, "Upload an intact JPEG, PNG, TIFF or PDF document.");
        }
        long pixels = width * height;
        if (pixels > properties.maxPixels()) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "decompression-bomb", "Image too large",
                    "The image would decode to " + width + "x" + height + " = " + pixels
                            + " pixels, more than the limit of " + properties.maxPixels() + ".",
                    width + "x" + height, "Downscale the image or raise ocr.max-pixels.");
        }
    }

    private static ApiException corrupt(Format format, String reason) {
        return ApiException.badRequest("corrupt-image", "The " + format + " data could not be decoded: " + reason,
                format.name(), "Upload an intact JPEG, PNG, TIFF or PDF document.");
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
