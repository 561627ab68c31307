import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** Proves the database answers (a round trip that reads nothing). */
export async function ping(db: Kysely<DB>): Promise<void> {
  await sql`SELECT 1`.execute(db);
}
