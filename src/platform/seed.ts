import { sql, type Kysely } from 'kysely';
import { SYSTEM_ACTOR, writeTransaction } from './audit/context.ts';
import { AppError } from './http/errors.ts';
import type { DB, JsonValue } from './db/schema.ts';
import type { Translated } from './i18n/index.ts';
import { generatePassword, hashPassword } from './security/passwords.ts';
import { SETTINGS_CHANNEL } from './settings.ts';

export interface SettingSeed {
  key: string;
  value: JsonValue;
  data_type: 'string' | 'number' | 'boolean' | 'json' | 'array';
  category: string;
  /** What the setting does, in both languages (the column holds the English text; the API serves both). */
  description: Translated;
  is_public?: boolean;
  /** Stored encrypted, shown masked, withheld from the audit trail. Its seed value must be null. */
  is_sensitive?: boolean;
  /** A JSON schema the value must satisfy (besides its data_type); `format: 'time-zone'` is an IANA zone. */
  validation_rules?: JsonValue;
}

const integer = (minimum: number, maximum: number) => ({ type: 'integer', minimum, maximum });
const optionalText = (maxLength: number) => ({
  type: ['string', 'null'],
  minLength: 1,
  maxLength,
});
const httpsUrl = { type: 'string', format: 'uri', pattern: '^https://', maxLength: 500 };

/**
 * The settings the product needs, and the security numbers the identity module reads. A new install gets these
 * values; an existing one keeps its values, while type, category, descriptions, flags, validation rules and
 * default follow this list on every seed.
 */
export const ESSENTIAL_SETTINGS: SettingSeed[] = [
  {
    key: 'site_title',
    value: { en: 'voltAIc Systems', de: 'voltAIc Systems' },
    data_type: 'json',
    category: 'general',
    description: { en: 'Site title', de: 'Titel der Website' },
    is_public: true,
    validation_rules: {
      type: 'object',
      properties: {
        en: { type: 'string', minLength: 1, maxLength: 200 },
        de: { type: 'string', minLength: 1, maxLength: 200 },
      },
      required: ['en', 'de'],
      additionalProperties: false,
    },
  },
  {
    key: 'contact_email',
    value: 'info@voltaic.systems',
    data_type: 'string',
    category: 'general',
    description: { en: 'Primary contact email', de: 'Wichtigste Kontakt-E-Mail-Adresse' },
    is_public: true,
    validation_rules: { type: 'string', format: 'email', maxLength: 255 },
  },
  {
    key: 'timezone',
    value: 'Europe/Berlin',
    data_type: 'string',
    category: 'general',
    description: { en: 'Default timezone', de: 'Standard-Zeitzone' },
    is_public: true,
    validation_rules: { type: 'string', format: 'time-zone' },
  },
  {
    key: 'languages',
    value: ['en', 'de'],
    data_type: 'array',
    category: 'localization',
    description: { en: 'Supported languages', de: 'Unterstützte Sprachen' },
    is_public: true,
    validation_rules: {
      type: 'array',
      items: { enum: ['en', 'de'] },
      minItems: 1,
      uniqueItems: true,
    },
  },
  {
    key: 'security.max_login_attempts',
    value: 5,
    data_type: 'number',
    category: 'security',
    description: {
      en: 'Failed logins in a row that lock an account',
      de: 'Fehlgeschlagene Anmeldungen in Folge, nach denen ein Konto gesperrt wird',
    },
    validation_rules: integer(1, 100),
  },
  {
    key: 'security.lockout_minutes',
    value: 15,
    data_type: 'number',
    category: 'security',
    description: {
      en: 'How long a locked account stays locked',
      de: 'Wie lange ein gesperrtes Konto gesperrt bleibt (Minuten)',
    },
    validation_rules: integer(1, 1440),
  },
  {
    key: 'security.require_2fa_for_super_admins',
    value: false,
    data_type: 'boolean',
    category: 'security',
    description: {
      en: 'Super admins must enrol in two-factor authentication before they can do anything else',
      de: 'Super-Admins müssen die Zwei-Faktor-Authentifizierung einrichten, bevor sie etwas anderes tun können',
    },
  },
  {
    key: 'booking.min_notice_hours',
    value: 24,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'How many hours ahead a consultation must be booked at least',
      de: 'Mindestvorlauf einer Buchung in Stunden',
    },
    is_public: true,
    validation_rules: integer(0, 720),
  },
  {
    key: 'booking.horizon_days',
    value: 60,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'How many days ahead consultations can be booked',
      de: 'Wie viele Tage im Voraus Beratungen gebucht werden können',
    },
    is_public: true,
    validation_rules: integer(1, 365),
  },
  {
    key: 'booking.buffer_minutes',
    value: 15,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'Free minutes kept between two bookings of a consultant',
      de: 'Freie Minuten zwischen zwei Buchungen eines Beraters',
    },
    validation_rules: integer(0, 240),
  },
  {
    key: 'booking.slot_interval_minutes',
    value: 30,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'Bookable start times are this many minutes apart',
      de: 'Abstand der buchbaren Anfangszeiten in Minuten',
    },
    validation_rules: { ...integer(5, 240), multipleOf: 5 },
  },
  {
    key: 'booking.max_per_day',
    value: 8,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'Most bookings one consultant takes on one day',
      de: 'Höchstzahl der Buchungen eines Beraters an einem Tag',
    },
    validation_rules: integer(1, 48),
  },
  {
    key: 'booking.cancellation_cutoff_hours',
    value: 24,
    data_type: 'number',
    category: 'booking',
    description: {
      en: 'Clients can cancel or move a booking until this many hours before it starts',
      de: 'Bis wie viele Stunden vor Beginn Kunden eine Buchung absagen oder verschieben können',
    },
    is_public: true,
    validation_rules: integer(0, 720),
  },
  {
    key: 'booking.meeting_base_url',
    value: 'https://meet.jit.si',
    data_type: 'string',
    category: 'booking',
    description: {
      en: 'Jitsi server for online meetings; each booking gets a room below it',
      de: 'Jitsi-Server für Online-Termine; jede Buchung erhält dort einen eigenen Raum',
    },
    validation_rules: httpsUrl,
  },
  {
    key: 'mail.from',
    value: 'no-reply@voltaic.systems',
    data_type: 'string',
    category: 'mail',
    description: { en: 'Sender address of outgoing mail', de: 'Absenderadresse ausgehender E-Mails' },
    validation_rules: { type: 'string', format: 'email', maxLength: 255 },
  },
  {
    key: 'mail.from_name',
    value: 'voltAIc Systems',
    data_type: 'string',
    category: 'mail',
    description: { en: 'Sender name of outgoing mail', de: 'Absendername ausgehender E-Mails' },
    validation_rules: { type: 'string', minLength: 1, maxLength: 100, pattern: '^[^<>"\\r\\n]+$' },
  },
  {
    key: 'odoo.enabled',
    value: false,
    data_type: 'boolean',
    category: 'odoo',
    description: {
      en: 'Send leads, bookings and registrations to Odoo',
      de: 'Leads, Buchungen und Anmeldungen an Odoo übertragen',
    },
  },
  {
    key: 'odoo.url',
    value: null,
    data_type: 'string',
    category: 'odoo',
    description: { en: 'Address of the Odoo server', de: 'Adresse des Odoo-Servers' },
    validation_rules: { type: ['string', 'null'], format: 'uri', pattern: '^https?://', maxLength: 500 },
  },
  {
    key: 'odoo.database',
    value: null,
    data_type: 'string',
    category: 'odoo',
    description: { en: 'Odoo database name', de: 'Name der Odoo-Datenbank' },
    validation_rules: optionalText(100),
  },
  {
    key: 'odoo.login',
    value: null,
    data_type: 'string',
    category: 'odoo',
    description: {
      en: 'Odoo user the product signs in as',
      de: 'Odoo-Benutzer, als der sich das Produkt anmeldet',
    },
    validation_rules: optionalText(255),
  },
  {
    key: 'odoo.api_key',
    value: null,
    data_type: 'string',
    category: 'odoo',
    description: { en: 'API key of that Odoo user', de: 'API-Schlüssel dieses Odoo-Benutzers' },
    is_sensitive: true,
    validation_rules: optionalText(500),
  },
  {
    key: 'odoo.protocol',
    value: 'jsonrpc',
    data_type: 'string',
    category: 'odoo',
    description: {
      en: 'Odoo API: "jsonrpc" (external JSON-RPC) or "json2" (the JSON-2 API of Odoo 19 and later)',
      de: 'Odoo-API: "jsonrpc" (externes JSON-RPC) oder "json2" (die JSON-2-API ab Odoo 19)',
    },
    validation_rules: { enum: ['jsonrpc', 'json2'] },
  },
  {
    key: 'odoo.timeout_ms',
    value: 15000,
    data_type: 'number',
    category: 'odoo',
    description: {
      en: 'How long to wait for Odoo before a call counts as failed (milliseconds)',
      de: 'Wie lange auf Odoo gewartet wird, bevor ein Aufruf als gescheitert gilt (Millisekunden)',
    },
    validation_rules: integer(1000, 120000),
  },
  {
    key: 'google.enabled',
    value: false,
    data_type: 'boolean',
    category: 'google',
    description: {
      en: 'Keep consultants’ bookings in Google Calendar',
      de: 'Buchungen der Berater im Google Kalender führen',
    },
  },
  {
    key: 'google.calendar_id',
    value: null,
    data_type: 'string',
    category: 'google',
    description: {
      en: 'Calendar for bookings (e.g. an address such as team@voltaic.systems)',
      de: 'Kalender für Buchungen (z. B. eine Adresse wie team@voltaic.systems)',
    },
    validation_rules: optionalText(255),
  },
  {
    key: 'google.credentials',
    value: null,
    data_type: 'json',
    category: 'google',
    description: {
      en: 'Service account key (the JSON file Google issues), or an OAuth client with its refresh token',
      de: 'Schlüssel des Dienstkontos (die JSON-Datei von Google) oder ein OAuth-Client mit seinem Refresh-Token',
    },
    is_sensitive: true,
    validation_rules: {
      type: ['object', 'null'],
      properties: { type: { enum: ['service_account', 'authorized_user', 'oauth'] } },
      required: ['type'],
      if: { properties: { type: { const: 'service_account' } } },
      then: {
        properties: {
          client_email: { type: 'string', format: 'email' },
          private_key: { type: 'string', pattern: '-----BEGIN PRIVATE KEY-----' },
        },
        required: ['client_email', 'private_key'],
      },
      else: {
        properties: {
          client_id: { type: 'string', minLength: 1 },
          client_secret: { type: 'string', minLength: 1 },
          refresh_token: { type: 'string', minLength: 1 },
        },
        required: ['client_id', 'client_secret', 'refresh_token'],
      },
    },
  },
  {
    key: 'google.timeout_ms',
    value: 15000,
    data_type: 'number',
    category: 'google',
    description: {
      en: 'How long to wait for Google before a call counts as failed (milliseconds)',
      de: 'Wie lange auf Google gewartet wird, bevor ein Aufruf als gescheitert gilt (Millisekunden)',
    },
    validation_rules: integer(1000, 120000),
  },
  {
    key: 'google.sync_interval_minutes',
    value: 15,
    data_type: 'number',
    category: 'google',
    description: {
      en: 'How often busy times are read from Google Calendar (minutes)',
      de: 'Wie oft belegte Zeiten aus dem Google Kalender gelesen werden (Minuten)',
    },
    validation_rules: integer(1, 1440),
  },
  {
    key: 'media.max_upload_mb',
    value: 25,
    data_type: 'number',
    category: 'media',
    description: {
      en: 'Largest file that can be uploaded to the media library (MB)',
      de: 'Größte Datei, die in die Mediathek hochgeladen werden kann (MB)',
    },
    validation_rules: integer(1, 1024),
  },
];

export interface FirstAdmin {
  email: string;
  /** Set only when the password was generated: it must be shown to the operator once. */
  generatedPassword?: string;
}

export interface AdminInput {
  email: string;
  password?: string | undefined;
  firstName?: string;
  lastName?: string;
  role?: 'super_admin' | 'admin' | 'editor' | 'viewer';
}

/** Creates an admin user; a missing password is generated and returned so it can be shown once. */
export async function createAdmin(db: Kysely<DB>, input: AdminInput): Promise<FirstAdmin & { id: string }> {
  const password = input.password ?? generatePassword();
  const role = input.role ?? 'super_admin';
  const hashed = await hashPassword(password);
  const row = await writeTransaction(db, SYSTEM_ACTOR, (trx) =>
    trx
      .insertInto('admin_users')
      .values({
        email: input.email.toLowerCase(),
        hashed_password: hashed,
        first_name: input.firstName ?? 'System',
        last_name: input.lastName ?? 'Administrator',
        role,
        is_superuser: role === 'super_admin',
        password_changed_at: new Date(),
      })
      .returning('id')
      .executeTakeFirstOrThrow(),
  );
  return {
    id: row.id,
    email: input.email.toLowerCase(),
    ...(input.password ? {} : { generatedPassword: password }),
  };
}

/** The live (not deleted) user with this e-mail, in any spelling. */
export function findLiveUserByEmail(db: Kysely<DB>, email: string) {
  return db
    .selectFrom('admin_users')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['email']), '=', email.toLowerCase()))
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
}

export interface EssentialsReport {
  settingsCreated: number;
  /** Present when this run created the first super admin. */
  firstAdmin?: FirstAdmin;
}

/**
 * Idempotent: settings that exist keep their values (their description, flags and rules follow the code); a
 * super admin is created only when none is active.
 */
export async function seedEssentials(
  db: Kysely<DB>,
  admin: { email: string; password: string | undefined },
): Promise<EssentialsReport> {
  const inserted = await writeTransaction(db, SYSTEM_ACTOR, async (trx) => {
    // Running instances drop their cached settings (new rules, descriptions) when this commits.
    await sql`SELECT pg_notify(${SETTINGS_CHANNEL}, '*')`.execute(trx);
    return (
      trx
        .insertInto('system_settings')
        .values(
          ESSENTIAL_SETTINGS.map((s) => ({
            key: s.key,
            value: JSON.stringify(s.value),
            default_value: JSON.stringify(s.value),
            data_type: s.data_type,
            category: s.category,
            description: s.description.en,
            is_public: s.is_public ?? false,
            is_sensitive: s.is_sensitive ?? false,
            validation_rules: s.validation_rules === undefined ? null : JSON.stringify(s.validation_rules),
          })),
        )
        // An existing setting keeps its value; what describes it follows the code.
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
        .execute()
    );
  });
  const report: EssentialsReport = { settingsCreated: inserted.filter((row) => row.inserted).length };
  const superAdmin = await db
    .selectFrom('admin_users')
    .select('id')
    .where('role', '=', 'super_admin')
    .where('is_active', '=', true)
    .where('deleted_at', 'is', null)
    .executeTakeFirst();
  if (!superAdmin) {
    if (await findLiveUserByEmail(db, admin.email))
      throw new AppError('setup.admin_email_taken', 500, { email: admin.email });
    const created = await createAdmin(db, admin);
    report.firstAdmin = {
      email: created.email,
      ...(created.generatedPassword ? { generatedPassword: created.generatedPassword } : {}),
    };
  }
  return report;
}
