-- Gaussian image tokenizations (POST /v1/image-tokens), one row per request.
CREATE TABLE image_token_results (
    id                 UUID                     PRIMARY KEY,
    created_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    request_id         TEXT,
    image_sha256       TEXT                     NOT NULL,
    image_bytes        BIGINT                   NOT NULL,
    original_width     INT                      NOT NULL,
    original_height    INT                      NOT NULL,
    width              INT                      NOT NULL,
    height             INT                      NOT NULL,
    token_count        INT                      NOT NULL,
    steps_requested    INT                      NOT NULL,
    steps_run          INT                      NOT NULL,
    time_limit_reached BOOLEAN                  NOT NULL,
    initial_psnr       DOUBLE PRECISION         NOT NULL,
    initial_ssim       DOUBLE PRECISION         NOT NULL,
    psnr               DOUBLE PRECISION         NOT NULL,
    ssim               DOUBLE PRECISION         NOT NULL,
    initial_loss       DOUBLE PRECISION         NOT NULL,
    final_loss         DOUBLE PRECISION         NOT NULL,
    decode_ms          BIGINT                   NOT NULL,
    initialisation_ms  BIGINT                   NOT NULL,
    refinement_ms      BIGINT                   NOT NULL,
    rendering_ms       BIGINT                   NOT NULL,
    metrics_ms         BIGINT                   NOT NULL,
    total_ms           BIGINT                   NOT NULL,
    -- JSON array of {mu_x, mu_y, sigma_x, sigma_y, rho, features}, coordinates in processed pixels.
    tokens_json        TEXT                     NOT NULL,
    reconstruction_png BYTEA                    NOT NULL,
    overlay_png        BYTEA                    NOT NULL
);
CREATE INDEX image_token_results_created_at_idx ON image_token_results (created_at);
CREATE INDEX image_token_results_image_sha256_idx ON image_token_results (image_sha256);
