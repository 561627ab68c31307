import type { Kysely, Selectable } from 'kysely';
import type { AuditLogs, DB } from '../../platform/db/schema.ts';
import { fetchPage, type Page } from '../../platform/http/pagination.ts';

// Every read of audit_logs. Rows are written by the audit trigger and by platform/audit/events.ts.

export type AuditRow = Selectable<AuditLogs>;

export interface AuditFilter {
  table_name?: string | undefined;
  record_id?: string | undefined;
  user_id?: string | undefined;
  event_type?: string[] | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
}

/** The trail filtered, newest first, one page of it. */
export function listAuditLogs<T>(
  db: Kysely<DB>,
  filter: AuditFilter,
  page: { page: number; per_page: number },
  map: (row: AuditRow) => T,
): Promise<Page<T>> {
  let base = db.selectFrom('audit_logs');
  if (filter.table_name) base = base.where('table_name', '=', filter.table_name);
  if (filter.record_id) base = base.where('record_id', '=', filter.record_id);
  if (filter.user_id) base = base.where('user_id', '=', filter.user_id);
  if (filter.event_type?.length) base = base.where('event_type', 'in', filter.event_type);
  if (filter.from) base = base.where('created_at', '>=', filter.from);
  if (filter.to) base = base.where('created_at', '<', filter.to);
  return fetchPage(
    base.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
    base.select((eb) => eb.fn.countAll<number>().as('n')),
    page,
    map,
  );
}

/** One entry about one record of one table. */
export function findAuditEntry(
  db: Kysely<DB>,
  tableName: string,
  recordId: string,
  id: string,
): Promise<AuditRow | undefined> {
  return db
    .selectFrom('audit_logs')
    .selectAll()
    .where('id', '=', id)
    .where('table_name', '=', tableName)
    .where('record_id', '=', recordId)
    .executeTakeFirst();
}
