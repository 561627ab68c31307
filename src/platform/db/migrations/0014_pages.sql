-- Pages admin API (src/modules/pages).
--
--  * The tree, the reorder endpoint and the list filtered by parent read the live children of a page in
--    sort_order: one index serves them all (idx_pages_parent also covers deleted rows and has no order).
--  * Scheduled publishing needs no column: the job (queue pages.publish, pg-boss) carries the page id and the
--    time it was scheduled for, and publishes only while the page is still scheduled for exactly that time.
--    Unscheduling cancels the page's pending jobs inside the same transaction.

CREATE INDEX idx_pages_children ON pages(parent_id, sort_order) WHERE deleted_at IS NULL;
