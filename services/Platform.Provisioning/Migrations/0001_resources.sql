-- The current resources of every kind (and the stacks): the read model behind the list and get
-- endpoints and the catch-up answers. Updated in the transaction that appends the resource's event,
-- so it never disagrees with the streams.
CREATE TABLE resources (
    kind       text        NOT NULL,
    name       text        NOT NULL,
    version    bigint      NOT NULL,
    spec       jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    created_by text        NOT NULL,
    updated_at timestamptz NOT NULL,
    updated_by text        NOT NULL,
    PRIMARY KEY (kind, name)
);
