import { CompiledQuery, sql, type Kysely } from 'kysely';
import type PgBoss from 'pg-boss';
import type { DB } from '../db/schema.ts';

/** Queries of pg-boss's own table (`pgboss.job`): only the jobs API reads it, never a module. */

export type JobState = 'created' | 'retry' | 'active' | 'completed' | 'cancelled' | 'failed';

export async function countsByQueueAndState(db: Kysely<DB>) {
  const result = await sql<{ name: string; state: string; n: number }>`
    SELECT name, state::text AS state, count(*)::int AS n FROM pgboss.job GROUP BY name, state`.execute(db);
  return result.rows;
}

export interface FailedJobRow {
  id: string;
  name: string;
  data: unknown;
  output: unknown;
  retry_count: number;
  created_on: Date;
  completed_on: Date | null;
}

export async function failedJobs(
  db: Kysely<DB>,
  query: { queue?: string | undefined; limit: number; offset: number },
): Promise<{ rows: FailedJobRow[]; total: number }> {
  const where = query.queue ? sql`state = 'failed' AND name = ${query.queue}` : sql`state = 'failed'`;
  const [rows, count] = await Promise.all([
    sql<FailedJobRow>`SELECT id, name, data, output, retry_count, created_on, completed_on FROM pgboss.job
        WHERE ${where} ORDER BY completed_on DESC NULLS LAST, created_on DESC
        LIMIT ${query.limit} OFFSET ${query.offset}`.execute(db),
    sql<{ n: number }>`SELECT count(*)::int AS n FROM pgboss.job WHERE ${where}`.execute(db),
  ]);
  return { rows: rows.rows, total: count.rows[0]?.n ?? 0 };
}

/** Ids of the jobs of `queue` in one of `states` whose data has `field` equal to `value` (as text). */
export async function jobIdsWhere(
  db: Kysely<DB>,
  queue: string,
  field: string,
  value: string,
  states: readonly JobState[],
): Promise<string[]> {
  const result = await sql<{ id: string }>`
    SELECT id FROM pgboss.job
    WHERE name = ${queue} AND state::text IN (${sql.join(states)}) AND data->>${field} = ${value}`.execute(
    db,
  );
  return result.rows.map((row) => row.id);
}

/** The values (as text) of `field` in the data of the jobs of `queue` in one of `states`. */
export async function dataValues(
  db: Kysely<DB>,
  queue: string,
  field: string,
  states: readonly JobState[],
): Promise<string[]> {
  const result = await sql<{ value: string }>`
    SELECT DISTINCT data->>${field} AS value FROM pgboss.job
    WHERE name = ${queue} AND state::text IN (${sql.join(states)}) AND data ? ${field}`.execute(db);
  return result.rows.map((row) => row.value);
}

/** pg-boss's `db` adapter over a Kysely executor (a transaction, to enqueue atomically with a write). */
export function adapterFor(executor: Kysely<DB>): PgBoss.Db {
  return {
    async executeSql(text, values) {
      const result = await executor.executeQuery(CompiledQuery.raw(text, values));
      return { rows: result.rows };
    },
  };
}
