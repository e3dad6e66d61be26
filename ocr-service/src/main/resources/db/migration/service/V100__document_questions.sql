-- One row per answered document: the input digest, the model, the answers and the timings.
CREATE TABLE document_questions (
    id             UUID                     PRIMARY KEY,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    job_id         UUID,
    page           INT                      NOT NULL,
    input_sha256   TEXT                     NOT NULL,
    input_format   TEXT                     NOT NULL,
    image_width    INT                      NOT NULL,
    image_height   INT                      NOT NULL,
    model          TEXT                     NOT NULL,
    answers_json   TEXT                     NOT NULL,
    timings_json   TEXT                     NOT NULL
);
CREATE INDEX document_questions_job_id_idx ON document_questions (job_id);
