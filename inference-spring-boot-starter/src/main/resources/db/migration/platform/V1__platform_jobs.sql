-- Shared by every service, in the service's own schema. Service migrations start at V100.

-- db-scheduler's task table (layout from db-scheduler's PostgreSQL DDL).
CREATE TABLE scheduled_tasks (
    task_name            TEXT                     NOT NULL,
    task_instance        TEXT                     NOT NULL,
    task_data            BYTEA,
    execution_time       TIMESTAMP WITH TIME ZONE NOT NULL,
    picked               BOOLEAN                  NOT NULL,
    picked_by            TEXT,
    last_success         TIMESTAMP WITH TIME ZONE,
    last_failure         TIMESTAMP WITH TIME ZONE,
    consecutive_failures INT,
    last_heartbeat       TIMESTAMP WITH TIME ZONE,
    version              BIGINT                   NOT NULL,
    priority             SMALLINT,
    PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX scheduled_tasks_execution_time_idx ON scheduled_tasks (execution_time);
CREATE INDEX scheduled_tasks_last_heartbeat_idx ON scheduled_tasks (last_heartbeat);
CREATE INDEX scheduled_tasks_priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC);

-- User-visible state of long-running work; db-scheduler drives execution.
CREATE TABLE jobs (
    id              UUID                     PRIMARY KEY,
    job_type        TEXT                     NOT NULL,
    status          TEXT                     NOT NULL CHECK (status IN ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED')),
    progress        DOUBLE PRECISION         NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1),
    parameters      TEXT,
    error           TEXT,
    result_location TEXT,
    result_bytes    BIGINT                   NOT NULL DEFAULT 0,
    attempts        INT                      NOT NULL DEFAULT 0,
    request_id      TEXT,
    created_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE,
    finished_at     TIMESTAMP WITH TIME ZONE
);
CREATE INDEX jobs_status_idx ON jobs (status);
CREATE INDEX jobs_finished_at_idx ON jobs (finished_at);
