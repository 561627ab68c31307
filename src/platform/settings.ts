import type { Kysely } from 'kysely';
import type { DB, JsonValue } from './db/schema.ts';
import type { Translated } from './i18n/index.ts';
import { plainSettingValue } from './settings/repository.ts';

export { SETTINGS_CHANNEL } from './settings/repository.ts';

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
  const value: unknown = await plainSettingValue(db, key);
  return typeof value === typeof fallback ? (value as T) : fallback;
}

export type SettingDataType = 'string' | 'number' | 'boolean' | 'json' | 'array';

/**
 * One setting as its owner declares it in its `settings.ts`: its type (the parameter of `setting<T>()`), default,
 * JSON schema and what it does in both languages. The seed writes these; `SettingsService.get` is typed by them.
 */
export interface SettingDefinition<T = unknown> {
  /** The default: what a new install starts with (a sensitive setting's is null). */
  value: T;
  data_type: SettingDataType;
  category: string;
  /** What the setting does, in both languages (the column holds the English text; the API serves both). */
  description: Translated;
  is_public?: boolean;
  /** Stored encrypted, shown masked, withheld from the audit trail. Its default must be null. */
  is_sensitive?: boolean;
  /** A JSON schema the value must satisfy (besides its data_type); `format: 'time-zone'` is an IANA zone. */
  validation_rules?: JsonValue;
}

/** A setting whose value has type T. */
export function setting<T>(definition: SettingDefinition<T>): SettingDefinition<T> {
  return definition;
}

/** A module's settings, keyed by setting key. */
export function defineSettings<const S extends Record<string, SettingDefinition>>(settings: S): S {
  return settings;
}

/** The value types of a module's settings, for `KnownSettings`. */
export type SettingTypes<S> = { [K in keyof S]: S[K] extends SettingDefinition<infer T> ? T : never };

/**
 * The type of every setting's value by key. Each owner's `settings.ts` adds its own keys by declaration
 * merging (`interface KnownSettings extends SettingTypes<typeof mySettings> {}`), so the types have one source.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging
export interface KnownSettings {}

/** A setting with its key, as the seed and the settings API list them. */
export type SettingSeed = Omit<SettingDefinition, 'value'> & { key: string; value: JsonValue };

/** Flattens owners' `defineSettings` objects into one list. */
export function catalogueOf(...owners: Record<string, SettingDefinition>[]): SettingSeed[] {
  return owners.flatMap((owner) =>
    Object.entries(owner).map(([key, definition]): SettingSeed => ({
      key,
      ...definition,
      value: definition.value as JsonValue,
    })),
  );
}

/** Rules that several settings share. */
export const rules = {
  integer: (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum }),
  optionalText: (maxLength: number) => ({ type: ['string', 'null'], minLength: 1, maxLength }),
  httpsUrl: { type: 'string', format: 'uri', pattern: '^https://', maxLength: 500 },
};
