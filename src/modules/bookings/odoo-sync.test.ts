import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOdoo } from '../../../test/fakes/odoo.ts';
import { useTestApp } from '../../../test/fixture.ts';
import { Factories, WEEKDAYS_NINE_TO_FIVE } from '../../../test/helpers/factories.ts';
import type { Database } from '../../platform/db/connection.ts';
import { likeLiteral, ODOO_PARTNER_QUEUE } from './odoo-sync.ts';
import type { BookingAnswer } from './schemas.ts';
import { setSetting } from '../../../test/helpers/settings.ts';

let database: Database;
let app: FastifyInstance;
let factories: Factories;
let odoo: FakeOdoo;
let consultantId: string;
const t = useTestApp({ now: new Date('2026-11-20T00:00:00Z') });

async function book(start: string, overrides: Record<string, unknown> = {}) {
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/public/bookings',
    payload: {
      consultant_id: consultantId,
      start,
      duration: 30,
      meeting_type: 'phone',
      client_first_name: 'Grace',
      client_last_name: 'Hopper',
      client_email: 'grace@example.com',
      client_phone: '+49 30 1234567',
      client_company: 'Navy Computing',
      language: 'en',
      privacy_consent: true,
      timezone: 'Europe/Berlin',
      ...overrides,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<BookingAnswer>();
}

async function until<T>(check: () => Promise<T>, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function partnerOf(bookingId: string) {
  return until(async () => {
    const b = await database.db
      .selectFrom('bookings')
      .select('client_odoo_partner_id')
      .where('id', '=', bookingId)
      .executeTakeFirstOrThrow();
    return b.client_odoo_partner_id;
  }, `the Odoo partner of booking ${bookingId}`);
}

async function jobsOf(bookingId: string) {
  const { rows } = await sql<{ state: string; retry_count: number }>`
    SELECT state::text AS state, retry_count FROM pgboss.job
    WHERE name = ${ODOO_PARTNER_QUEUE} AND data->>'booking_id' = ${bookingId}`.execute(database.db);
  return rows;
}

beforeAll(async () => {
  database = t.database;
  factories = Factories.for(database);
  odoo = await FakeOdoo.start();
  app = t.app;
  const author = await factories.admin();
  consultantId = (
    await factories.consultant(author.id, {
      timezone: 'Europe/Berlin',
      working_hours: JSON.stringify(WEEKDAYS_NINE_TO_FIVE),
      holidays: JSON.stringify([]),
    })
  ).id;
  await setSetting(database, 'odoo.enabled', true);
  await setSetting(database, 'odoo.url', odoo.url);
  await setSetting(database, 'odoo.database', odoo.database);
  await setSetting(database, 'odoo.protocol', 'json2');
  await setSetting(database, 'odoo.api_key', odoo.apiKey, true);
});

afterAll(async () => {
  await odoo.close();
});

describe(`the Odoo partner of a booking's client on ${t.engine}`, () => {
  it('finds the partner with the client’s e-mail (in any case) and stores its id', async () => {
    const existing = odoo.seed('res.partner', { name: 'G. Hopper', email: 'Grace@Example.com' });
    const booking = await book('2026-12-01T08:00:00.000Z');
    expect(await partnerOf(booking.id)).toBe(existing);
    expect(odoo.callsOf('res.partner.create')).toEqual([]);
    // Found, not rewritten.
    expect(odoo.all('res.partner').find((p) => p.id === existing)).toMatchObject({ name: 'G. Hopper' });
  });

  it('creates the partner when none has the e-mail; a "_" in it matches only itself', async () => {
    // Would match "ada_lovelace@example.com" were "_" left a LIKE wildcard.
    odoo.seed('res.partner', { name: 'Someone else', email: 'adaxlovelace@example.com' });
    const booking = await book('2026-12-01T09:00:00.000Z', {
      client_first_name: 'Ada',
      client_last_name: 'Lovelace',
      client_email: 'ada_lovelace@example.com',
    });
    const id = await partnerOf(booking.id);
    expect(odoo.all('res.partner').find((p) => p.id === id)).toEqual({
      id,
      name: 'Ada Lovelace',
      email: 'ada_lovelace@example.com',
      phone: '+49 30 1234567',
      company_name: 'Navy Computing',
    });
    const logs = await database.db
      .selectFrom('integration_logs')
      .select(['operation', 'status'])
      .where('related_id', '=', booking.id)
      .orderBy('started_at')
      .execute();
    expect(logs).toEqual([
      { operation: 'res.partner.search', status: 'success' },
      { operation: 'res.partner.create', status: 'success' },
    ]);
    expect(likeLiteral('a_b%c\\d@x.de')).toBe('a\\_b\\%c\\\\d@x.de');
  });

  it('keeps the booking while Odoo is down and stores the partner once a retry gets through', async () => {
    // The first job attempt fails throughout (three searches of three tries each); the retry succeeds.
    odoo.failNext('res.partner.search', { status: 503, body: 'Service Unavailable' }, 9);
    const booking = await book('2026-12-01T10:00:00.000Z', { client_email: 'linus@example.com' });
    const row = await database.db
      .selectFrom('bookings')
      .select(['status', 'client_odoo_partner_id'])
      .where('id', '=', booking.id)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: 'confirmed', client_odoo_partner_id: null });
    const id = await partnerOf(booking.id);
    expect(odoo.all('res.partner').filter((p) => p.email === 'linus@example.com')).toEqual([
      expect.objectContaining({ id }),
    ]);
    const failed = await database.db
      .selectFrom('integration_logs')
      .select(['status', 'error_code'])
      .where('related_id', '=', booking.id)
      .where('status', '=', 'error')
      .execute();
    expect(failed).toHaveLength(9);
    expect(failed.every((l) => l.error_code === 'http_503')).toBe(true);
    expect(await jobsOf(booking.id)).toEqual([{ state: 'completed', retry_count: 1 }]);
  });

  it('enqueues nothing while Odoo is off', async () => {
    await setSetting(database, 'odoo.enabled', false);
    // On a server the settings cache drops its copy on NOTIFY, a few milliseconds later.
    await new Promise((resolve) => setTimeout(resolve, 300));
    try {
      const booking = await book('2026-12-01T11:00:00.000Z', { client_email: 'off@example.com' });
      expect(await jobsOf(booking.id)).toEqual([]);
    } finally {
      await setSetting(database, 'odoo.enabled', true);
    }
  });
});
