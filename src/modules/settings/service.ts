import { writeTransaction, type AuditActor } from '../../platform/audit/context.ts';
import type { Database } from '../../platform/db/connection.ts';
import type { JsonValue } from '../../platform/db/schema.ts';
import { staleVersion } from '../../platform/http/errors.ts';
import { iso } from '../../platform/http/schemas.ts';
import { SETTINGS_CHANNEL, type KnownSettings } from '../../platform/settings.ts';
import { decryptSecret, encryptSecret } from '../../platform/security/crypto.ts';
import { SETTINGS_CATALOGUE } from '../../settings-catalogue.ts';
import { settingError } from './errors.ts';
import {
  allSettings,
  lockSetting,
  notifySettingChanged,
  updateSettingValue,
  type SettingRow as Row,
} from './repository.ts';
import { MASK, type DataType, type SettingView } from './schemas.ts';
import { SettingValidator } from './validate.ts';

export { SETTINGS_CHANNEL };
export type { SettingView };

/** A sensitive value at rest: this prefix, then encryptSecret's `v1.<iv>.<tag>.<ciphertext>`, as a JSON string. */
const SEALED = 'enc:';

const DESCRIPTIONS = new Map(SETTINGS_CATALOGUE.map((s) => [s.key, s.description]));

export interface SettingsDeps {
  database: Database;
  appSecret: string;
}

/** What code reads settings through: the service, or a snapshot of it (inside a transaction). */
export interface SettingsReader {
  get<K extends keyof KnownSettings>(key: K): Promise<KnownSettings[K]>;
  get(key: string): Promise<JsonValue>;
}

/**
 * System settings: typed reads for code (sensitive ones decrypted), masked views for the API, validated and
 * version-checked writes. Reads come from an in-process copy of the table while the instance listens for
 * changes (start()); a write NOTIFYs inside its transaction, so every listening instance drops its copy when
 * the write commits. While not listening (before start(), or while the server connection is down) every read
 * goes to the database.
 */
export class SettingsService {
  readonly #validator = new SettingValidator();
  #snapshot: Map<string, Row> | undefined;
  /** Moves on every invalidation: a load that began before one must not be kept. */
  #generation = 0;
  #listening = false;
  #unlisten: (() => Promise<void>) | undefined;

  constructor(private readonly deps: SettingsDeps) {}

  /** Whether reads may come from the in-process copy (the change subscription is live). */
  get listening(): boolean {
    return this.#listening;
  }

  async start(): Promise<void> {
    if (this.#unlisten) return;
    this.#unlisten = await this.deps.database.listen(
      SETTINGS_CHANNEL,
      () => {
        this.#invalidate();
      },
      (live) => {
        this.#listening = live;
        this.#invalidate();
      },
    );
    this.#listening = true;
    this.#invalidate();
  }

  async stop(): Promise<void> {
    this.#listening = false;
    this.#invalidate();
    const unlisten = this.#unlisten;
    this.#unlisten = undefined;
    await unlisten?.();
  }

  #invalidate(): void {
    this.#generation += 1;
    this.#snapshot = undefined;
  }

  async #rows(): Promise<Map<string, Row>> {
    if (this.#snapshot) return this.#snapshot;
    const generation = this.#generation;
    const rows = await allSettings(this.deps.database.db);
    const snapshot = new Map(rows.map((row) => [row.key, row]));
    if (this.#listening && generation === this.#generation) this.#snapshot = snapshot;
    return snapshot;
  }

  async #row(key: string): Promise<Row> {
    const row = (await this.#rows()).get(key);
    if (!row) throw settingError('settings.not_found', { key });
    return row;
  }

  #purpose(key: string): string {
    return `setting:${key}`;
  }

  #seal(key: string, value: JsonValue): string {
    return SEALED + encryptSecret(this.deps.appSecret, this.#purpose(key), JSON.stringify(value));
  }

  /** The clear value of a row; a sensitive one is decrypted (a value stored before it was flagged is clear). */
  #clear(row: Row): JsonValue {
    const stored = row.value;
    if (!row.is_sensitive || typeof stored !== 'string' || !stored.startsWith(SEALED)) return stored;
    try {
      return JSON.parse(
        decryptSecret(this.deps.appSecret, this.#purpose(row.key), stored.slice(SEALED.length)),
      ) as JsonValue;
    } catch {
      throw settingError('settings.secret_unreadable', { key: row.key });
    }
  }

  #view(row: Row): SettingView {
    const mask = (value: JsonValue): JsonValue => (row.is_sensitive && value !== null ? MASK : value);
    return {
      key: row.key,
      value: mask(row.value),
      data_type: row.data_type as DataType,
      category: row.category,
      description: DESCRIPTIONS.get(row.key) ?? {
        en: row.description ?? '',
        de: row.description ?? '',
      },
      is_public: row.is_public,
      is_sensitive: row.is_sensitive,
      is_set: row.value !== null,
      validation_rules: row.validation_rules,
      default_value: mask(row.default_value),
      version: row.version,
      updated_at: iso(row.updated_at),
      updated_by: row.updated_by,
    };
  }

  /** A setting's value for code that needs it: typed for the seeded keys, sensitive ones in clear. */
  get<K extends keyof KnownSettings>(key: K): Promise<KnownSettings[K]>;
  get(key: string): Promise<JsonValue>;
  async get(key: string): Promise<JsonValue> {
    return this.#value(await this.#rows(), key);
  }

  /**
   * The settings as they are now, read once. Code running inside a transaction reads through a snapshot taken
   * before it, never through the database: on PGlite the transaction holds the only connection, so a cache
   * miss inside it would wait for itself.
   */
  async snapshot(): Promise<SettingsReader> {
    const rows = await this.#rows();
    const get = (key: string): Promise<JsonValue> => Promise.resolve().then(() => this.#value(rows, key));
    return { get } satisfies SettingsReader;
  }

  #value(rows: Map<string, Row>, key: string): JsonValue {
    const row = rows.get(key);
    if (row) return this.#clear(row);
    // A known key whose row is not there (yet): the catalogue's default, so code never fails on it.
    const known = SETTINGS_CATALOGUE.find((s) => s.key === key);
    if (known) return known.value;
    throw settingError('settings.not_found', { key });
  }

  async view(key: string): Promise<SettingView> {
    return this.#view(await this.#row(key));
  }

  async list(category?: string): Promise<SettingView[]> {
    return [...(await this.#rows()).values()]
      .filter((row) => category === undefined || row.category === category)
      .sort((a, b) => (a.category ?? '').localeCompare(b.category ?? '') || a.key.localeCompare(b.key))
      .map((row) => this.#view(row));
  }

  /** The list as the API answers it. */
  async listView(category?: string): Promise<{ items: SettingView[] }> {
    return { items: await this.list(category) };
  }

  /** What the public site may know: is_public settings (never sensitive ones, the table's CHECK says so too). */
  async publicSettings(): Promise<Record<string, JsonValue>> {
    const rows = [...(await this.#rows()).values()].filter((row) => row.is_public && !row.is_sensitive);
    return Object.fromEntries(rows.sort((a, b) => a.key.localeCompare(b.key)).map((r) => [r.key, r.value]));
  }

  /**
   * Changes a setting. `version` is the one the caller read: a stale one answers 409 rather than overwrite
   * someone else's change. The value must fit the data_type and the JSON schema, else 400 with the reasons.
   */
  async set(key: string, value: JsonValue, version: number, actor: AuditActor): Promise<SettingView> {
    const updated = await writeTransaction(this.deps.database.db, actor, async (trx) => {
      const row = await lockSetting(trx, key);
      if (!row) throw settingError('settings.not_found', { key });
      const problems = this.#validator.check(row, value);
      if (problems.length > 0) {
        const summary = problems.map((p) => `${p.field} ${p.message}`).join('; ');
        throw settingError('settings.invalid_value', { key, summary }, problems);
      }
      if (row.version !== version) throw staleVersion(row.version);
      const stored = row.is_sensitive && value !== null ? this.#seal(key, value) : value;
      const result = await updateSettingValue(trx, row.id, stored, actor.userId ?? null);
      // Delivered to every listening instance when this transaction commits, and never if it rolls back.
      await notifySettingChanged(trx, key);
      return result;
    });
    this.#invalidate();
    return this.#view(updated);
  }
}
