-- Signals and alerts: a finding's disposition (its rule's: alert pages, signal is kept without paging), so the list
-- filters on it. Findings raised before dispositions existed were all alerts.
ALTER TABLE findings ADD COLUMN disposition text NOT NULL DEFAULT 'alert';
CREATE INDEX findings_disposition ON findings (disposition, last_seen_at DESC);
