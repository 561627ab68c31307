import { sql, type Kysely } from 'kysely';
import type { DB, JsonValue } from '../db/schema.ts';

/**
 * The platform's queries of system_settings: a plain read for code without the settings service at hand, and
 * the seed's upsert of the catalogue. The settings module keeps its own in src/modules/settings/repository.ts.
 */

/** Every change of system_settings NOTIFYs this channel (payload: the key, or "*"); caches listen to it. */
export const SETTINGS_CHANNEL = 'magnetiq_settings';

/** A setting of the catalogue as the table stores it. */
export interface CatalogueRow {
  key: string;
  value: JsonValue;
  data_type: string;
  category: string;
  /** The English text (the API serves both languages from the code). */
  description: string;
  is_public: boolean;
  is_sensitive: boolean;
  validation_rules: JsonValue | null;
}

/** The stored value of a setting that is not sensitive (a sensitive one is never read here); undefined when absent. */
export async function plainSettingValue(db: Kysely<DB>, key: string): Promise<JsonValue | undefined> {
  const row = await db
    .selectFrom('system_settings')
    .select('value')
    .where('key', '=', key)
    .where('is_sensitive', '=', false)
    .executeTakeFirst();
  return row?.value;
}

/**
 * Writes the catalogue: a missing setting is inserted with its default; an existing one keeps its value while
 * what describes it (type, category, description, flags, rules, default) follows the code. Answers how many
 * settings were inserted.
 */
export async function upsertSettings(db: Kysely<DB>, catalogue: readonly CatalogueRow[]): Promise<number> {
  const rows = await db
    .insertInto('system_settings')
    .values(
      catalogue.map((s) => ({
        ...s,
        value: JSON.stringify(s.value),
        default_value: JSON.stringify(s.value),
        validation_rules: s.validation_rules === null ? null : JSON.stringify(s.validation_rules),
      })),
    )
    .onConflict((oc) =>
      oc.column('key').doUpdateSet((eb) => ({
        data_type: eb.ref('excluded.data_type'),
        category: eb.ref('excluded.category'),
        description: eb.ref('excluded.description'),
        is_public: eb.ref('excluded.is_public'),
        is_sensitive: eb.ref('excluded.is_sensitive'),
        validation_rules: eb.ref('excluded.validation_rules'),
        default_value: eb.ref('excluded.default_value'),
      })),
    )
    // xmax is 0 only on a row this statement inserted.
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .execute();
  return rows.filter((row) => row.inserted).length;
}

/** Tells every listening instance that `key` ("*": every setting) changed, when the transaction commits. */
export async function announceSettingsChanged(db: Kysely<DB>, key: string): Promise<void> {
  await sql`SELECT pg_notify(${SETTINGS_CHANNEL}, ${key})`.execute(db);
}
