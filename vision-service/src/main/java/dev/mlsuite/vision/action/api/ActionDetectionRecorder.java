package dev.mlsuite.vision.action.api;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

import org.springframework.jdbc.core.JdbcTemplate;

import dev.mlsuite.vision.action.ActionDetectionResult;

/**
 * Records each finished action-detection run in {@code action_detection_runs}: input digest,
 * models, settings, timings and a result summary. A job that runs again after a restart
 * overwrites its row.
 */
public class ActionDetectionRecorder {

    private final JdbcTemplate jdbc;

    public ActionDetectionRecorder(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void record(UUID jobId, ActionDetectionJobParameters parameters, ActionDetectionResult result,
            long elapsedMillis, Instant finishedAt) {
        jdbc.update("""
                INSERT INTO action_detection_runs (job_id, video_sha256, video_bytes, video_codec, video_width,
                    video_height, video_duration_seconds, sample_fps, sampled_frames, label_count, person_detector,
                    action_scorer, action_scoring_active, tube_count, elapsed_millis, finished_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (job_id) DO UPDATE SET sampled_frames = EXCLUDED.sampled_frames,
                    tube_count = EXCLUDED.tube_count, elapsed_millis = EXCLUDED.elapsed_millis,
                    action_scoring_active = EXCLUDED.action_scoring_active, finished_at = EXCLUDED.finished_at
                """,
                jobId, parameters.videoSha256(), parameters.videoBytes(), result.video().codec(),
                result.video().width(), result.video().height(), result.video().durationSeconds(),
                parameters.sampleFps(), result.sampledFrames(), parameters.labels().size(),
                result.capabilities().personDetection().implementation(),
                result.capabilities().actionScoring().implementation(),
                result.capabilities().actionScoring().active(), result.tubes().size(), elapsedMillis,
                Timestamp.from(finishedAt));
    }
}
