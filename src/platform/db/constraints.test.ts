import { randomBytes } from 'node:crypto';
import { sql, type UpdateObject, type Updateable } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, pgError, testEngine } from '../../../test/helpers/db.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import type { Database } from './connection.ts';
import type { AdminUsers, DB } from './schema.ts';

/** The tables that carry CHECK constraints; each gets one valid fixture row that the cases try to spoil. */
type Table =
  | 'admin_users'
  | 'admin_sessions'
  | 'admin_session_rotated_tokens'
  | 'admin_recovery_codes'
  | 'mail_outbox'
  | 'user_permissions'
  | 'pages'
  | 'page_search_tokens'
  | 'media_files'
  | 'consultants'
  | 'bookings'
  | 'webinar_topics'
  | 'webinar_sessions'
  | 'webinar_registrations'
  | 'whitepapers'
  | 'system_settings'
  | 'integration_logs'
  | 'translations'
  | 'unknown_login_attempts';

/** Tables keyed by another column than id. */
const KEY: Partial<Record<Table, string>> = {
  unknown_login_attempts: 'address_digest',
  // The page's two rows (en, de): a case spoils both.
  page_search_tokens: 'page_id',
};

type Values = Record<string, unknown>;

interface Case {
  table: Table;
  /** Set on the table's fixture row: plain values, or built from the row's id. */
  set: Values | ((id: string) => Values);
  label: string;
}

interface Violation extends Case {
  constraint: string;
}

function show(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map(String).join(',')}}`;
  if (typeof value === 'string') return `'${value}'`;
  return String(value);
}

function describeValues(values: Values): string {
  return Object.entries(values)
    .map(([column, value]) => `${column} = ${show(value)}`)
    .join(', ');
}

/**
 * A case that must be refused by `constraint`; the set is type-checked against the table's columns and may hold
 * `sql` expressions (then give a label).
 */
function violates<T extends Table>(
  constraint: `ck_${NoInfer<T>}_${string}`,
  table: T,
  set: UpdateObject<DB, T> | ((id: string) => UpdateObject<DB, T>),
  label?: string,
): Violation {
  const loose = set as Values | ((id: string) => Values);
  return { constraint, table, set: loose, label: label ?? describeValues(loose as Values) };
}

/** A boundary value the constraints must let through (so a CHECK does not refuse valid data). */
function accepts<T extends Table>(table: T, set: Updateable<DB[T]>): Case {
  const loose = set as Values;
  return { table, set: loose, label: describeValues(loose) };
}

const T0 = new Date('2027-01-01T10:00:00.000Z');
const HOUR_BEFORE = new Date(T0.getTime() - 3_600_000);
const FAR_FUTURE = new Date('2099-01-01T00:00:00.000Z');
const MINUTE_BEFORE = new Date(T0.getTime() - 60_000);
const HOUR_AFTER = new Date(T0.getTime() + 3_600_000);
const DIGEST = '0123456789abcdef'.repeat(4);

const VIOLATIONS: Violation[] = [
  // admin_users
  violates('ck_admin_users_role', 'admin_users', { role: 'god' }),
  violates('ck_admin_users_role', 'admin_users', { role: 'Admin' }),
  violates('ck_admin_users_language', 'admin_users', { language: 'fr' }),
  violates('ck_admin_users_login_attempts', 'admin_users', { login_attempts: -1 }),
  violates('ck_admin_users_reset_token_hashed', 'admin_users', { password_reset_token: 'raw-reset-token' }),
  violates('ck_admin_users_reset_token_hashed', 'admin_users', {
    password_reset_token: DIGEST.toUpperCase(),
  }),
  violates('ck_admin_users_reset_token_hashed', 'admin_users', { password_reset_token: DIGEST.slice(1) }),
  violates('ck_admin_users_totp_enabled', 'admin_users', { totp_enabled_at: T0, totp_secret: null }),

  // admin_sessions
  // created_at is generated, so the expiry is moved relative to the row's own created_at.
  violates(
    'ck_admin_sessions_valid_expiry',
    'admin_sessions',
    {
      expires_at: sql<Date>`created_at - interval '1 hour'`,
      access_expires_at: sql<Date>`created_at - interval '1 hour'`,
    },
    "expires_at = access_expires_at = created_at - interval '1 hour'",
  ),
  violates(
    'ck_admin_sessions_valid_expiry',
    'admin_sessions',
    { expires_at: sql<Date>`created_at`, access_expires_at: sql<Date>`created_at` },
    'expires_at = access_expires_at = created_at',
  ),
  violates(
    'ck_admin_sessions_access_expiry',
    'admin_sessions',
    { access_expires_at: sql<Date>`expires_at + interval '1 second'` },
    "access_expires_at = expires_at + interval '1 second'",
  ),
  violates('ck_admin_sessions_invalidated_reason', 'admin_sessions', { invalidated_reason: 'bored' }),
  violates('ck_admin_session_rotated_tokens_hashed', 'admin_session_rotated_tokens', {
    token_hash: 'raw-token',
  }),
  violates('ck_admin_session_rotated_tokens_hashed', 'admin_session_rotated_tokens', {
    token_hash: DIGEST.toUpperCase(),
  }),
  violates('ck_admin_recovery_codes_hashed', 'admin_recovery_codes', { code_hash: 'abcde-fghij' }),
  violates('ck_admin_session_rotated_tokens_nonce', 'admin_session_rotated_tokens', {
    successor_nonce: 'not-a-nonce',
  }),
  violates('ck_unknown_login_attempts_hashed', 'unknown_login_attempts', {
    address_digest: 'someone@example.com',
  }),
  violates('ck_unknown_login_attempts_attempts', 'unknown_login_attempts', { attempts: 0 }),
  violates('ck_mail_outbox_status', 'mail_outbox', { status: 'lost' }),
  violates('ck_mail_outbox_language', 'mail_outbox', { language: 'fr' }),
  violates('ck_mail_outbox_attempts', 'mail_outbox', { attempts: -1 }),
  violates('ck_mail_outbox_attachments', 'mail_outbox', {
    attachments: JSON.stringify({ filename: 'a.ics' }),
  }),
  violates('ck_admin_sessions_token_hashed', 'admin_sessions', { session_token: 'raw-session-token' }),
  violates('ck_admin_sessions_token_hashed', 'admin_sessions', { session_token: DIGEST.toUpperCase() }),
  violates('ck_admin_sessions_refresh_hashed', 'admin_sessions', { refresh_token: 'raw-refresh-token' }),
  violates('ck_admin_sessions_refresh_hashed', 'admin_sessions', { refresh_token: `${DIGEST}0` }),

  // user_permissions
  violates(
    'ck_user_permissions_expiry',
    'user_permissions',
    { expires_at: sql<Date>`granted_at - interval '1 hour'` },
    "expires_at = granted_at - interval '1 hour'",
  ),
  violates(
    'ck_user_permissions_expiry',
    'user_permissions',
    { expires_at: sql<Date>`granted_at` },
    'expires_at = granted_at',
  ),

  // pages
  violates('ck_pages_status', 'pages', { status: 'deleted' }),
  violates('ck_pages_not_own_parent', 'pages', (id) => ({ parent_id: id }), 'parent_id = its own id'),
  violates('ck_pages_scheduled_has_time', 'pages', { status: 'scheduled', scheduled_at: null }),

  // page_search_tokens
  violates('ck_page_search_tokens_lang', 'page_search_tokens', { lang: 'fr' }),
  violates('ck_page_search_tokens_text_lang', 'page_search_tokens', { text_lang: 'EN' }),

  // media_files
  violates('ck_media_files_size', 'media_files', { file_size: -1 }),
  violates('ck_media_files_dimensions', 'media_files', { width: 0, height: 600 }),
  violates('ck_media_files_dimensions', 'media_files', { width: 800, height: -1 }),
  violates('ck_media_files_dimensions', 'media_files', { width: -5, height: null }),
  violates('ck_media_files_dimensions', 'media_files', { width: 800, height: null }),
  violates('ck_media_files_dimensions', 'media_files', { width: null, height: 600 }),
  violates('ck_media_files_duration', 'media_files', { duration: -1 }),
  violates('ck_media_files_hash', 'media_files', { file_hash: 'abc' }),
  violates('ck_media_files_hash', 'media_files', { file_hash: DIGEST.toUpperCase() }),
  violates('ck_media_files_variants', 'media_files', { variants: JSON.stringify({ width: 320 }) }),

  // consultants
  violates('ck_consultants_average_rating', 'consultants', { average_rating: '0.99' }),
  violates('ck_consultants_average_rating', 'consultants', { average_rating: '5.01' }),
  violates('ck_consultants_total_bookings', 'consultants', { total_bookings: -1 }),
  violates('ck_consultants_languages', 'consultants', { languages: ['fr'] }),
  violates('ck_consultants_languages', 'consultants', { languages: ['en', 'fr'] }),
  violates('ck_consultants_languages', 'consultants', { languages: [] }),

  // bookings
  violates('ck_bookings_status', 'bookings', { status: 'pending' }),
  violates('ck_bookings_meeting_type', 'bookings', { meeting_type: 'carrier_pigeon' }),
  violates('ck_bookings_duration', 'bookings', { duration: 45 }),
  violates('ck_bookings_duration', 'bookings', { duration: 0 }),
  violates('ck_bookings_rating', 'bookings', { client_rating: 0 }),
  violates('ck_bookings_rating', 'bookings', { client_rating: 6 }),
  violates('ck_bookings_reference', 'bookings', { reference: 'VLT-20270101-abcd' }),
  violates('ck_bookings_reference', 'bookings', { reference: 'ABC-20270101-ABCD' }),
  violates('ck_bookings_reference', 'bookings', { reference: 'VLT-2027011-ABCD' }),
  violates('ck_bookings_language', 'bookings', { language: 'fr' }),
  violates('ck_bookings_sequence', 'bookings', { sequence: -1 }),
  violates('ck_bookings_cancelled_by', 'bookings', { cancelled_by: 'robot' }),
  violates('ck_bookings_cancellation', 'bookings', { status: 'confirmed', cancelled_at: new Date() }),
  violates('ck_bookings_cancellation_reason_length', 'bookings', { cancellation_reason: 'x'.repeat(2001) }),
  violates('ck_bookings_feedback', 'bookings', { client_rating: null, feedback_at: new Date() }),

  // webinar_topics
  violates('ck_webinar_topics_difficulty', 'webinar_topics', { difficulty_level: 'expert' }),
  violates('ck_webinar_topics_duration', 'webinar_topics', { default_duration: 0 }),
  violates('ck_webinar_topics_price', 'webinar_topics', { default_price: '-0.01' }),
  violates('ck_webinar_topics_capacity', 'webinar_topics', { default_capacity: 0 }),

  // webinar_sessions
  violates('ck_webinar_sessions_status', 'webinar_sessions', { status: 'postponed' }),
  violates('ck_webinar_sessions_duration', 'webinar_sessions', { duration: 0 }),
  violates('ck_webinar_sessions_price', 'webinar_sessions', { price: '-1.00' }),
  violates('ck_webinar_sessions_currency', 'webinar_sessions', { currency: 'eur' }),
  violates('ck_webinar_sessions_currency', 'webinar_sessions', { currency: 'E1R' }),
  violates('ck_webinar_sessions_capacity', 'webinar_sessions', { capacity: 0 }),
  violates('ck_webinar_sessions_counts', 'webinar_sessions', { registration_count: -1 }),
  violates('ck_webinar_sessions_counts', 'webinar_sessions', { attendance_count: -1 }),
  violates('ck_webinar_sessions_completion_rate', 'webinar_sessions', { completion_rate: '-0.01' }),
  violates('ck_webinar_sessions_completion_rate', 'webinar_sessions', { completion_rate: '100.01' }),
  violates('ck_webinar_sessions_average_rating', 'webinar_sessions', { average_rating: '0.50' }),
  violates('ck_webinar_sessions_average_rating', 'webinar_sessions', { average_rating: '5.50' }),
  violates('ck_webinar_sessions_registration_window', 'webinar_sessions', {
    registration_opens_at: T0,
    registration_closes_at: HOUR_BEFORE,
  }),
  violates('ck_webinar_sessions_registration_window', 'webinar_sessions', {
    registration_opens_at: T0,
    registration_closes_at: T0,
  }),

  // webinar_registrations
  violates('ck_webinar_registrations_status', 'webinar_registrations', { status: 'waitlisted' }),
  violates('ck_webinar_registrations_payment', 'webinar_registrations', { payment_status: 'free' }),
  violates('ck_webinar_registrations_rating', 'webinar_registrations', { rating: 0 }),
  violates('ck_webinar_registrations_rating', 'webinar_registrations', { rating: 6 }),
  violates('ck_webinar_registrations_payment_amount', 'webinar_registrations', { payment_amount: '-1.00' }),
  violates('ck_webinar_registrations_engagement', 'webinar_registrations', { questions_asked: -1 }),
  violates('ck_webinar_registrations_engagement', 'webinar_registrations', { chat_messages: -1 }),
  violates('ck_webinar_registrations_engagement', 'webinar_registrations', { attendance_duration: -1 }),
  violates('ck_webinar_registrations_attendance', 'webinar_registrations', {
    joined_at: T0,
    left_at: MINUTE_BEFORE,
  }),

  // whitepapers
  violates('ck_whitepapers_status', 'whitepapers', { status: 'scheduled' }),
  violates('ck_whitepapers_difficulty', 'whitepapers', { difficulty_level: 'expert' }),
  violates('ck_whitepapers_counts', 'whitepapers', { view_count: -1 }),
  violates('ck_whitepapers_counts', 'whitepapers', { download_count: -1 }),
  violates('ck_whitepapers_counts', 'whitepapers', { lead_generation_count: -1 }),
  violates('ck_whitepapers_file_size', 'whitepapers', { file_size: -1 }),
  violates('ck_whitepapers_page_count', 'whitepapers', { page_count: 0 }),
  violates('ck_whitepapers_word_count', 'whitepapers', { word_count: -1 }),

  // system_settings
  violates('ck_system_settings_data_type', 'system_settings', { data_type: 'date' }),
  violates('ck_system_settings_public_not_sensitive', 'system_settings', {
    is_public: true,
    is_sensitive: true,
  }),

  // integration_logs
  violates('ck_integration_logs_direction', 'integration_logs', { direction: 'sideways' }),
  violates('ck_integration_logs_status', 'integration_logs', { status: 'pending' }),
  violates('ck_integration_logs_duration', 'integration_logs', { duration_ms: -1 }),
  violates('ck_integration_logs_attempt', 'integration_logs', { attempt: 0 }),

  // translations (fixture: en -> de)
  violates('ck_translations_status', 'translations', { status: 'draft' }),
  violates('ck_translations_method', 'translations', { translation_method: 'machine' }),
  violates('ck_translations_languages', 'translations', { source_language: 'fr' }),
  violates('ck_translations_languages', 'translations', { target_language: 'fr' }),
  violates('ck_translations_distinct_languages', 'translations', { target_language: 'en' }),
  violates('ck_translations_confidence', 'translations', { confidence_score: '-0.01' }),
  violates('ck_translations_confidence', 'translations', { confidence_score: '1.01' }),
];

/** Edge values that are valid; they run after the violations and leave every fixture row valid. */
const ACCEPTED: Case[] = [
  accepts('admin_users', { login_attempts: 0, password_reset_token: DIGEST }),
  accepts('admin_users', { password_reset_token: null }),
  accepts('admin_users', { totp_secret: 'v1.sealed', totp_enabled_at: T0 }),
  accepts('admin_users', { totp_secret: null, totp_enabled_at: null }),
  accepts('admin_sessions', { expires_at: FAR_FUTURE, refresh_token: null }),
  accepts('admin_sessions', { access_expires_at: FAR_FUTURE, invalidated_reason: 'refresh_reuse' }),
  accepts('admin_session_rotated_tokens', { token_hash: DIGEST }),
  accepts('admin_recovery_codes', { code_hash: DIGEST }),
  accepts('admin_session_rotated_tokens', { successor_nonce: DIGEST }),
  accepts('admin_session_rotated_tokens', { successor_nonce: null }),
  accepts('unknown_login_attempts', { attempts: 1, locked_until: null }),
  accepts('mail_outbox', { status: 'sent', language: 'de' }),
  accepts('mail_outbox', { attempts: 0, attachments: JSON.stringify([]) }),
  accepts('user_permissions', { expires_at: FAR_FUTURE }),
  accepts('user_permissions', { expires_at: null }),
  accepts('pages', { status: 'scheduled', scheduled_at: HOUR_AFTER }),
  accepts('media_files', { width: null, height: null, duration: 0, file_size: 0, file_hash: null }),
  accepts('consultants', { average_rating: '1.00', total_bookings: 0, languages: ['de', 'en'] }),
  accepts('consultants', { average_rating: '5.00' }),
  accepts('bookings', { client_rating: 1, duration: 30 }),
  accepts('bookings', { client_rating: 5, duration: 120 }),
  accepts('webinar_topics', { default_price: '0.00', default_capacity: null }),
  accepts('webinar_sessions', { completion_rate: '0.00', average_rating: '1.00', capacity: null }),
  accepts('webinar_sessions', {
    completion_rate: '100.00',
    average_rating: '5.00',
    registration_opens_at: T0,
    registration_closes_at: HOUR_AFTER,
  }),
  accepts('webinar_registrations', { joined_at: T0, left_at: T0, payment_amount: '0.00', rating: 5 }),
  accepts('whitepapers', { page_count: null, word_count: 0, file_size: 0 }),
  accepts('system_settings', { is_public: true, is_sensitive: false }),
  accepts('integration_logs', { duration_ms: 0 }),
  accepts('integration_logs', { attempt: 1 }),
  accepts('translations', { source_language: 'de', target_language: 'en', confidence_score: '0.00' }),
  accepts('translations', { confidence_score: '1.00' }),
];

let database: Database;
let ids: Record<Table, string>;

function fixtureId(table: Table): string {
  return ids[table];
}

/** UPDATE the fixture row of `c.table` with the case's values. */
function update(c: Case) {
  const id = fixtureId(c.table);
  const values = typeof c.set === 'function' ? c.set(id) : c.set;
  // Kysely cannot type a table chosen at run time; the values were checked against the table in violates().
  return database.db
    .updateTable(c.table as 'admin_users')
    .set(values as Updateable<AdminUsers>)
    .where((KEY[c.table] ?? 'id') as 'id', '=', id)
    .executeTakeFirstOrThrow();
}

beforeAll(async () => {
  database = await createTestDatabase();
  const { db } = database;
  const factories = Factories.for(database);
  const unique = (prefix: string) => factories.unique(prefix);
  const digest = () => randomBytes(32).toString('hex');

  const admin = await factories.admin();
  const session = await db
    .insertInto('admin_sessions')
    .values({
      user_id: admin.id,
      session_token: digest(),
      refresh_token: digest(),
      expires_at: new Date(Date.now() + 3_600_000),
      access_expires_at: new Date(Date.now() + 600_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const rotated = await db
    .insertInto('admin_session_rotated_tokens')
    .values({ token_hash: digest(), session_id: session.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const recovery = await db
    .insertInto('admin_recovery_codes')
    .values({ user_id: admin.id, code_hash: digest() })
    .returning('id')
    .executeTakeFirstOrThrow();
  const unknownAddress = await db
    .insertInto('unknown_login_attempts')
    .values({ address_digest: digest(), attempts: 2, last_failed_at: new Date() })
    .returning('address_digest')
    .executeTakeFirstOrThrow();
  const mail = await db
    .insertInto('mail_outbox')
    .values({ recipient: 'ada@example.com', subject: 'Hello', text_body: 'Hello', status: 'outbox' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const permission = await db
    .insertInto('user_permissions')
    .values({
      user_id: admin.id,
      permission: 'pages.edit',
      granted_by: admin.id,
      expires_at: new Date(Date.now() + 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const page = await factories.page(admin.id);
  const media = await db
    .insertInto('media_files')
    .values({
      filename: `${unique('media')}.png`,
      original_filename: 'diagram.png',
      file_path: 'media/diagram.png',
      file_size: 2048,
      mime_type: 'image/png',
      file_hash: digest(),
      width: 800,
      height: 600,
      title: JSON.stringify({ en: 'Diagram', de: 'Diagramm' }),
      uploaded_by: admin.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const consultant = await factories.consultant(admin.id, {
    average_rating: '4.50',
    languages: ['en', 'de'],
  });
  const booking = await factories.booking(consultant.id, { client_rating: 4 });
  const webinar = await factories.webinarSession(admin.id, { capacity: 50, price: '49.00' });
  const registration = await db
    .insertInto('webinar_registrations')
    .values({
      session_id: webinar.id,
      first_name: 'Erika',
      last_name: 'Musterfrau',
      email: 'erika@example.com',
      terms_accepted: true,
      privacy_consent: true,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const whitepaper = await factories.whitepaper(admin.id, { page_count: 24, word_count: 8000 });
  const setting = await db
    .insertInto('system_settings')
    .values({ key: unique('setting'), value: JSON.stringify('voltAIc Systems'), data_type: 'string' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const log = await db
    .insertInto('integration_logs')
    .values({
      integration_name: 'odoo',
      operation: 'export_lead',
      direction: 'outbound',
      status: 'success',
      request_data: JSON.stringify({ lead: 'erika@example.com' }),
      duration_ms: 120,
      triggered_by: admin.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const translation = await db
    .insertInto('translations')
    .values({
      namespace: 'common',
      key: unique('greeting'),
      source_language: 'en',
      target_language: 'de',
      source_text: 'Hello',
      translated_text: 'Hallo',
      status: 'translated',
      translation_method: 'ai',
      confidence_score: '0.87',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  ids = {
    admin_users: admin.id,
    admin_sessions: session.id,
    admin_session_rotated_tokens: rotated.id,
    admin_recovery_codes: recovery.id,
    mail_outbox: mail.id,
    user_permissions: permission.id,
    pages: page.id,
    // Written by the trigger of migration 0025 when the page was.
    page_search_tokens: page.id,
    media_files: media.id,
    consultants: consultant.id,
    bookings: booking.id,
    webinar_topics: webinar.topic_id,
    webinar_sessions: webinar.id,
    webinar_registrations: registration.id,
    whitepapers: whitepaper.id,
    system_settings: setting.id,
    integration_logs: log.id,
    translations: translation.id,
    unknown_login_attempts: unknownAddress.address_digest,
  };
});

afterAll(async () => {
  await database.close();
});

describe(`CHECK constraints on ${testEngine()}`, () => {
  it('start from one valid fixture row in every table that has a CHECK', async () => {
    for (const table of Object.keys(ids) as Table[]) {
      const key = (KEY[table] ?? 'id') as 'id';
      const row = await database.db
        .selectFrom(table as 'admin_users')
        .select(`${key} as id` as 'id')
        .where(key, '=', fixtureId(table))
        .executeTakeFirst();
      expect(row, table).toEqual({ id: fixtureId(table) });
    }
  });

  for (const c of VIOLATIONS) {
    it(`${c.constraint} refuses ${c.table}: ${c.label}`, async () => {
      expect(await pgError(update(c))).toEqual({ code: '23514', constraint: c.constraint });
    });
  }

  for (const c of ACCEPTED) {
    it(`accept ${c.table}: ${c.label}`, async () => {
      const result = await update(c);
      expect(result.numUpdatedRows).toBe(1n);
    });
  }

  it('cover every CHECK of the schema (a new CHECK needs a case here)', async () => {
    const { rows } = await sql<{ conname: string }>`
      SELECT DISTINCT c.conname FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
      WHERE n.nspname = 'public' AND c.contype = 'c'`.execute(database.db);
    const covered = [...new Set(VIOLATIONS.map((c) => c.constraint))].sort();
    expect(rows.map((r) => r.conname).sort()).toEqual(covered);
  });
});
