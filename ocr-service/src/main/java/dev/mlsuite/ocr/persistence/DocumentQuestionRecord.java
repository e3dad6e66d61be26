package dev.mlsuite.ocr.persistence;

import java.time.Instant;
import java.util.UUID;

/**
 * A stored answer set for one page.
 *
 * @param jobId the multi-page job the page belongs to, or null for a synchronous request
 * @param page page number counted from 1
 * @param answersJson the answers as returned to the client, JSON
 * @param timingsJson the timings in milliseconds, JSON
 */
public record DocumentQuestionRecord(UUID id, Instant createdAt, UUID jobId, int page, String inputSha256,
        String inputFormat, int imageWidth, int imageHeight, String model, String answersJson, String timingsJson) {
}
