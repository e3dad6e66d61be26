package dev.mlsuite.ocr.api;

import dev.mlsuite.platform.web.ApiException;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.springframework.http.MediaType;

/**
 * Decodes the raw bytes of the {@code question} parts of a multipart request. The servlet container
 * decodes form fields in the request's charset, ignoring a charset named by the part, and replaces
 * invalid bytes with U+FFFD without an error, so a question sent in another encoding would
 * otherwise reach the model garbled.
 */
final class QuestionEncoding {

    static final String FIELD = "question";
    private static final int PREVIEW_BYTES = 64;

    private QuestionEncoding() {
    }

    /**
     * Returns the {@code question} parts in request order, each decoded strictly in the charset its
     * Content-Type names, UTF-8 when it names none.
     *
     * @throws ApiException 400 {@code invalid-question-encoding} naming the charset, the offset of
     *     the first invalid byte and the bytes in hexadecimal
     */
    static List<String> decode(HttpServletRequest request) {
        List<String> questions = new ArrayList<>();
        try {
            for (Part part : request.getParts()) {
                if (FIELD.equals(part.getName()) && part.getSubmittedFileName() == null) {
                    byte[] bytes;
                    try (InputStream input = part.getInputStream()) {
                        bytes = input.readAllBytes();
                    }
                    questions.add(decode(bytes, charsetOf(part)));
                }
            }
            return questions;
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the question parts failed", e);
        } catch (ServletException e) {
            throw new IllegalStateException("The request is not multipart", e);
        }
    }

    static String decode(byte[] bytes, Charset charset) {
        CharsetDecoder decoder = charset.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer input = ByteBuffer.wrap(bytes);
        CharBuffer output = CharBuffer.allocate((int) Math.ceil(bytes.length * (double) decoder.maxCharsPerByte()) + 1);
        CoderResult result = decoder.decode(input, output, true);
        if (!result.isError()) {
            result = decoder.flush(output);
        }
        if (!result.isError()) {
            return output.flip().toString();
        }
        String preview = HexFormat.ofDelimiter(" ").formatHex(bytes, 0, Math.min(bytes.length, PREVIEW_BYTES))
                + (bytes.length > PREVIEW_BYTES ? " ..." : "");
        throw ApiException.badRequest("invalid-question-encoding", "A 'question' field is not valid "
                + charset.name() + ": the byte at offset " + input.position() + " starts no valid character.",
                preview, "Send the question as " + charset.name() + " text, or name its charset in the part's"
                + " Content-Type, for example 'text/plain; charset=ISO-8859-1'.");
    }

    private static Charset charsetOf(Part part) {
        String contentType = part.getContentType();
        if (contentType == null) {
            return StandardCharsets.UTF_8;
        }
        try {
            Charset declared = MediaType.parseMediaType(contentType).getCharset();
            return declared == null ? StandardCharsets.UTF_8 : declared;
        } catch (IllegalArgumentException e) { // an invalid media type or an unknown charset name
            throw ApiException.badRequest("invalid-question-encoding", "A 'question' field declares the content"
                    + " type '" + contentType + "', whose charset is unknown.", contentType,
                    "Send the question as UTF-8 text without a charset, or name a standard charset such as UTF-8.");
        }
    }
}
