import { defineSettings, setting, rules, type SettingTypes } from '../settings.ts';
import type { JsonValue } from '../db/schema.ts';

/** The settings of the Odoo and Google Calendar connections: type, default, rules and what each does in English and German. */
export const integrationSettings = defineSettings({
  'odoo.enabled': setting<boolean>({
    value: false,
    data_type: 'boolean',
    category: 'odoo',
    description: {
      en: 'Send leads, bookings and registrations to Odoo',
      de: 'Leads, Buchungen und Anmeldungen an Odoo übertragen',
    },
  }),
  'odoo.url': setting<string | null>({
    value: null,
    data_type: 'string',
    category: 'odoo',
    description: { en: 'Address of the Odoo server', de: 'Adresse des Odoo-Servers' },
    validation_rules: { type: ['string', 'null'], format: 'uri', pattern: '^https?://', maxLength: 500 },
  }),
  'odoo.database': setting<string | null>({
    value: null,
    data_type: 'string',
    category: 'odoo',
    description: { en: 'Odoo database name', de: 'Name der Odoo-Datenbank' },
    validation_rules: rules.optionalText(100),
  }),
  'odoo.login': setting<string | null>({
    value: null,
    data_type: 'string',
    category: 'odoo',
    description: {
      en: 'Odoo user the product signs in as',
      de: 'Odoo-Benutzer, als der sich das Produkt anmeldet',
    },
    validation_rules: rules.optionalText(255),
  }),
  'odoo.api_key': setting<string | null>({
    value: null,
    data_type: 'string',
    category: 'odoo',
    description: { en: 'API key of that Odoo user', de: 'API-Schlüssel dieses Odoo-Benutzers' },
    is_sensitive: true,
    validation_rules: rules.optionalText(500),
  }),
  'odoo.protocol': setting<'jsonrpc' | 'json2'>({
    value: 'jsonrpc',
    data_type: 'string',
    category: 'odoo',
    description: {
      en: 'Odoo API: "jsonrpc" (external JSON-RPC) or "json2" (the JSON-2 API of Odoo 19 and later)',
      de: 'Odoo-API: "jsonrpc" (externes JSON-RPC) oder "json2" (die JSON-2-API ab Odoo 19)',
    },
    validation_rules: { enum: ['jsonrpc', 'json2'] },
  }),
  'odoo.timeout_ms': setting<number>({
    value: 15000,
    data_type: 'number',
    category: 'odoo',
    description: {
      en: 'How long to wait for Odoo before a call counts as failed (milliseconds)',
      de: 'Wie lange auf Odoo gewartet wird, bevor ein Aufruf als gescheitert gilt (Millisekunden)',
    },
    validation_rules: rules.integer(1000, 120000),
  }),
  'google.enabled': setting<boolean>({
    value: false,
    data_type: 'boolean',
    category: 'google',
    description: {
      en: 'Keep consultants’ bookings in Google Calendar',
      de: 'Buchungen der Berater im Google Kalender führen',
    },
  }),
  'google.calendar_id': setting<string | null>({
    value: null,
    data_type: 'string',
    category: 'google',
    description: {
      en: 'Calendar for bookings (e.g. an address such as team@voltaic.systems)',
      de: 'Kalender für Buchungen (z. B. eine Adresse wie team@voltaic.systems)',
    },
    validation_rules: rules.optionalText(255),
  }),
  'google.credentials': setting<
    | ({ type: 'service_account'; client_email: string; private_key: string } & Record<string, JsonValue>)
    | ({
        type: 'authorized_user' | 'oauth';
        client_id: string;
        client_secret: string;
        refresh_token: string;
      } & Record<string, JsonValue>)
    | null
  >({
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
  }),
  'google.timeout_ms': setting<number>({
    value: 15000,
    data_type: 'number',
    category: 'google',
    description: {
      en: 'How long to wait for Google before a call counts as failed (milliseconds)',
      de: 'Wie lange auf Google gewartet wird, bevor ein Aufruf als gescheitert gilt (Millisekunden)',
    },
    validation_rules: rules.integer(1000, 120000),
  }),
  'google.sync_interval_minutes': setting<number>({
    value: 15,
    data_type: 'number',
    category: 'google',
    description: {
      en: 'How often busy times are read from Google Calendar (minutes)',
      de: 'Wie oft belegte Zeiten aus dem Google Kalender gelesen werden (Minuten)',
    },
    validation_rules: rules.integer(1, 1440),
  }),
});

declare module '../settings.ts' {
  interface KnownSettings extends SettingTypes<typeof integrationSettings> {}
}
