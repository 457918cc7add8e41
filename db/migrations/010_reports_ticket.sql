-- Support looks a submission up by its ticket (issue 14): "ABC-123" and
-- "abc-123" are the same ticket, so the index is case-insensitive and the
-- query compares with COLLATE NOCASE to use it.
CREATE INDEX reports_ticket ON reports(ticket COLLATE NOCASE, created);
