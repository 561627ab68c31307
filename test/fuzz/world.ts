import fc from 'fast-check';
import sharp from 'sharp';
import { feedbackToken, manageToken } from '../../src/modules/bookings/links.ts';
import type { TestContext } from '../fixture.ts';
import { WEEKDAYS_NINE_TO_FIVE } from '../helpers/factories.ts';
import { BLOCK_SCHEMAS } from '../../src/modules/pages/blocks.ts';
import type { World } from './inputs.ts';
import { arbitraryOf, type JsonSchema } from './json-schema.ts';
import { multipartBody, SVG } from './values.ts';

/**
 * Settings whose good values would change how the rest of the run behaves: two-factor enrolment for super admins
 * (every later request of theirs would be refused), lockouts, and the Odoo and Google connections (calls to
 * hosts that do not exist). They are still sent bad input under unknown or made-up keys, never good values.
 */
const SETTINGS_LEFT_ALONE = /^(security|google|odoo)\./;

const DAY = 86_400_000;

/** The next weekday at 10:00 UTC at least `days` days from now (working hours are 09:00–17:00 Berlin). */
function weekdayAt10(days: number): Date {
  const date = new Date(Date.now() + days * DAY);
  date.setUTCHours(10, 0, 0, 0);
  while (date.getUTCDay() === 0 || date.getUTCDay() === 6) date.setTime(date.getTime() + DAY);
  return date;
}

async function png(color: string): Promise<Buffer> {
  return sharp({ create: { width: 6, height: 4, channels: 3, background: color } })
    .png()
    .toBuffer();
}

/**
 * Rows for requests to reach past "not found": users to act on (never the callers themselves, so no caller is
 * demoted, deactivated or given a grant), a grant, pages (published, a subpage, a draft, one in the trash) and
 * their audit rows, media, consultants, bookings with valid manage and feedback tokens, and the settings keys and
 * queue names the app lists.
 */
export async function buildWorld(t: TestContext, doc: unknown): Promise<World> {
  const admin = await t.as('admin');
  const by = admin.user.id;
  const f = t.factories;
  const db = t.database.db;
  const longAgo = new Date(Date.now() - 30 * DAY);

  const targets = [
    await f.admin({ role: 'viewer' }),
    await f.admin({ role: 'editor' }),
    await f.admin({ role: 'admin' }),
    await f.admin({ role: 'super_admin' }),
    await f.admin({ role: 'viewer', deleted_at: longAgo }),
  ];
  const grant = await db
    .insertInto('user_permissions')
    .values({ user_id: targets[0]?.id ?? by, permission: 'pages.write', granted_by: by })
    .returning('id')
    .executeTakeFirstOrThrow();

  const root = await f.page(by, { status: 'published', published_at: longAgo });
  const child = await f.page(by, { status: 'published', published_at: longAgo, parent_id: root.id });
  const draft = await f.page(by);
  const trashed = await f.page(by, { deleted_at: longAgo });
  const pages = [root, child, draft, trashed];
  const audit = await db
    .selectFrom('audit_logs')
    .select('id')
    .where(
      'record_id',
      'in',
      pages.map((p) => p.id),
    )
    .limit(6)
    .execute();

  const files = [
    { name: 'a.png', type: 'image/png', data: await png('#3366cc') },
    { name: 'b.png', type: 'image/png', data: await png('#cc6633') },
    { name: 'c.svg', type: 'image/svg+xml', data: Buffer.from(SVG) },
  ];
  const media: string[] = [];
  for (const file of files.slice(0, 2)) {
    const boundary = 'fuzz-world-boundary';
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/media',
      headers: {
        authorization: `Bearer ${admin.session.access_token}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
      },
      payload: multipartBody(
        [{ name: 'file', filename: file.name, contentType: file.type, data: file.data }],
        boundary,
      ),
    });
    if (response.statusCode === 201 || response.statusCode === 200)
      media.push(response.json<{ id: string }>().id);
  }

  const consultant = await f.consultant(by, {
    working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
    is_accepting_bookings: true,
    timezone: 'Europe/Berlin',
  });
  const gone = await f.consultant(by, { deleted_at: longAgo });
  // Several confirmed ones: good cancels, moves and outcomes use them up.
  const upcoming = await f.booking(consultant.id, { datetime: weekdayAt10(10) });
  const another = await f.booking(consultant.id, {
    datetime: new Date(weekdayAt10(11).getTime() + 3 * 3_600_000),
  });
  const past = await f.booking(consultant.id, { datetime: new Date(Date.now() - 2 * DAY) });
  const completed = await f.booking(consultant.id, {
    datetime: new Date(Date.now() - 3 * DAY),
    status: 'completed',
  });
  const cancelled = await f.booking(consultant.id, { datetime: weekdayAt10(12), status: 'cancelled' });
  const bookings = [upcoming, another, past, completed, cancelled];
  const secret = t.app.config.appSecret ?? '';

  const list = async <T>(url: string): Promise<T[]> => {
    const response = await t.call(admin.session, 'GET', url);
    return response.statusCode === 200 ? response.json<{ items: T[] }>().items : [];
  };
  const settingKeys = (await list<{ key: string }>('/api/v1/settings'))
    .map((s) => s.key)
    .filter((key) => !SETTINGS_LEFT_ALONE.test(key));
  const queues = (await list<{ name: string }>('/api/v1/jobs/queues')).map((q) => q.name);

  const pathValues: Record<string, string[]> = {
    'users/id': targets.map((u) => u.id),
    'permissions/grantId': [grant.id],
    'pages/id': pages.map((p) => p.id),
    'pages/slug': pages.map((p) => p.slug),
    'history/audit_id': audit.map((a) => a.id),
    'media/id': media,
    'variants/width': ['320', '768', '1536'],
    'consultants/id': [consultant.id, gone.id],
    'bookings/id': bookings.map((b) => b.id),
    'settings/key': settingKeys,
    'jobs/queue': queues,
  };
  const dates = (days: number) => new Date(Date.now() + days * DAY).toISOString().slice(0, 10);
  const fieldValues: Record<string, unknown[]> = {
    consultant_id: [consultant.id],
    parent_id: [root.id, draft.id, null],
    id: [draft.id, child.id],
    media_id: media,
    photo_media_id: media,
    token: [
      manageToken(secret, upcoming.id),
      manageToken(secret, another.id),
      feedbackToken(secret, completed.id),
      manageToken(secret, cancelled.id),
    ],
    version: [1, 2],
    timezone: ['Europe/Berlin', 'UTC', 'America/New_York'],
    tz: ['Europe/Berlin', 'UTC', 'Asia/Kolkata'],
    start: [weekdayAt10(14).toISOString(), weekdayAt10(15).toISOString(), dates(7)],
    from: [dates(2), new Date(Date.now() - DAY).toISOString()],
    to: [dates(9), new Date(Date.now() + 9 * DAY).toISOString()],
    q: ['about', 'Über uns', 'systems', 'Grace'],
    record_id: pages.map((p) => p.id),
    user_id: [by, targets[0]?.id],
    rating: [5, 1],
    privacy_consent: [true],
    duration: [60, 30],
    // Settings: values of each data type (the schema says nothing; the setting's rules decide).
    value: ['voltAIc Systems', 'info@voltaic.example', 'Europe/Berlin', 24, 3, true, false, ['en', 'de']],
    working_hours: [
      WEEKDAYS_NINE_TO_FIVE,
      {
        mon: [
          { start: '09:00', end: '12:00' },
          { start: '13:00', end: '24:00' },
        ],
        sat: [],
      },
      {},
    ],
    holidays: [[{ from: dates(20), to: dates(22), note: 'Urlaub' }], []],
    languages: [['en'], ['en', 'de']],
    expertise: [['AI', 'Data engineering'], []],
    linkedin_url: ['https://www.linkedin.com/in/grace-hopper'],
    photo_url: ['https://voltaic.example/grace.jpg'],
    og_image: ['/api/v1/media/x/file', 'https://voltaic.example/og.png'],
    canonical_url: ['https://voltaic.example/about'],
    email: Array.from({ length: 6 }, (_, i) => `fuzz-${i}-${Date.now().toString(36)}@example.com`),
  };

  // Page blocks valid under their schemas (the document only says "objects with a type"), naming real media.
  const block = fc.oneof(
    ...Object.values(BLOCK_SCHEMAS).map((schema) =>
      arbitraryOf(schema as unknown as JsonSchema, { root: doc, known: (name) => fieldValues[name] }),
    ),
  );
  fieldValues['blocks'] = fc.sample(fc.array(block, { minLength: 1, maxLength: 3 }), { seed: 7, numRuns: 8 });
  return {
    doc,
    files,
    pathValues: (resource, name) => pathValues[`${resource}/${name}`] ?? [],
    fieldValues: (name) => fieldValues[name],
  };
}
