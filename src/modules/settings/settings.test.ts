import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { useTestApp, type ErrorJson } from '../../../test/fixture.ts';
import { buildTestApp, testConfig } from '../../../test/helpers/app.ts';
import { as, makeUser, signIn, type Session } from '../../../test/helpers/auth.ts';
import { secondConnection } from '../../../test/helpers/db.ts';
import { adminQuery } from '../../../test/helpers/postgres.ts';
import { SYSTEM_ACTOR } from '../../platform/audit/context.ts';
import type { Database } from '../../platform/db/connection.ts';
import { seedEssentials } from '../../platform/seed.ts';
import { SETTINGS_CATALOGUE } from '../../settings-catalogue.ts';
import { readSetting, SETTINGS_CHANNEL } from '../../platform/settings.ts';
import type { SettingView } from './schemas.ts';
import { SettingsService } from './service.ts';
import { MASK, SettingValidator } from './validate.ts';

const APP_SECRET = testConfig().appSecret ?? '';
const SECRET = 'odoo-key-4f9c2b7e-do-not-leak';
const PRIVATE_KEY =
  '-----BEGIN PRIVATE KEY-----\nMIIEvgIBADANBgkqhkiG9w0BAQEFAASC-not-leaked\n-----END PRIVATE KEY-----\n';

const t = useTestApp({
  before: async (database) => {
    await seedEssentials(database.db, { email: 'root@example.com', password: 'a long enough password' });
  },
});
const { engine } = t;
const call: typeof t.call = (...args) => t.call(...args);

let database: Database;
let adminS: Session;
let editorS: Session;
let viewerS: Session;
let adminId: string;

beforeAll(async () => {
  database = t.database;
  const [admin, editor, viewer] = await Promise.all([t.as('admin'), t.as('editor'), t.as('viewer')]);
  adminId = admin.user.id;
  [adminS, editorS, viewerS] = [admin.session, editor.session, viewer.session];
});

async function view(key: string): Promise<SettingView> {
  const res = await call(adminS, 'GET', `/api/v1/settings/${key}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<SettingView>();
}

async function put(key: string, value: unknown, version?: number): Promise<LightMyRequestResponse> {
  return call(adminS, 'PUT', `/api/v1/settings/${key}`, {
    value,
    version: version ?? (await view(key)).version,
  });
}

function error(res: LightMyRequestResponse): ErrorJson['error'] {
  return res.json<ErrorJson>().error;
}

async function storedRow(key: string) {
  return database.db
    .selectFrom('system_settings')
    .selectAll()
    .where('key', '=', key)
    .executeTakeFirstOrThrow();
}

describe(`settings API on ${engine}`, () => {
  it('lists every seeded setting, filters by category, and describes each in English and German', async () => {
    const all = await call(adminS, 'GET', '/api/v1/settings');
    expect(all.statusCode).toBe(200);
    const items = all.json<{ items: SettingView[] }>().items;
    expect(items.map((s) => s.key).sort()).toEqual(SETTINGS_CATALOGUE.map((s) => s.key).sort());

    const booking = (await call(adminS, 'GET', '/api/v1/settings?category=booking')).json<{
      items: SettingView[];
    }>().items;
    expect(booking.map((s) => s.key)).toEqual([
      'booking.buffer_minutes',
      'booking.cancellation_cutoff_hours',
      'booking.horizon_days',
      'booking.max_per_day',
      'booking.meeting_base_url',
      'booking.min_notice_hours',
      'booking.slot_interval_minutes',
    ]);
    const notice = await view('booking.min_notice_hours');
    expect(notice).toMatchObject({
      value: 24,
      data_type: 'number',
      category: 'booking',
      is_public: true,
      is_sensitive: false,
      is_set: true,
      default_value: 24,
      version: 1,
      validation_rules: { type: 'integer', minimum: 0, maximum: 720 },
    });
    expect(notice.description.de).toMatch(/Mindestvorlauf/);
  });

  it('changes a setting, moves its version, and audits who did it', async () => {
    const before = await view('booking.max_per_day');
    const res = await put('booking.max_per_day', 6, before.version);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<SettingView>()).toMatchObject({
      value: 6,
      version: before.version + 1,
      updated_by: adminId,
    });
    expect((await view('booking.max_per_day')).value).toBe(6);

    const audit = await database.db
      .selectFrom('audit_logs')
      .select(['event_type', 'user_id', 'changed_fields', 'new_values'])
      .where('table_name', '=', 'system_settings')
      .where('record_id', '=', (await storedRow('booking.max_per_day')).id)
      .where('event_type', '=', 'UPDATE')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ user_id: adminId, new_values: { value: 6 } });
    expect(audit[0]?.changed_fields).toContain('value');
  });

  it('takes JSON, array, string and null values where their rules allow them', async () => {
    for (const [key, value] of [
      ['site_title', { en: 'voltAIc Systems GmbH', de: 'voltAIc Systems GmbH' }],
      ['languages', ['de', 'en']],
      ['timezone', 'America/New_York'],
      ['odoo.url', 'https://odoo.example.com'],
      ['odoo.url', null],
      ['odoo.protocol', 'json2'],
    ] as const) {
      const res = await put(key, value);
      expect(res.statusCode, `${key}: ${res.body}`).toBe(200);
      expect(res.json<SettingView>().value).toEqual(value);
    }
  });

  it('refuses a value of the wrong data_type with 400 settings.invalid_value', async () => {
    const res = await put('booking.min_notice_hours', '24');
    expect(res.statusCode).toBe(400);
    expect(error(res)).toMatchObject({
      code: 'settings.invalid_value',
      message: 'This is not a valid value for booking.min_notice_hours: value must be a number',
      details: [{ field: 'value', code: 'data_type', message: 'must be a number' }],
    });
    for (const [key, value] of [
      ['security.require_2fa_for_super_admins', 'yes'],
      ['security.require_2fa_for_super_admins', null],
      ['languages', 'en'],
    ] as const) {
      const wrong = await put(key, value);
      expect([wrong.statusCode, error(wrong).details[0]?.code], key).toEqual([400, 'data_type']);
    }
    expect((await view('booking.min_notice_hours')).value).toBe(24);
  });

  it('refuses a value its JSON schema rejects, saying why (in the caller’s language)', async () => {
    const tooBig = await put('booking.min_notice_hours', 10_000);
    expect(tooBig.statusCode).toBe(400);
    expect(error(tooBig)).toMatchObject({
      code: 'settings.invalid_value',
      message: 'This is not a valid value for booking.min_notice_hours: value must be <= 720',
      details: [{ field: 'value', code: 'maximum', message: 'must be <= 720' }],
    });
    const german = await call(
      adminS,
      'PUT',
      '/api/v1/settings/booking.min_notice_hours',
      { value: 1.5, version: 1 },
      { 'accept-language': 'de' },
    );
    expect(error(german).message).toBe(
      'Dies ist kein gültiger Wert für booking.min_notice_hours: value must be integer',
    );

    const cases: [string, unknown, string, string][] = [
      ['contact_email', 'not an e-mail', 'format', 'must match format "email"'],
      ['timezone', 'Mars/Olympus_Mons', 'format', 'must be an IANA time zone such as Europe/Berlin'],
      ['languages', ['en', 'fr'], 'enum', 'must be one of "en", "de"'],
      ['odoo.protocol', 'xmlrpc', 'enum', 'must be one of "jsonrpc", "json2"'],
      ['booking.meeting_base_url', 'http://meet.example.com', 'pattern', 'must match pattern "^https://"'],
      ['booking.slot_interval_minutes', 7, 'multipleOf', 'must be multiple of 5'],
    ];
    for (const [key, value, keyword, message] of cases) {
      const res = await put(key, value);
      expect(res.statusCode, key).toBe(400);
      const field = key === 'languages' ? 'value.1' : 'value';
      expect(error(res).details, key).toContainEqual({ field, code: keyword, message });
    }
    const title = await put('site_title', { en: 'Only English' });
    expect(error(title).details).toEqual([
      { field: 'value.de', code: 'required', message: "must have required property 'de'" },
    ]);
    const extra = await put('site_title', { en: 'A', de: 'B', fr: 'C' });
    expect(error(extra).details).toEqual([
      { field: 'value', code: 'additionalProperties', message: 'must not have the property "fr"' },
    ]);
  });

  it('answers 400 without a value or version, 404 for an unknown key', async () => {
    const noValue = await call(adminS, 'PUT', '/api/v1/settings/timezone', { version: 1 });
    expect([noValue.statusCode, error(noValue).code]).toEqual([400, 'validation.failed']);
    expect(error(noValue).details).toContainEqual(expect.objectContaining({ field: 'body.value' }));
    const noVersion = await call(adminS, 'PUT', '/api/v1/settings/timezone', { value: 'UTC' });
    expect([noVersion.statusCode, error(noVersion).code]).toEqual([400, 'validation.failed']);

    const missing = await call(adminS, 'GET', '/api/v1/settings/no.such.setting');
    expect([missing.statusCode, error(missing).code]).toEqual([404, 'settings.not_found']);
    expect(error(missing).message).toBe('There is no setting named no.such.setting.');
    const missingPut = await put('no.such.setting', 1, 1);
    expect([missingPut.statusCode, error(missingPut).code]).toEqual([404, 'settings.not_found']);
  });

  it('refuses a stale version with 409 and keeps the newer value', async () => {
    const read = await view('booking.horizon_days');
    expect((await put('booking.horizon_days', 90, read.version)).statusCode).toBe(200);
    const stale = await put('booking.horizon_days', 30, read.version);
    expect([stale.statusCode, error(stale).code]).toEqual([409, 'conflict.stale_version']);
    expect((await view('booking.horizon_days')).value).toBe(90);
  });

  it('needs settings.read to read and settings.manage to change; a session for both', async () => {
    const viewerList = await call(viewerS, 'GET', '/api/v1/settings');
    expect([viewerList.statusCode, error(viewerList).code]).toEqual([403, 'auth.forbidden']);
    const viewerOne = await call(viewerS, 'GET', '/api/v1/settings/timezone');
    expect(viewerOne.statusCode).toBe(403);
    const editorPut = await call(editorS, 'PUT', '/api/v1/settings/timezone', { value: 'UTC', version: 1 });
    expect([editorPut.statusCode, error(editorPut).code]).toEqual([403, 'auth.forbidden']);
    for (const [method, url] of [
      ['GET', '/api/v1/settings'],
      ['GET', '/api/v1/settings/timezone'],
      ['PUT', '/api/v1/settings/timezone'],
    ] as const) {
      const res = await call(
        undefined,
        method,
        url,
        method === 'PUT' ? { value: 'UTC', version: 1 } : undefined,
      );
      expect([res.statusCode, error(res).code], url).toEqual([401, 'auth.required']);
    }
  });

  it('serves the public settings without a session, and only those', async () => {
    const res = await call(undefined, 'GET', '/api/v1/settings/public');
    expect(res.statusCode).toBe(200);
    const body = res.json<Record<string, unknown>>();
    const expected = SETTINGS_CATALOGUE.filter((s) => s.is_public).map((s) => s.key);
    expect(Object.keys(body).sort()).toEqual(expected.sort());
    expect(body['languages']).toBeInstanceOf(Array);
    expect(Object.keys(body).some((k) => k.startsWith('odoo.') || k.startsWith('security.'))).toBe(false);
    // A change shows at once.
    expect((await put('contact_email', 'hello@voltaic.systems')).statusCode).toBe(200);
    const after = (await call(undefined, 'GET', '/api/v1/settings/public')).json<Record<string, unknown>>();
    expect(after['contact_email']).toBe('hello@voltaic.systems');
  });
});

describe(`sensitive settings on ${engine}`, () => {
  it('are masked in the API, ciphertext in the table, absent from the audit trail, clear to the service', async () => {
    const unset = await view('odoo.api_key');
    expect(unset).toMatchObject({ value: null, is_set: false, is_sensitive: true });

    const res = await put('odoo.api_key', SECRET, unset.version);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<SettingView>()).toMatchObject({ value: MASK, is_set: true, version: unset.version + 1 });
    expect(res.body).not.toContain(SECRET);
    const listed = await call(adminS, 'GET', '/api/v1/settings?category=odoo');
    expect(listed.body).not.toContain(SECRET);
    expect(listed.json<{ items: SettingView[] }>().items.find((s) => s.key === 'odoo.api_key')).toMatchObject(
      {
        value: MASK,
        is_set: true,
      },
    );

    const row = await storedRow('odoo.api_key');
    expect(row.value).toMatch(/^enc:v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(JSON.stringify(row)).not.toContain(SECRET);
    const { rows: raw } = await sql<{ text: string }>`
      SELECT value::text AS text FROM system_settings WHERE key = 'odoo.api_key'`.execute(database.db);
    expect(raw[0]?.text).not.toContain(SECRET);

    const credentials = {
      type: 'service_account',
      client_email: 'sync@proj.iam.gserviceaccount.com',
      private_key: PRIVATE_KEY,
    };
    expect((await put('google.credentials', credentials)).statusCode).toBe(200);
    expect((await view('google.credentials')).value).toBe(MASK);

    const trail = await database.db
      .selectFrom('audit_logs')
      .select(['event_type', 'old_values', 'new_values', 'changed_fields', 'metadata', 'description'])
      .where('table_name', '=', 'system_settings')
      .execute();
    const text = JSON.stringify(trail);
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('not-leaked');
    expect(text).not.toContain('enc:v1');
    // The change itself is still on record.
    expect(trail.some((r) => r.event_type === 'UPDATE' && r.changed_fields?.includes('value'))).toBe(true);

    const service = new SettingsService({ database, appSecret: APP_SECRET });
    expect(await service.get('odoo.api_key')).toBe(SECRET);
    expect(await service.get('google.credentials')).toEqual(credentials);
    // Sealed under another secret, or altered: unreadable, and said so.
    const other = new SettingsService({ database, appSecret: 'another-secret-of-at-least-32-characters' });
    await expect(other.get('odoo.api_key')).rejects.toMatchObject({ code: 'settings.secret_unreadable' });
    // readSetting (the identity module's reader) never hands out a stored secret.
    expect(await readSetting(database.db, 'odoo.api_key', 'fallback')).toBe('fallback');
  });

  it('refuses the mask as a new value, validates the clear value, and can be unset', async () => {
    const masked = await put('odoo.api_key', MASK);
    expect([masked.statusCode, error(masked).details[0]?.code]).toEqual([400, 'masked']);
    const empty = await put('odoo.api_key', '');
    expect([empty.statusCode, error(empty).details[0]?.code]).toEqual([400, 'minLength']);
    expect(empty.body).not.toContain(SECRET);
    const badKey = await put('google.credentials', { type: 'service_account', client_email: 'x@y.z' });
    expect(error(badKey).details).toEqual([
      { field: 'value.private_key', code: 'required', message: "must have required property 'private_key'" },
    ]);

    const cleared = await put('odoo.api_key', null);
    expect(cleared.json<SettingView>()).toMatchObject({ value: null, is_set: false });
    expect(await new SettingsService({ database, appSecret: APP_SECRET }).get('odoo.api_key')).toBeNull();
  });
});

/**
 * Waits until every NOTIFY on the settings channel sent so far has reached this database's listeners: they
 * share one connection, which may still deliver an earlier test's notices after a new subscriber joined (each
 * one only makes a copy be read again), and notices reach the subscribers in the order they were sent.
 */
async function noticesDelivered(): Promise<void> {
  const marker = `delivered-${String(Date.now())}-${String(Math.random())}`;
  let heard!: () => void;
  const arrived = new Promise<void>((resolve) => {
    heard = resolve;
  });
  const stop = await database.listen(SETTINGS_CHANNEL, (payload) => {
    if (payload === marker) heard();
  });
  try {
    await sql`SELECT pg_notify(${SETTINGS_CHANNEL}, ${marker})`.execute(database.db);
    await arrived;
  } finally {
    await stop();
  }
}

describe(`the settings cache on ${engine}`, () => {
  it('serves reads from memory while listening, and drops them on a NOTIFY from any instance', async () => {
    const a = new SettingsService({ database, appSecret: APP_SECRET });
    const b = new SettingsService({ database, appSecret: APP_SECRET });
    await Promise.all([a.start(), b.start()]);
    await noticesDelivered();
    try {
      const version = (await storedRow('booking.buffer_minutes')).version;
      expect(await b.get('booking.buffer_minutes')).toBe(15);
      // Proof that b reads its copy: a change behind its back (no NOTIFY) is not seen...
      await database.db
        .updateTable('system_settings')
        .set({ value: JSON.stringify(20) })
        .where('key', '=', 'booking.buffer_minutes')
        .execute();
      expect(await b.get('booking.buffer_minutes')).toBe(15);
      // ...until some instance says the setting changed.
      await sql`SELECT pg_notify(${SETTINGS_CHANNEL}, 'booking.buffer_minutes')`.execute(database.db);
      await vi.waitFor(async () => {
        expect(await b.get('booking.buffer_minutes')).toBe(20);
      });

      // A write through a: a sees it at once, b on its next read once the commit's NOTIFY arrived.
      await a.set('booking.buffer_minutes', 30, version + 1, SYSTEM_ACTOR);
      expect(await a.get('booking.buffer_minutes')).toBe(30);
      await vi.waitFor(async () => {
        expect(await b.get('booking.buffer_minutes')).toBe(30);
      });

      // A write that fails (stale version) changes nothing anywhere.
      await expect(a.set('booking.buffer_minutes', 45, version, SYSTEM_ACTOR)).rejects.toMatchObject({
        code: 'conflict.stale_version',
      });
      expect(await b.get('booking.buffer_minutes')).toBe(30);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it.runIf(engine === 'pglite')(
    'on pglite: another service sees a write as soon as it commits (one process, one connection)',
    async () => {
      const a = new SettingsService({ database, appSecret: APP_SECRET });
      const b = new SettingsService({ database, appSecret: APP_SECRET });
      await Promise.all([a.start(), b.start()]);
      try {
        const { version, value } = await storedRow('booking.buffer_minutes');
        expect(await b.get('booking.buffer_minutes')).toBe(value);
        await a.set('booking.buffer_minutes', 30, version, SYSTEM_ACTOR);
        // The NOTIFY was delivered when the write committed.
        expect(await b.get('booking.buffer_minutes')).toBe(30);
      } finally {
        await Promise.all([a.stop(), b.stop()]);
      }
    },
  );

  it('reads the database every time when not listening', async () => {
    const idle = new SettingsService({ database, appSecret: APP_SECRET });
    expect(idle.listening).toBe(false);
    const before = await idle.get('media.max_upload_mb');
    await database.db
      .updateTable('system_settings')
      .set({ value: JSON.stringify(before + 1) })
      .where('key', '=', 'media.max_upload_mb')
      .execute();
    expect(await idle.get('media.max_upload_mb')).toBe(before + 1);
  });
});

describe(`settings across app instances on one database on ${engine}`, () => {
  let second: Awaited<ReturnType<typeof secondConnection>>;
  let other: FastifyInstance;
  let otherS: Session;

  beforeAll(async () => {
    // A second pool on the PostgreSQL server; on PGlite (one process) the same database.
    second = await secondConnection(database);
    other = await buildTestApp(second.database);
    const user = await makeUser(second.database, 'admin');
    otherS = await signIn(other, user);
  });

  afterAll(async () => {
    await other.close();
    await second.close();
  });

  async function valueOn(instance: FastifyInstance, session: Session, key: string): Promise<unknown> {
    const res = await instance.inject(as(session, { method: 'GET', url: `/api/v1/settings/${key}` }));
    return res.json<SettingView>().value;
  }

  it('a write on one instance reaches the other’s next read, public endpoint included', async () => {
    expect(await valueOn(other, otherS, 'booking.cancellation_cutoff_hours')).toBe(24);
    expect((await put('booking.cancellation_cutoff_hours', 48)).statusCode).toBe(200);
    await vi.waitFor(async () => {
      expect(await valueOn(other, otherS, 'booking.cancellation_cutoff_hours')).toBe(48);
    });
    const pub = await other.inject({ method: 'GET', url: '/api/v1/settings/public' });
    expect(pub.json<Record<string, unknown>>()['booking.cancellation_cutoff_hours']).toBe(48);
  });

  it.runIf(engine === 'postgres')(
    'on postgres: stops caching while its listening connection is down, and resumes once it is back',
    async () => {
      const service = new SettingsService({ database: second.database, appSecret: APP_SECRET });
      await service.start();
      try {
        expect(await service.get('booking.slot_interval_minutes')).toBe(30);
        const source = inject('testDatabase');
        if (source.engine !== 'postgres') throw new Error('PostgreSQL only');
        const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(
          second.database.db,
        );
        await adminQuery(
          source.url,
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
         WHERE application_name = 'magnetiq-listen' AND datname = '${rows[0]?.name ?? ''}'`,
        );
        await vi.waitFor(() => {
          expect(service.listening).toBe(false);
        });
        // A change now may never be announced to it: it must read the database.
        await database.db
          .updateTable('system_settings')
          .set({ value: JSON.stringify(20) })
          .where('key', '=', 'booking.slot_interval_minutes')
          .execute();
        expect(await service.get('booking.slot_interval_minutes')).toBe(20);
        await vi.waitFor(
          () => {
            expect(service.listening).toBe(true);
          },
          { timeout: 5000 },
        );
        const version = (await storedRow('booking.slot_interval_minutes')).version;
        await new SettingsService({ database, appSecret: APP_SECRET }).set(
          'booking.slot_interval_minutes',
          45,
          version,
          SYSTEM_ACTOR,
        );
        await vi.waitFor(async () => {
          expect(await service.get('booking.slot_interval_minutes')).toBe(45);
        });
      } finally {
        await service.stop();
      }
    },
  );
});

describe('the seeded settings', () => {
  it('each default passes its own rules; sensitive ones start unset and never public', () => {
    const validator = new SettingValidator();
    for (const seed of SETTINGS_CATALOGUE) {
      const setting = {
        data_type: seed.data_type,
        validation_rules: seed.validation_rules ?? null,
        is_sensitive: seed.is_sensitive ?? false,
      };
      expect(validator.check(setting, seed.value), seed.key).toEqual([]);
      if (seed.is_sensitive) {
        expect(seed.value, seed.key).toBeNull();
        expect(seed.is_public, seed.key).toBeFalsy();
      }
      expect(seed.description.en.length, seed.key).toBeGreaterThan(0);
      expect(seed.description.de.length, seed.key).toBeGreaterThan(0);
    }
  });

  it('take Google credentials as a service account key or an OAuth client', () => {
    const validator = new SettingValidator();
    const seed = SETTINGS_CATALOGUE.find((s) => s.key === 'google.credentials');
    const setting = {
      data_type: 'json',
      validation_rules: seed?.validation_rules ?? null,
      is_sensitive: true,
    };
    const oauth = { type: 'authorized_user', client_id: 'id', client_secret: 's', refresh_token: 'r' };
    expect(validator.check(setting, oauth)).toEqual([]);
    expect(validator.check(setting, { type: 'oauth', client_id: 'id' }).map((d) => d.field)).toEqual([
      'value.client_secret',
      'value.refresh_token',
    ]);
    expect(validator.check(setting, { type: 'api_key' })).toContainEqual({
      field: 'value.type',
      code: 'enum',
      message: 'must be one of "service_account", "authorized_user", "oauth"',
    });
  });

  it(`seeding again keeps changed values, and brings rules up to date, on ${engine}`, async () => {
    await database.db
      .updateTable('system_settings')
      .set({ validation_rules: null, description: 'old' })
      .where('key', '=', 'booking.max_per_day')
      .execute();
    const valueBefore = (await storedRow('booking.max_per_day')).value;
    const cached = new SettingsService({ database, appSecret: APP_SECRET });
    await cached.start();
    expect((await cached.view('booking.max_per_day')).validation_rules).toBeNull();
    const report = await seedEssentials(database.db, { email: 'root@example.com', password: undefined });
    expect(report.settingsCreated).toBe(0);
    // A running instance drops its copy when a seed commits.
    await vi.waitFor(async () => {
      expect((await cached.view('booking.max_per_day')).validation_rules).not.toBeNull();
    });
    await cached.stop();
    const row = await storedRow('booking.max_per_day');
    expect(row.value).toEqual(valueBefore);
    expect(row.validation_rules).toEqual({ type: 'integer', minimum: 1, maximum: 48 });
    expect(row.description).toBe('Most bookings one consultant takes on one day');
    // The identity module's reader still works on the seeded rows.
    expect(await readSetting(database.db, 'security.max_login_attempts', 0)).toBe(5);
  });
});
