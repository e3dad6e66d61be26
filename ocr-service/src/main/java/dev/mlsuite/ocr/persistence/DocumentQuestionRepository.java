package dev.mlsuite.ocr.persistence;

import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** Stores and reads {@link DocumentQuestionRecord}s in the service's {@code document_questions} table. */
public class DocumentQuestionRepository {

    private static final RowMapper<DocumentQuestionRecord> ROWS = (rs, row) -> new DocumentQuestionRecord(
            rs.getObject("id", UUID.class), rs.getTimestamp("created_at").toInstant(),
            rs.getObject("job_id", UUID.class), rs.getInt("page"), rs.getString("input_sha256"),
            rs.getString("input_format"), rs.getInt("image_width"), rs.getInt("image_height"), rs.getString("model"),
            rs.getString("answers_json"), rs.getString("timings_json"));

    private final JdbcTemplate jdbc;

    public DocumentQuestionRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(DocumentQuestionRecord record) {
        jdbc.update("INSERT INTO document_questions (id, created_at, job_id, page, input_sha256, input_format,"
                        + " image_width, image_height, model, answers_json, timings_json)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                record.id(), Timestamp.from(record.createdAt()), record.jobId(), record.page(), record.inputSha256(),
                record.inputFormat(), record.imageWidth(), record.imageHeight(), record.model(), record.answersJson(),
                record.timingsJson());
    }

    public Optional<DocumentQuestionRecord> find(UUID id) {
        return jdbc.query("SELECT * FROM document_questions WHERE id = ?", ROWS, id).stream().findFirst();
    }

    /** Returns the pages of a job in page order. */
    public List<DocumentQuestionRecord> findByJob(UUID jobId) {
        return jdbc.query("SELECT * FROM document_questions WHERE job_id = ? ORDER BY page", ROWS, jobId);
    }
}
