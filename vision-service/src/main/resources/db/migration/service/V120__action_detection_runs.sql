-- One row per finished action-detection job: what went in, which models ran, what came out.
CREATE TABLE action_detection_runs (
    job_id                 UUID                     PRIMARY KEY,
    video_sha256           TEXT                     NOT NULL,
    video_bytes            BIGINT                   NOT NULL,
    video_codec            TEXT,
    video_width            INT                      NOT NULL,
    video_height           INT                      NOT NULL,
    video_duration_seconds DOUBLE PRECISION         NOT NULL,
    sample_fps             DOUBLE PRECISION         NOT NULL,
    sampled_frames         INT                      NOT NULL,
    label_count            INT                      NOT NULL,
    person_detector        TEXT                     NOT NULL,
    action_scorer          TEXT                     NOT NULL,
    action_scoring_active  BOOLEAN                  NOT NULL,
    tube_count             INT                      NOT NULL,
    elapsed_millis         BIGINT                   NOT NULL,
    finished_at            TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX action_detection_runs_video_sha256_idx ON action_detection_runs (video_sha256);
