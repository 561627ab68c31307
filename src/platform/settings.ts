import type { Kysely } from 'kysely';
import type { DB } from './db/schema.ts';

/** Every change of system_settings NOTIFYs this channel (payload: the key, or "*"); caches listen to it. */
export const SETTINGS_CHANNEL = 'magnetiq_settings';

/**
 * One setting's value, or `fallback` when it is missing or of another type; straight from the table, for
 * platform code that has no SettingsService at hand (src/modules/settings: validation, caching, encryption).
 * Sensitive settings are stored encrypted and never read here.
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
    .where('is_sensitive', '=', false)
    .executeTakeFirst();
  const value: unknown = row?.value;
  return typeof value === typeof fallback ? (value as T) : fallback;
}
