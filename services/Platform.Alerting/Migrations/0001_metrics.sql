-- Metrics: one row per series (namespace, name and dimensions), and its 1-minute data points.
-- dimensions_key is the dimensions as canonical text (names sorted), so a series is found by equality.
CREATE TABLE metric_series (
    id                bigserial   PRIMARY KEY,
    namespace         text        NOT NULL,
    metric_name       text        NOT NULL,
    dimensions_key    text        NOT NULL,
    dimensions        jsonb       NOT NULL,
    last_published_at timestamptz NOT NULL,
    UNIQUE (namespace, metric_name, dimensions_key)
);

-- ListMetrics filters on dimensions with containment (@>) and existence (?).
CREATE INDEX metric_series_dimensions ON metric_series USING gin (dimensions);
CREATE INDEX metric_series_last_published ON metric_series (last_published_at);

-- The statistics of one minute of one series. is_default marks a minute holding only a filter's defaultValue
-- (events arrived, none matched): the first real sample of that minute replaces it.
CREATE TABLE metric_points (
    series_id    bigint           NOT NULL REFERENCES metric_series (id) ON DELETE CASCADE,
    minute       timestamptz      NOT NULL,
    sample_count double precision NOT NULL,
    sum          double precision NOT NULL,
    minimum      double precision NOT NULL,
    maximum      double precision NOT NULL,
    is_default   boolean          NOT NULL,
    PRIMARY KEY (series_id, minute)
);

CREATE INDEX metric_points_minute ON metric_points (minute);

-- Batches of LogEventsIngested whose data points are counted, written in the statement that upserts them:
-- a redelivered batch finds its row and counts nothing.
CREATE TABLE metric_batches (
    batch_id    uuid        PRIMARY KEY,
    recorded_at timestamptz NOT NULL
);

CREATE INDEX metric_batches_recorded ON metric_batches (recorded_at);
