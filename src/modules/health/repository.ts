import { sql, type Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';

/** Whether the database answers a trivial query (false on any error). */
export async function databaseAnswers(db: Kysely<DB>): Promise<boolean> {
  try {
    const result = await sql<{ ok: number }>`SELECT 1 AS ok`.execute(db);
    return result.rows[0]?.ok === 1;
  } catch {
    return false;
  }
}
