-- One row per text generation: request settings, steering, the output and its toxicity, timings.
CREATE TABLE generations (
    id                  UUID                     PRIMARY KEY,
    created_at          TIMESTAMP WITH TIME ZONE NOT NULL,
    endpoint            TEXT                     NOT NULL,
    model_name          TEXT                     NOT NULL,
    prompt_sha256       TEXT                     NOT NULL,
    prompt              TEXT                     NOT NULL,
    prompt_tokens       INT                      NOT NULL,
    max_tokens          INT                      NOT NULL,
    temperature         REAL                     NOT NULL,
    top_p               REAL                     NOT NULL,
    top_k               INT                      NOT NULL,
    seed                BIGINT                   NOT NULL,
    steering_tier       TEXT,
    steering_strength   REAL                     NOT NULL,
    steering_features   TEXT                     NOT NULL,
    generated_text      TEXT                     NOT NULL,
    generated_tokens    INT                      NOT NULL,
    finish_reason       TEXT                     NOT NULL,
    toxicity            DOUBLE PRECISION         NOT NULL,
    prefill_millis      DOUBLE PRECISION         NOT NULL,
    decode_millis       DOUBLE PRECISION         NOT NULL,
    total_millis        DOUBLE PRECISION         NOT NULL
);
CREATE INDEX generations_created_at_idx ON generations (created_at);
