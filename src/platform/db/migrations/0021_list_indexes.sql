-- Indexes for the admin panel's lists (issue 13): every list reads one page of rows in its order, with the total.
-- Without an index in that order the database reads and sorts the whole table for each page: over 10,000 pages
-- the page list took about 16 ms a query (a scan of 20 MB of wide rows and a top-N sort), wherever the page was.
-- With one it reads the rows of the page in order and stops; the total is counted from a narrow index.
--
-- Each index matches one order a list offers, tie-breaker (id) included, under the filter the list applies by
-- default (live rows: deleted_at IS NULL), so the scan needs no sort step. A B-tree is read in either direction,
-- so (col, id) serves "col, id" and "col DESC, id DESC"; the page list's tie-breaker now follows its direction
-- (src/modules/pages/repository/pages.ts) so that one index serves both directions of each sort.
--
--  * pages, live (the list's deleted=exclude default): by updated_at (the default, -updated_at), created_at and
--    sort_order, each with id. By slug: idx_pages_slug, which duplicated uq_pages_slug, becomes (slug, id).
--    The page list takes the ids of a page from these indexes alone (an index-only scan, however deep the page)
--    and reads the wide rows (content, blocks) of those ids only. A status or parent filter uses
--    idx_pages_status or idx_pages_children and sorts the rows it finds, or walks the order index and skips the
--    others: the planner picks by how many rows match. The list's total counts a narrow partial index.
--  * pages and media_files, the trash (deleted=only): the deleted rows, few among many, found without a scan.
--  * media_files, live: the library's order, created_at DESC then id (ascending).
--  * admin_users and consultants, live: by last_name, first_name, id (the users list; the consultants' staff and
--    public lists).
--  * bookings: the staff list, by datetime and id either way (sort=datetime, -datetime). idx_bookings_datetime
--    becomes (datetime, id) and keeps serving the reads of a range of starts (the week view, from and to); a
--    consultant's filter uses idx_bookings_consultant_datetime (migration 0017).
--  * audit_logs: newest first, created_at DESC then id DESC. idx_audit_logs_created becomes (created_at, id): with
--    created_at alone, rows written by one transaction share a created_at (now()), and the first page of a bulk
--    change (1,000 pages inserted at once) sorted all 1,000 wide rows by id. The panel's filters by table, by user
--    and by event type get the same order behind their column: idx_audit_logs_table, idx_audit_logs_user and
--    idx_audit_logs_event_type become (column, created_at, id). The trail is ordered by time, so rows of one table
--    or user cluster: filtering the time-ordered scan instead read 29,000 rows of other tables (78 ms) before
--    the first page of the bench pages' entries. A record's history (table and record id) stays with
--    idx_audit_logs_record: a few rows, sorted. As indexes of the partitioned table they are built on every
--    partition, and the partitions ensure_audit_log_partitions makes later get them when attached.
--  * mail_outbox: the outbox, created_at DESC then id DESC: idx_mail_outbox_created becomes (created_at, id).
--  * integration_logs: started_at DESC, attempt DESC, id DESC: idx_integration_logs_started becomes
--    (started_at, attempt, id).
--
-- The spec's index names stay (src/platform/db/schema.test.ts); where one is redefined, the old key is a prefix of
-- the new one (read in either direction), so every query it served is served still.
-- CREATE INDEX here is not CONCURRENTLY (migrations run in a transaction): it holds writes to the table while it
-- builds, a few seconds for a million rows.

-- Pages.
CREATE INDEX idx_pages_live_updated ON pages(updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX idx_pages_live_created ON pages(created_at, id) WHERE deleted_at IS NULL;
CREATE INDEX idx_pages_live_sort_order ON pages(sort_order, id) WHERE deleted_at IS NULL;
DROP INDEX idx_pages_slug;
CREATE INDEX idx_pages_slug ON pages(slug, id) WHERE deleted_at IS NULL;
CREATE INDEX idx_pages_trash ON pages(deleted_at) WHERE deleted_at IS NOT NULL;

-- Media library.
CREATE INDEX idx_media_files_live_created ON media_files(created_at DESC, id) WHERE deleted_at IS NULL;
CREATE INDEX idx_media_files_trash ON media_files(deleted_at) WHERE deleted_at IS NOT NULL;

-- Users and consultants, by name.
CREATE INDEX idx_admin_users_live_name ON admin_users(last_name, first_name, id) WHERE deleted_at IS NULL;
CREATE INDEX idx_consultants_live_name ON consultants(last_name, first_name, id) WHERE deleted_at IS NULL;

-- Bookings, by start.
DROP INDEX idx_bookings_datetime;
CREATE INDEX idx_bookings_datetime ON bookings(datetime, id);

-- Audit trail, newest first, and so within a table, a user or an event type.
DROP INDEX idx_audit_logs_created;
CREATE INDEX idx_audit_logs_created ON audit_logs(created_at, id);
DROP INDEX idx_audit_logs_table;
CREATE INDEX idx_audit_logs_table ON audit_logs(table_name, created_at, id);
DROP INDEX idx_audit_logs_user;
CREATE INDEX idx_audit_logs_user ON audit_logs(user_id, created_at, id);
DROP INDEX idx_audit_logs_event_type;
CREATE INDEX idx_audit_logs_event_type ON audit_logs(event_type, created_at, id);

-- Outbox, newest first.
DROP INDEX idx_mail_outbox_created;
CREATE INDEX idx_mail_outbox_created ON mail_outbox(created_at, id);

-- Integration log, newest first.
DROP INDEX idx_integration_logs_started;
CREATE INDEX idx_integration_logs_started ON integration_logs(started_at, attempt, id);
