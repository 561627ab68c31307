import type { Database } from '../../src/platform/db/connection.ts';
import { announceSettingsChanged } from '../../src/platform/settings/repository.ts';

function dataTypeOf(value: unknown): 'boolean' | 'number' | 'json' | 'string' {
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return 'number';
  return typeof value === 'object' ? 'json' : 'string';
}

/**
 * Writes a setting straight into the table (a key not seeded gets a row typed by its value), then tells the
 * settings cache of every app on this database, as a write through the settings service would.
 */
export async function setSetting(
  database: Database,
  key: string,
  value: unknown,
  sensitive = false,
): Promise<void> {
  await database.db
    .insertInto('system_settings')
    .values({ key, value: JSON.stringify(value), data_type: dataTypeOf(value), is_sensitive: sensitive })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: JSON.stringify(value) }))
    .execute();
  await announceSettingsChanged(database.db, key);
}
