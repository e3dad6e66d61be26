package dev.mlsuite.platform.jobs;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/** Reads and writes the {@code jobs} table of the service's schema. */
public class JobRepository {

    private static final String COLUMNS = "id, job_type, status, progress, parameters, error, result_location, "
            + "result_bytes, attempts, request_id, created_at, updated_at, started_at, finished_at";

    private static final RowMapper<Job> ROW_MAPPER = JobRepository::mapRow;

    private final JdbcTemplate jdbc;

    public JobRepository(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void insert(Job job) {
        jdbc.update("INSERT INTO jobs (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                job.id(), job.type(), job.status().name(), job.progress(), job.parameters(), job.error(),
                job.resultLocation(), job.resultBytes(), job.attempts(), job.requestId(),
                timestamp(job.createdAt()), timestamp(job.updatedAt()), timestamp(job.startedAt()),
                timestamp(job.finishedAt()));
    }

    public Optional<Job> findById(UUID id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE id = ?", ROW_MAPPER, id).stream().findFirst();
    }

    public List<Job> findRecent(String type, int limit) {
        if (type == null) {
            return jdbc.query("SELECT " + COLUMNS + " FROM jobs ORDER BY created_at DESC LIMIT ?", ROW_MAPPER, limit);
        }
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE job_type = ? ORDER BY created_at DESC LIMIT ?",
                ROW_MAPPER, type, limit);
    }

    /** Marks the start of an attempt, unless the job reached a final state meanwhile; returns whether it did. */
    public boolean markRunning(UUID id, Instant now) {
        return jdbc.update("UPDATE jobs SET status = 'RUNNING', progress = 0, error = NULL, attempts = attempts + 1, "
                + "started_at = ?, updated_at = ? WHERE id = ? AND status IN ('QUEUED', 'RUNNING')",
                timestamp(now), timestamp(now), id) == 1;
    }

    /** Stores progress of a running job; returns false when the job is no longer running (cancelled). */
    public boolean updateProgress(UUID id, double progress, Instant now) {
        return jdbc.update("UPDATE jobs SET progress = ?, updated_at = ? WHERE id = ? AND status = 'RUNNING'",
                progress, timestamp(now), id) == 1;
    }

    public boolean markSucceeded(UUID id, String resultLocation, long resultBytes, Instant now) {
        return jdbc.update("UPDATE jobs SET status = 'SUCCEEDED', progress = 1, result_location = ?, result_bytes = ?, "
                + "updated_at = ?, finished_at = ? WHERE id = ? AND status = 'RUNNING'",
                resultLocation, resultBytes, timestamp(now), timestamp(now), id) == 1;
    }

    public boolean markFailed(UUID id, String error, long resultBytes, Instant now) {
        return jdbc.update("UPDATE jobs SET status = 'FAILED', error = ?, result_bytes = ?, updated_at = ?, "
                + "finished_at = ? WHERE id = ? AND status IN ('QUEUED', 'RUNNING')",
                error, resultBytes, timestamp(now), timestamp(now), id) == 1;
    }

    /** Cancels a job that has not finished; returns whether it did. */
    public boolean markCancelled(UUID id, Instant now) {
        return jdbc.update("UPDATE jobs SET status = 'CANCELLED', updated_at = ?, finished_at = ? "
                + "WHERE id = ? AND status IN ('QUEUED', 'RUNNING')", timestamp(now), timestamp(now), id) == 1;
    }

    /** Returns finished jobs, oldest first, that finished before {@code before}. */
    public List<Job> findFinishedBefore(Instant before) {
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE finished_at IS NOT NULL AND finished_at < ? "
                + "ORDER BY finished_at", ROW_MAPPER, timestamp(before));
    }

    public List<Job> findFinishedOldestFirst() {
        return jdbc.query("SELECT " + COLUMNS + " FROM jobs WHERE finished_at IS NOT NULL ORDER BY finished_at",
                ROW_MAPPER);
    }

    public long totalBytes() {
        Long total = jdbc.queryForObject("SELECT COALESCE(SUM(result_bytes), 0) FROM jobs", Long.class);
        return total == null ? 0 : total;
    }

    public void delete(UUID id) {
        jdbc.update("DELETE FROM jobs WHERE id = ?", id);
    }

    private static Job mapRow(ResultSet row, int rowNumber) throws SQLException {
        return new Job(
                row.getObject("id", UUID.class),
                row.getString("job_type"),
                JobStatus.valueOf(row.getString("status")),
                row.getDouble("progress"),
                row.getString("parameters"),
                row.getString("error"),
                row.getString("result_location"),
                row.getLong("result_bytes"),
                row.getInt("attempts"),
                row.getString("request_id"),
                instant(row.getTimestamp("created_at")),
                instant(row.getTimestamp("updated_at")),
                instant(row.getTimestamp("started_at")),
                instant(row.getTimestamp("finished_at")));
    }

    private static Timestamp timestamp(Instant instant) {
        return instant == null ? null : Timestamp.from(instant);
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}
