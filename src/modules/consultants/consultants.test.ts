import { randomUUID } from 'node:crypto';
import type { InjectOptions } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Session, TestUser } from '../../../test/helpers/auth.ts';
import { errorCode as code, errorFields as fields, useTestApp } from '../../../test/fixture.ts';
import type { ConsultantView, PublicConsultant } from './schemas.ts';

interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}

const t = useTestApp();
const call: typeof t.call = (...args) => t.call(...args);
let admin: TestUser;
let adminS: Session;
let viewerS: Session;
let counter = 0;

beforeAll(async () => {
  ({ user: admin, session: adminS } = await t.as('admin'));
  ({ session: viewerS } = await t.as('viewer'));
});

function uniqueEmail(): string {
  counter += 1;
  return `consultant-${String(counter)}-${randomUUID().slice(0, 8)}@example.com`;
}

async function create(body: Record<string, unknown> = {}): Promise<ConsultantView> {
  const res = await call(adminS, 'POST', '/api/v1/consultants', {
    first_name: 'Grace',
    last_name: 'Hopper',
    email: uniqueEmail(),
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<ConsultantView>();
}

async function mediaRow(mime: string, deleted = false): Promise<string> {
  const row = await t.database.db
    .insertInto('media_files')
    .values({
      filename: `${randomUUID()}.bin`,
      original_filename: 'photo.png',
      file_path: `test/${randomUUID()}`,
      file_size: 100,
      mime_type: mime,
      uploaded_by: admin.id,
      deleted_at: deleted ? new Date() : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

const FULL = {
  title: 'Principal AI consultant',
  phone: '+49 30 123456',
  biography: { en: 'Builds reliable AI systems.', de: 'Baut verlässliche KI-Systeme.' },
  expertise: ['machine learning', 'Data Strategy'],
  linkedin_url: 'https://www.linkedin.com/in/grace',
  languages: ['en', 'de'],
  timezone: 'Europe/Berlin',
  is_online: true,
  is_accepting_bookings: true,
  working_hours: {
    mon: [
      { start: '09:00', end: '12:00' },
      { start: '13:00', end: '17:30' },
    ],
    fri: [{ start: '20:00', end: '24:00' }],
  },
  holidays: [{ from: '2026-12-24', to: '2026-12-26', note: 'Christmas' }],
  google_calendar_id: 'grace@group.calendar.google.com',
  odoo_partner_id: 42,
};

describe(`consultants on ${t.engine}`, () => {
  it('creates with every column, reads, lists, patches with the version', async () => {
    const created = await create(FULL);
    expect(created).toMatchObject({
      ...FULL,
      version: 1,
      deleted_at: null,
      created_by: admin.id,
      total_bookings: 0,
      average_rating: null,
    });

    const got = await call(viewerS, 'GET', `/api/v1/consultants/${created.id}`);
    expect(got.statusCode).toBe(200);
    expect(got.json<ConsultantView>()).toEqual(created);

    const list = await call(viewerS, 'GET', `/api/v1/consultants?q=${encodeURIComponent('data strat')}`);
    expect(list.statusCode).toBe(200);
    expect(list.json<Page<ConsultantView>>().items.map((c) => c.id)).toContain(created.id);
    const byEmail = await call(viewerS, 'GET', `/api/v1/consultants?q=${created.email.toUpperCase()}`);
    expect(byEmail.json<Page<ConsultantView>>().items.map((c) => c.id)).toEqual([created.id]);

    const patched = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, {
      version: 1,
      title: null,
      is_accepting_bookings: false,
      working_hours: { tue: [{ start: '08:00', end: '10:00' }] },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json<ConsultantView>()).toMatchObject({
      version: 2,
      title: null,
      is_accepting_bookings: false,
      working_hours: { tue: [{ start: '08:00', end: '10:00' }] },
      phone: FULL.phone,
    });

    const notAccepting = await call(
      viewerS,
      'GET',
      '/api/v1/consultants?is_accepting_bookings=false&per_page=100',
    );
    expect(notAccepting.json<Page<ConsultantView>>().items.map((c) => c.id)).toContain(created.id);
  });

  it('keeps total_bookings and average_rating to the bookings: staff cannot set them', async () => {
    const created = await create();
    for (const figures of [{ total_bookings: 10 }, { average_rating: 5 }]) {
      const patch = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, {
        version: 1,
        ...figures,
      });
      expect(patch.statusCode, patch.body).toBe(400);
      const post = await call(adminS, 'POST', '/api/v1/consultants', {
        first_name: 'Ada',
        last_name: 'Lovelace',
        email: uniqueEmail(),
        ...figures,
      });
      expect(post.statusCode, post.body).toBe(400);
    }
    const unchanged = await call(viewerS, 'GET', `/api/v1/consultants/${created.id}`);
    expect(unchanged.json<ConsultantView>()).toMatchObject({
      version: 1,
      total_bookings: 0,
      average_rating: null,
    });
  });

  it('filters by language', async () => {
    const german = await create({ languages: ['de'] });
    const english = await create({ languages: ['en'] });
    const res = await call(viewerS, 'GET', '/api/v1/consultants?language=de&per_page=100');
    const ids = res.json<Page<ConsultantView>>().items.map((c) => c.id);
    expect(ids).toContain(german.id);
    expect(ids).not.toContain(english.id);
  });

  it('answers 409 for a stale version and changes nothing', async () => {
    const created = await create({ title: 'Before' });
    const ok = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, { version: 1, title: 'One' });
    expect(ok.statusCode).toBe(200);
    const stale = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, {
      version: 1,
      title: 'Two',
    });
    expect(stale.statusCode).toBe(409);
    expect(code(stale)).toBe('conflict.stale_version');
    const now = (await call(adminS, 'GET', `/api/v1/consultants/${created.id}`)).json<ConsultantView>();
    expect(now).toMatchObject({ title: 'One', version: 2 });
    const staleDelete = await call(adminS, 'DELETE', `/api/v1/consultants/${created.id}?version=1`);
    expect(staleDelete.statusCode).toBe(409);
  });

  it('refuses bad working hours naming the field', async () => {
    const cases: [unknown, string][] = [
      [
        {
          mon: [
            { start: '09:00', end: '12:00' },
            { start: '11:00', end: '13:00' },
          ],
        },
        'working_hours.mon.1',
      ],
      [
        {
          wed: [
            { start: '13:00', end: '14:00' },
            { start: '09:00', end: '10:00' },
          ],
        },
        'working_hours.wed.1',
      ],
      [{ tue: [{ start: '12:00', end: '09:00' }] }, 'working_hours.tue.0'],
      [{ thu: [{ start: '9:00', end: '12:00' }] }, 'body.working_hours.thu.0.start'],
      [{ thu: [{ start: '09:00', end: '24:30' }] }, 'body.working_hours.thu.0.end'],
      [{ fri: [{ start: '24:00', end: '24:00' }] }, 'body.working_hours.fri.0.start'],
      [{ monday: [{ start: '09:00', end: '12:00' }] }, 'body.working_hours'],
    ];
    for (const [working_hours, field] of cases) {
      const res = await call(adminS, 'POST', '/api/v1/consultants', {
        first_name: 'A',
        last_name: 'B',
        email: uniqueEmail(),
        working_hours,
      });
      expect(res.statusCode, JSON.stringify(working_hours)).toBe(400);
      expect(code(res)).toBe('validation.failed');
      expect(fields(res), JSON.stringify(working_hours)).toContain(field);
    }
    const touching = await create({
      working_hours: {
        sat: [
          { start: '09:00', end: '12:00' },
          { start: '12:00', end: '13:00' },
        ],
      },
    });
    expect(touching.working_hours?.sat).toHaveLength(2);
  });

  it('refuses holidays with from after to, bad dates, a bad time zone and bad languages', async () => {
    const base = { first_name: 'A', last_name: 'B' };
    const reversed = await call(adminS, 'POST', '/api/v1/consultants', {
      ...base,
      email: uniqueEmail(),
      holidays: [
        { from: '2026-01-01', to: '2026-01-01' },
        { from: '2026-12-26', to: '2026-12-24' },
      ],
    });
    expect(reversed.statusCode).toBe(400);
    expect(fields(reversed)).toEqual(['holidays.1']);

    const badDate = await call(adminS, 'POST', '/api/v1/consultants', {
      ...base,
      email: uniqueEmail(),
      holidays: [{ from: '2026-13-01', to: '2026-12-24' }],
    });
    expect(badDate.statusCode).toBe(400);
    expect(fields(badDate)).toContain('body.holidays.0.from');

    const zone = await call(adminS, 'POST', '/api/v1/consultants', {
      ...base,
      email: uniqueEmail(),
      timezone: 'Mars/Olympus_Mons',
    });
    expect(zone.statusCode).toBe(400);
    expect(fields(zone)).toEqual(['body.timezone']);

    for (const languages of [[], ['fr'], ['en', 'en']]) {
      const res = await call(adminS, 'POST', '/api/v1/consultants', {
        ...base,
        email: uniqueEmail(),
        languages,
      });
      expect(res.statusCode, JSON.stringify(languages)).toBe(400);
    }
    expect((await create({ timezone: 'UTC' })).timezone).toBe('UTC');
  });

  it('keeps e-mails unique among live consultants, case-insensitively', async () => {
    const first = await create();
    const taken = await call(adminS, 'POST', '/api/v1/consultants', {
      first_name: 'X',
      last_name: 'Y',
      email: first.email.toUpperCase(),
    });
    expect(taken.statusCode).toBe(409);
    expect(code(taken)).toBe('consultants.email_taken');

    const other = await create();
    const patch = await call(adminS, 'PATCH', `/api/v1/consultants/${other.id}`, {
      version: 1,
      email: first.email,
    });
    expect(patch.statusCode).toBe(409);
    expect(code(patch)).toBe('consultants.email_taken');

    // Deleted, the address is free; restoring the old one then collides.
    expect((await call(adminS, 'DELETE', `/api/v1/consultants/${first.id}`)).statusCode).toBe(204);
    const reuse = await create({ email: first.email });
    const restore = await call(adminS, 'POST', `/api/v1/consultants/${first.id}/restore`);
    expect(restore.statusCode).toBe(409);
    expect(code(restore)).toBe('consultants.email_taken');
    expect((await call(adminS, 'DELETE', `/api/v1/consultants/${reuse.id}`)).statusCode).toBe(204);
  });

  it('counts in the where-used of the medium that is its photo', async () => {
    const media = await mediaRow('image/png');
    const c = await create({ photo_media_id: media });
    const res = await call(adminS, 'GET', `/api/v1/media/${media}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ used_in: unknown[] }>().used_in).toEqual([
      {
        kind: 'consultant',
        id: c.id,
        label: `${c.first_name} ${c.last_name}`,
        status: 'live',
        where: 'photo_url',
        detail: null,
      },
    ]);
  });

  it('takes the photo from the media library, or a plain https URL', async () => {
    const image = await mediaRow('image/png');
    const pdf = await mediaRow('application/pdf');
    const gone = await mediaRow('image/jpeg', true);

    const created = await create({ photo_media_id: image });
    expect(created.photo_url).toBe(`/api/v1/media/${image}/file`);

    for (const id of [pdf, gone, randomUUID()]) {
      const res = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, {
        version: 1,
        photo_media_id: id,
      });
      expect(res.statusCode).toBe(400);
      expect(code(res)).toBe('consultants.photo_invalid');
      expect(fields(res)).toEqual(['photo_media_id']);
    }
    const viaPath = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, {
      version: 1,
      photo_url: `/api/v1/media/${pdf}/file`,
    });
    expect(viaPath.statusCode).toBe(400);

    const https = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, {
      version: 1,
      photo_url: 'https://cdn.example.com/grace.jpg',
    });
    expect(https.statusCode).toBe(200);
    expect(https.json<ConsultantView>().photo_url).toBe('https://cdn.example.com/grace.jpg');

    const plainHttp = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, {
      version: 2,
      photo_url: 'http://cdn.example.com/grace.jpg',
    });
    expect(plainHttp.statusCode).toBe(400);

    const both = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, {
      version: 2,
      photo_url: 'https://cdn.example.com/x.jpg',
      photo_media_id: image,
    });
    expect(both.statusCode).toBe(400);
  });

  it('soft deletes and restores', async () => {
    const created = await create();
    expect((await call(adminS, 'DELETE', `/api/v1/consultants/${created.id}?version=1`)).statusCode).toBe(
      204,
    );
    const trash = await call(viewerS, 'GET', '/api/v1/consultants?deleted=only&per_page=100');
    expect(trash.json<Page<ConsultantView>>().items.map((c) => c.id)).toContain(created.id);
    const live = await call(viewerS, 'GET', '/api/v1/consultants?per_page=100');
    expect(live.json<Page<ConsultantView>>().items.map((c) => c.id)).not.toContain(created.id);
    const deletedOne = await call(viewerS, 'GET', `/api/v1/consultants/${created.id}`);
    expect(deletedOne.json<ConsultantView>().deleted_at).not.toBeNull();
    const patchDeleted = await call(adminS, 'PATCH', `/api/v1/consultants/${created.id}`, {
      version: 2,
      title: 'x',
    });
    expect(patchDeleted.statusCode).toBe(404);

    const restored = await call(adminS, 'POST', `/api/v1/consultants/${created.id}/restore`);
    expect(restored.statusCode).toBe(200);
    expect(restored.json<ConsultantView>()).toMatchObject({ deleted_at: null, version: 3 });
    const again = await call(adminS, 'POST', `/api/v1/consultants/${created.id}/restore`);
    expect(again.statusCode).toBe(409);
    expect(code(again)).toBe('consultants.not_deleted');
    expect((await call(adminS, 'GET', `/api/v1/consultants/${randomUUID()}`)).statusCode).toBe(404);
  });

  it('lets a viewer read but not write, and nobody without a session', async () => {
    const created = await create();
    expect((await call(viewerS, 'GET', '/api/v1/consultants')).statusCode).toBe(200);
    const writes: [InjectOptions['method'], string, object?][] = [
      ['POST', '/api/v1/consultants', { first_name: 'A', last_name: 'B', email: uniqueEmail() }],
      ['PATCH', `/api/v1/consultants/${created.id}`, { version: 1, title: 'x' }],
      ['DELETE', `/api/v1/consultants/${created.id}`],
      ['POST', `/api/v1/consultants/${created.id}/restore`],
    ];
    for (const [method, url, body] of writes) {
      const res = await call(viewerS, method, url, body);
      expect(res.statusCode, `${String(method)} ${url}`).toBe(403);
    }
    expect((await call(undefined, 'GET', '/api/v1/consultants')).statusCode).toBe(401);
    const still = (await call(adminS, 'GET', `/api/v1/consultants/${created.id}`)).json<ConsultantView>();
    expect(still).toMatchObject({ version: 1, deleted_at: null });
  });

  it('shows visitors live consultants only, without private fields, German with fallback', async () => {
    const both = await create({ ...FULL, email: uniqueEmail() });
    await t.database.db
      .updateTable('consultants')
      .set({ average_rating: '4.50' })
      .where('id', '=', both.id)
      .execute();
    const englishOnly = await create({ biography: { en: 'Only English.' }, languages: ['en'] });
    const deleted = await create();
    await call(adminS, 'DELETE', `/api/v1/consultants/${deleted.id}`);

    const list = await call(undefined, 'GET', '/api/v1/public/consultants?lang=de&per_page=100');
    expect(list.statusCode).toBe(200);
    const items = list.json<Page<PublicConsultant>>().items;
    const ids = items.map((c) => c.id);
    expect(ids).toContain(both.id);
    expect(ids).toContain(englishOnly.id);
    expect(ids).not.toContain(deleted.id);
    expect(items.find((c) => c.id === both.id)).toMatchObject({
      biography: 'Baut verlässliche KI-Systeme.',
      fallbacks: [],
      photo_url: null,
      average_rating: 4.5,
      timezone: 'Europe/Berlin',
    });
    expect(items.find((c) => c.id === englishOnly.id)).toMatchObject({
      biography: 'Only English.',
      fallbacks: ['biography'],
    });

    for (const secret of ['email', 'phone', 'odoo_partner_id', 'google_calendar_id', 'working_hours']) {
      expect(list.body).not.toContain(`"${secret}"`);
    }
    expect(list.body).not.toContain(both.email);
    expect(list.body).not.toContain('grace@group.calendar.google.com');

    const one = await call(undefined, 'GET', `/api/v1/public/consultants/${englishOnly.id}`, undefined, {
      'accept-language': 'de-DE,de;q=0.9',
    });
    expect(one.statusCode).toBe(200);
    expect(one.headers['vary']).toMatch(/accept-language/i);
    const body = one.json<PublicConsultant & Record<string, unknown>>();
    expect(body).toMatchObject({ biography: 'Only English.', fallbacks: ['biography'] });
    expect(Object.keys(body).sort()).toEqual(
      [
        'id',
        'first_name',
        'last_name',
        'title',
        'photo_url',
        'biography',
        'expertise',
        'languages',
        'linkedin_url',
        'timezone',
        'is_online',
        'is_accepting_bookings',
        'average_rating',
        'total_bookings',
        'fallbacks',
      ].sort(),
    );

    const english = await call(undefined, 'GET', `/api/v1/public/consultants/${both.id}?lang=en`);
    expect(english.json<PublicConsultant>()).toMatchObject({
      biography: 'Builds reliable AI systems.',
      fallbacks: [],
    });
    expect((await call(undefined, 'GET', `/api/v1/public/consultants/${deleted.id}`)).statusCode).toBe(404);
    expect((await call(undefined, 'GET', `/api/v1/public/consultants/${randomUUID()}`)).statusCode).toBe(404);
    const german = await call(undefined, 'GET', '/api/v1/public/consultants?language=de&per_page=100');
    const germanIds = german.json<Page<PublicConsultant>>().items.map((c) => c.id);
    expect(germanIds).toContain(both.id);
    expect(germanIds).not.toContain(englishOnly.id);
  });
});
