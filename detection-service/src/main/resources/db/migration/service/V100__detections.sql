-- One row per detection request that reached the model: enough to return the result again and
-- to audit which model produced it. The text itself is stored only when detection.store-text is true.
CREATE TABLE detections (
    id                  UUID                     PRIMARY KEY,
    model_name          TEXT                     NOT NULL,
    model_version       TEXT                     NOT NULL,
    input_sha256        TEXT                     NOT NULL CHECK (char_length(input_sha256) = 64),
    input_chars         INTEGER                  NOT NULL CHECK (input_chars >= 0),
    input_text          TEXT,
    label               TEXT                     NOT NULL CHECK (label IN ('ai', 'human')),
    probability         DOUBLE PRECISION         NOT NULL CHECK (probability >= 0 AND probability <= 1),
    threshold           DOUBLE PRECISION         NOT NULL,
    sentence_count      INTEGER                  NOT NULL CHECK (sentence_count >= 0),
    sentences           TEXT                     NOT NULL,
    queue_ms            DOUBLE PRECISION         NOT NULL,
    model_ms            DOUBLE PRECISION         NOT NULL,
    total_ms            DOUBLE PRECISION         NOT NULL,
    request_id          TEXT,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX detections_created_at_idx ON detections (created_at);
CREATE INDEX detections_input_sha256_idx ON detections (input_sha256);
