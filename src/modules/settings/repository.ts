import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, JsonValue, SystemSettings } from '../../platform/db/schema.ts';
import { SETTINGS_CHANNEL } from '../../platform/settings.ts';

/** Every query of system_settings the settings module makes. */

export type SettingRow = Selectable<SystemSettings>;

export function allSettings(db: Kysely<DB>): Promise<SettingRow[]> {
  return db.selectFrom('system_settings').selectAll().execute();
}

/** The row of `key`, locked until the transaction ends. */
export function lockSetting(trx: Kysely<DB>, key: string): Promise<SettingRow | undefined> {
  return trx.selectFrom('system_settings').selectAll().where('key', '=', key).forUpdate().executeTakeFirst();
}

export function updateSettingValue(
  trx: Kysely<DB>,
  id: string,
  stored: JsonValue,
  updatedBy: string | null,
): Promise<SettingRow> {
  return trx
    .updateTable('system_settings')
    .set({ value: JSON.stringify(stored), updated_by: updatedBy })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Tells every listening instance that `key` changed, when (and only if) the transaction commits. */
export async function notifySettingChanged(trx: Kysely<DB>, key: string): Promise<void> {
  await sql`SELECT pg_notify(${SETTINGS_CHANNEL}, ${key})`.execute(trx);
}
