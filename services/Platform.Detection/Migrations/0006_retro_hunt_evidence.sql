-- What a retro-hunt's correlation findings show of the window's events that came in another batch than the one that
-- fired it: each correlated event's id, time and name, written before its observations (so a batch that sees an
-- observation finds its evidence) and deleted with the hunt's windows when it ends.
CREATE TABLE retro_hunt_evidence (
    hunt_id    uuid        NOT NULL,
    event_id   text        NOT NULL,
    event_time timestamptz NOT NULL,
    event_name text,
    PRIMARY KEY (hunt_id, event_id)
);
