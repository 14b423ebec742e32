-- A sender's lease is short and renewed while it sends (Platform.ServiceDefaults LeasedWorker): lease_holder names the
-- lease, so only its holder renews the row or records its attempt. taken_over counts the attempts another sender took
-- over from a holder whose lease ran out unrecorded (it died, or lost the database): each may have reached the
-- subscriber already, so the delivery may have been received twice (under the same idempotency key).
ALTER TABLE deliveries ADD COLUMN lease_holder uuid;
ALTER TABLE deliveries ADD COLUMN taken_over integer NOT NULL DEFAULT 0;

-- A holder renews its rows by its id every few seconds.
CREATE INDEX deliveries_by_lease_holder ON deliveries (lease_holder) WHERE lease_holder IS NOT NULL;
