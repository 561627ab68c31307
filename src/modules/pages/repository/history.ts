import type { Kysely } from 'kysely';
import type { DB } from '../../../platform/db/schema.ts';
import { fetchPage, type Page } from '../../../platform/http/pagination.ts';

/** A page's entries in the audit trail (written by the audit trigger of the pages table). */

export interface HistoryRow {
  id: string;
  event_type: string;
  created_at: Date;
  user_id: string | null;
  user_email: string | null;
  changed_fields: string[] | null;
  old_values: unknown;
  new_values: unknown;
}

/** The page's audit entries, newest first. */
export function historyOfPage(
  db: Kysely<DB>,
  id: string,
  query: { page: number; per_page: number },
): Promise<Page<HistoryRow>> {
  const base = db.selectFrom('audit_logs').where('table_name', '=', 'pages').where('record_id', '=', id);
  return fetchPage(
    base
      .select([
        'id',
        'event_type',
        'created_at',
        'user_id',
        'user_email',
        'changed_fields',
        'old_values',
        'new_values',
      ])
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc'),
    base.select((eb) => eb.fn.countAll<number>().as('n')),
    query,
    (row) => row,
  );
}

/** The state before and after one audit entry of the page. */
export function historyEntryOfPage(
  db: Kysely<DB>,
  id: string,
  auditId: string,
): Promise<{ old_values: unknown; new_values: unknown } | undefined> {
  return db
    .selectFrom('audit_logs')
    .select(['old_values', 'new_values'])
    .where('id', '=', auditId)
    .where('table_name', '=', 'pages')
    .where('record_id', '=', id)
    .executeTakeFirst();
}
