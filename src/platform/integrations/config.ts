import type { GoogleCalendarConfig, GoogleCredentials } from './google-calendar.ts';
import type { OdooConfig } from './odoo.ts';

/**
 * Where the clients' connection settings come from. Read at the moment of use (a retry, a job), so a changed
 * setting or a rotated key counts at once and no secret is ever taken from the integration log.
 */
export interface IntegrationConfigs {
  /** null: Odoo is not configured. */
  odoo(): Promise<OdooConfig | null>;
  googleCalendar(): Promise<GoogleCalendarConfig | null>;
}

/**
 * The system settings the clients are built from, named as the settings module's catalogue names them. Keys
 * the catalogue lacks (odoo.password, google.api_base, google.token_uri, google.timeout_ms) are optional:
 * JSON-RPC takes the API key in place of the password, and Google's URLs default to Google's own.
 */
export const ODOO_SETTINGS = {
  enabled: 'odoo.enabled',
  url: 'odoo.url',
  database: 'odoo.database',
  login: 'odoo.login',
  password: 'odoo.password',
  apiKey: 'odoo.api_key',
  protocol: 'odoo.protocol',
  timeoutMs: 'odoo.timeout_ms',
} as const;

export const GOOGLE_CALENDAR_SETTINGS = {
  enabled: 'google.enabled',
  calendarId: 'google.calendar_id',
  /** The service account's JSON key file as Google issues it, or {type: "authorized_user" | "oauth",
   * client_id, client_secret, refresh_token}. */
  credentials: 'google.credentials',
  apiBase: 'google.api_base',
  tokenUri: 'google.token_uri',
  timeoutMs: 'google.timeout_ms',
} as const;

type Read = (key: string) => unknown;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function positive(value: unknown): number | undefined {
  const n = typeof value === 'string' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined;
}

export function odooConfigFrom(read: Read): OdooConfig | null {
  if (read(ODOO_SETTINGS.enabled) === false) return null;
  const url = text(read(ODOO_SETTINGS.url));
  const database = text(read(ODOO_SETTINGS.database));
  if (!url || !database) return null;
  const apiKey = text(read(ODOO_SETTINGS.apiKey));
  const protocol = text(read(ODOO_SETTINGS.protocol)) === 'json2' ? 'json2' : 'jsonrpc';
  const login = text(read(ODOO_SETTINGS.login));
  const password = text(read(ODOO_SETTINGS.password));
  const timeoutMs = positive(read(ODOO_SETTINGS.timeoutMs));
  return {
    url,
    database,
    protocol,
    ...(login ? { login } : {}),
    ...(password ? { password } : {}),
    ...(apiKey ? { apiKey } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
  };
}

function credentialsFrom(value: unknown): GoogleCredentials | null {
  let parsed: unknown = value;
  if (typeof value === 'string') {
    try {
      parsed = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  if (!parsed || typeof parsed !== 'object') return null;
  const c = parsed as Record<string, unknown>;
  if (c.type === 'service_account') {
    const email = text(c.client_email);
    const key = text(c.private_key);
    if (!email || !key) return null;
    const keyId = text(c.private_key_id);
    const tokenUri = text(c.token_uri);
    const subject = text(c.subject);
    return {
      type: 'service_account',
      client_email: email,
      private_key: key,
      ...(keyId ? { private_key_id: keyId } : {}),
      ...(tokenUri ? { token_uri: tokenUri } : {}),
      ...(subject ? { subject } : {}),
    };
  }
  if (c.type === 'oauth' || c.type === 'authorized_user') {
    const id = text(c.client_id);
    const secret = text(c.client_secret);
    const refresh = text(c.refresh_token);
    if (!id || !secret || !refresh) return null;
    return { type: 'oauth', client_id: id, client_secret: secret, refresh_token: refresh };
  }
  return null;
}

export function googleCalendarConfigFrom(read: Read): GoogleCalendarConfig | null {
  if (read(GOOGLE_CALENDAR_SETTINGS.enabled) === false) return null;
  const calendarId = text(read(GOOGLE_CALENDAR_SETTINGS.calendarId));
  const credentials = credentialsFrom(read(GOOGLE_CALENDAR_SETTINGS.credentials));
  if (!calendarId || !credentials) return null;
  const apiBase = text(read(GOOGLE_CALENDAR_SETTINGS.apiBase));
  const tokenUri = text(read(GOOGLE_CALENDAR_SETTINGS.tokenUri));
  const timeoutMs = positive(read(GOOGLE_CALENDAR_SETTINGS.timeoutMs));
  return {
    calendarId,
    credentials,
    ...(apiBase ? { apiBase } : {}),
    ...(tokenUri ? { tokenUri } : {}),
    ...(timeoutMs ? { timeoutMs } : {}),
  };
}

/**
 * The configurations from a reader of settings: the settings service's `get` (which decrypts sensitive
 * values), or anything else answering a key's value. A key the reader cannot answer counts as unset.
 */
export function integrationConfigs(get: (key: string) => Promise<unknown>): IntegrationConfigs {
  const load = async (keys: readonly string[]): Promise<Read> => {
    const values = new Map<string, unknown>();
    for (const key of keys) values.set(key, await get(key).catch(() => undefined));
    return (key) => values.get(key);
  };
  return {
    odoo: async () => odooConfigFrom(await load(Object.values(ODOO_SETTINGS))),
    googleCalendar: async () => googleCalendarConfigFrom(await load(Object.values(GOOGLE_CALENDAR_SETTINGS))),
  };
}
