import type { Kysely } from 'kysely';
import type { DB } from './db/schema.ts';

/**
 * One setting's value, or `fallback` when it is missing or of another type. The settings module of the
 * platform-services work adds validation, caching and encryption on top of this.
 */
export async function readSetting<T extends number | string | boolean>(
  db: Kysely<DB>,
  key: string,
  fallback: T,
): Promise<T> {
  const row = await db
    .selectFrom('system_settings')
    .select('value')
    .where('key', '=', key)
    .executeTakeFirst();
  const value: unknown = row?.value;
  return typeof value === typeof fallback ? (value as T) : fallback;
}
