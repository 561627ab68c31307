import type { Insertable, Kysely, Selectable } from 'kysely';
import type { DB, IntegrationLogs } from '../db/schema.ts';

/**
 * Every query of integration_logs: the platform's clients (and the mailer) write one row per attempt of a call
 * to an outside system; the integrations module reads them through these functions.
 */

export type IntegrationLogRow = Selectable<IntegrationLogs>;

export async function insertIntegrationLog(
  db: Kysely<DB>,
  entry: Insertable<IntegrationLogs>,
): Promise<string> {
  const row = await db.insertInto('integration_logs').values(entry).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export interface IntegrationLogFilter {
  integration_name?: string | undefined;
  status?: string | undefined;
  operation?: string | undefined;
  related_table?: string | undefined;
  related_id?: string | undefined;
  correlation_id?: string | undefined;
  retry_of?: string | undefined;
  /** Started at or after (inclusive). */
  from?: Date | undefined;
  /** Started before (exclusive). */
  to?: Date | undefined;
}

/** One page of the entries matching `filter`, newest first, and how many match in all. */
export async function findIntegrationLogs(
  db: Kysely<DB>,
  filter: IntegrationLogFilter,
  page: { limit: number; offset: number },
): Promise<{ rows: IntegrationLogRow[]; total: number }> {
  let base = db.selectFrom('integration_logs');
  if (filter.integration_name) base = base.where('integration_name', '=', filter.integration_name);
  if (filter.status) base = base.where('status', '=', filter.status);
  if (filter.operation) base = base.where('operation', '=', filter.operation);
  if (filter.related_table) base = base.where('related_table', '=', filter.related_table);
  if (filter.related_id) base = base.where('related_id', '=', filter.related_id);
  if (filter.correlation_id) base = base.where('correlation_id', '=', filter.correlation_id);
  if (filter.retry_of) base = base.where('retry_of', '=', filter.retry_of);
  if (filter.from) base = base.where('started_at', '>=', filter.from);
  if (filter.to) base = base.where('started_at', '<', filter.to);
  const [rows, count] = await Promise.all([
    base
      .selectAll()
      .orderBy('started_at', 'desc')
      .orderBy('attempt', 'desc')
      .orderBy('id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: count.n };
}

export function findIntegrationLog(db: Kysely<DB>, id: string): Promise<IntegrationLogRow | undefined> {
  return db.selectFrom('integration_logs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Every entry of one operation run, in the order the calls were made. */
export function integrationLogsOfRun(db: Kysely<DB>, correlationId: string): Promise<IntegrationLogRow[]> {
  return db
    .selectFrom('integration_logs')
    .selectAll()
    .where('correlation_id', '=', correlationId)
    .orderBy('started_at')
    .orderBy('attempt')
    .execute();
}

/** Whether `operation` was ever attempted for a record (any log row names it, whatever its outcome). */
export async function operationAttempted(
  db: Kysely<DB>,
  related: { table: string; id: string },
  operation: string,
): Promise<boolean> {
  const row = await db
    .selectFrom('integration_logs')
    .select('id')
    .where('related_table', '=', related.table)
    .where('related_id', '=', related.id)
    .where('operation', '=', operation)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
