import { rejection } from '../../../test/helpers/errors.ts';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGoogleCalendar, serviceAccountKeys } from '../../../test/fakes/google-calendar.ts';
import { FakeOdoo } from '../../../test/fakes/odoo.ts';
import { useTestApp } from '../../../test/fixture.ts';
import type { Session, TestUser } from '../../../test/helpers/auth.ts';
import type { Database } from '../../platform/db/connection.ts';
import { GoogleCalendarClient, TokenCache } from '../../platform/integrations/google-calendar.ts';
import { IntegrationError, IntegrationHttp } from '../../platform/integrations/http.ts';
import { OdooClient } from '../../platform/integrations/odoo.ts';
import type { IntegrationLogView } from './schemas.ts';
import { setSetting } from '../../../test/helpers/settings.ts';

interface Page<T> {
  items: T[];
  total: number;
  page: number;
  per_page: number;
}
interface RetryJson {
  retry_of: string;
  correlation_id: string;
  result: unknown;
  logs: IntegrationLogView[];
}

const CLIENT_EMAIL = 'magnetiq@voltaic-test.iam.gserviceaccount.com';
const CALENDAR = 'bookings@group.calendar.google.com';
const keys = serviceAccountKeys();

const t = useTestApp();
const { engine } = t;

let database: Database;
let odooFake: FakeOdoo;
let google: FakeGoogleCalendar;
let admin: TestUser;
let adminS: Session;
let viewerS: Session;
let editorS: Session;

function http(integration: 'odoo' | 'google_calendar', timeoutMs = 2_000, attempts = 1): IntegrationHttp {
  return new IntegrationHttp({
    db: database.db,
    integration,
    timeoutMs,
    retry: { attempts, baseDelayMs: 10 },
  });
}

function odoo(timeoutMs?: number): OdooClient {
  return new OdooClient(
    { url: odooFake.url, database: odooFake.database, protocol: 'json2', apiKey: odooFake.apiKey },
    http('odoo', timeoutMs),
  );
}

function calendar(): GoogleCalendarClient {
  return new GoogleCalendarClient(
    {
      calendarId: CALENDAR,
      credentials: { type: 'service_account', client_email: CLIENT_EMAIL, private_key: keys.privateKey },
      apiBase: google.url,
      tokenUri: google.tokenUri,
    },
    http('google_calendar'),
    new TokenCache(),
  );
}

function call(session: Session, method: 'GET' | 'POST', url: string) {
  return t.call(session, method, url);
}

async function list(query: string, session = adminS): Promise<Page<IntegrationLogView>> {
  const res = await call(session, 'GET', `/api/v1/integration-logs?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Page<IntegrationLogView>>();
}

function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  return rejection(promise, IntegrationError);
}

beforeAll(async () => {
  database = t.database;
  odooFake = await FakeOdoo.start();
  google = await FakeGoogleCalendar.start({ publicKey: keys.publicKey, clientEmail: CLIENT_EMAIL });
  const [a, viewer, editor] = await Promise.all([t.as('admin'), t.as('viewer'), t.as('editor')]);
  admin = a.user;
  [adminS, viewerS, editorS] = [a.session, viewer.session, editor.session];
  // The connection settings the retry reads (the client configs are built from them at the moment of use).
  await setSetting(database, 'odoo.enabled', true);
  await setSetting(database, 'google.enabled', true);
  await setSetting(database, 'odoo.url', odooFake.url);
  await setSetting(database, 'odoo.database', odooFake.database);
  await setSetting(database, 'odoo.protocol', 'json2');
  await setSetting(database, 'odoo.api_key', odooFake.apiKey, true);
  await setSetting(database, 'google.calendar_id', CALENDAR);
  await setSetting(
    database,
    'google.credentials',
    {
      type: 'service_account',
      client_email: CLIENT_EMAIL,
      private_key: keys.privateKey,
      token_uri: google.tokenUri,
    },
    true,
  );
  await setSetting(database, 'google.api_base', google.url);
});

afterAll(async () => {
  await Promise.all([odooFake.close(), google.close()]);
});

describe(`the integration logs API on ${engine}`, () => {
  const download = randomUUID();

  beforeAll(async () => {
    const client = odoo();
    const context = { triggeredBy: admin.id, related: { table: 'whitepaper_downloads', id: download } };
    for (const n of [1, 2, 3]) {
      await client.ensure(
        'crm.lead',
        {
          match: [['email_from', '=', `list-${n}@example.com`]],
          values: { name: `Lead ${n}`, email_from: `list-${n}@example.com` },
        },
        context,
      );
    }
    await calendar()
      .freeBusy({ timeMin: '2027-01-04T00:00:00Z', timeMax: '2027-01-05T00:00:00Z', calendarIds: [CALENDAR] })
      .catch(() => null);
  });

  it('lists the calls newest first, filtered by the record they were for, one page at a time', async () => {
    const first = await list(`related_table=whitepaper_downloads&related_id=${download}&per_page=4`);
    // Three exports: search + create each.
    expect(first).toMatchObject({ total: 6, page: 1, per_page: 4 });
    expect(first.items).toHaveLength(4);
    const second = await list(`related_table=whitepaper_downloads&related_id=${download}&per_page=4&page=2`);
    expect(second.items).toHaveLength(2);
    const all = [...first.items, ...second.items];
    expect(new Set(all.map((r) => r.id)).size).toBe(6);
    const starts = all.map((r) => Date.parse(r.started_at));
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(all.every((r) => r.triggered_by === admin.id && r.integration_name === 'odoo')).toBe(true);
    expect(all[0]).toMatchObject({ direction: 'outbound', status: 'success', attempt: 1, retryable: false });
  });

  it('filters by integration, operation, status, correlation and time', async () => {
    const creates = await list(`integration_name=odoo&operation=crm.lead.create&related_id=${download}`);
    expect(creates.total).toBe(3);
    expect(creates.items.every((r) => r.operation === 'crm.lead.create')).toBe(true);

    const google = await list('integration_name=google_calendar');
    expect(google.items.map((r) => r.operation).sort()).toEqual(['freeBusy.query', 'token']);

    const one = creates.items[0];
    const group = await list(`correlation_id=${one?.correlation_id ?? ''}`);
    expect(group.items.map((r) => r.operation).sort()).toEqual(['crm.lead.create', 'crm.lead.search']);

    expect((await list(`status=timeout&related_id=${download}`)).total).toBe(0);
    const future = new Date(Date.now() + 3_600_000).toISOString();
    expect((await list(`from=${encodeURIComponent(future)}`)).total).toBe(0);
    expect((await list(`to=${encodeURIComponent(future)}&related_id=${download}`)).total).toBe(6);
  });

  it('answers one entry, 404 for an unknown one, and 400 for a bad filter', async () => {
    const [row] = (await list(`related_id=${download}&per_page=1`)).items;
    const res = await call(adminS, 'GET', `/api/v1/integration-logs/${row?.id ?? ''}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(row);
    const missing = await call(adminS, 'GET', `/api/v1/integration-logs/${randomUUID()}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json<{ error: { code: string } }>().error.code).toBe('integrations.log_not_found');
    expect((await call(adminS, 'GET', '/api/v1/integration-logs?status=pending')).statusCode).toBe(400);
  });

  it('is for those who manage settings: viewers and editors get 403', async () => {
    for (const session of [viewerS, editorS]) {
      expect((await call(session, 'GET', '/api/v1/integration-logs')).statusCode).toBe(403);
      expect((await call(session, 'POST', `/api/v1/integration-logs/${randomUUID()}/retry`)).statusCode).toBe(
        403,
      );
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/integration-logs' })).statusCode).toBe(401);
  });

  it('never shows the API key, the private key or a token', async () => {
    const res = await call(adminS, 'GET', '/api/v1/integration-logs?per_page=200');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain(odooFake.apiKey);
    expect(res.body).not.toContain(keys.privateKey.split('\n')[3] ?? 'missing');
    for (const token of google.issuedTokens) expect(res.body).not.toContain(token);
  });
});

describe(`retrying a failed operation on ${engine}`, () => {
  it('re-runs a lead export that timed out: the lead it made is found, not made twice', async () => {
    const email = `retry-timeout-${randomUUID()}@example.com`;
    const related = { table: 'whitepaper_downloads', id: randomUUID() };
    odooFake.delayNext('crm.lead.create', 1_500);
    const error = await failure(
      odoo(300).ensure(
        'crm.lead',
        { match: [['email_from', '=', email]], values: { name: 'Lead', email_from: email } },
        { related },
      ),
    );
    expect(error.kind).toBe('timeout');
    const failed = (await list(`status=timeout&related_id=${related.id}`)).items;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ operation: 'crm.lead.create', retryable: true });

    const res = await call(adminS, 'POST', `/api/v1/integration-logs/${failed[0]?.id ?? ''}/retry`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<RetryJson>();
    const lead = odooFake.all('crm.lead').filter((l) => l.email_from === email);
    expect(lead).toHaveLength(1);
    expect(body.result).toEqual({ id: lead[0]?.id, created: false });
    expect(body.logs.map((r) => [r.operation, r.status])).toEqual([['crm.lead.search', 'success']]);
    expect(body.logs[0]).toMatchObject({
      retry_of: failed[0]?.id,
      triggered_by: admin.id,
      related_table: 'whitepaper_downloads',
      related_id: related.id,
      correlation_id: body.correlation_id,
    });
    expect((await list(`retry_of=${failed[0]?.id ?? ''}`)).total).toBe(1);
  });

  it('re-runs an export that failed before creating anything: it creates the lead once', async () => {
    const email = `retry-error-${randomUUID()}@example.com`;
    odooFake.failNext(
      'crm.lead.create',
      FakeOdoo.fault('odoo.exceptions.ValidationError', 'Stage missing', 422),
    );
    const related = { table: 'whitepaper_downloads', id: randomUUID() };
    await failure(
      odoo().ensure(
        'crm.lead',
        { match: [['email_from', '=', email]], values: { name: 'Lead', email_from: email } },
        { related },
      ),
    );
    const [failed] = (await list(`status=error&related_id=${related.id}`)).items;
    expect(failed).toMatchObject({
      error_code: 'odoo.exceptions.ValidationError',
      error_message: 'Stage missing',
    });

    const first = await call(adminS, 'POST', `/api/v1/integration-logs/${failed?.id ?? ''}/retry`);
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<RetryJson>().result).toMatchObject({ created: true });
    // A second retry of the same entry is harmless.
    const second = await call(adminS, 'POST', `/api/v1/integration-logs/${failed?.id ?? ''}/retry`);
    expect(second.json<RetryJson>().result).toMatchObject({ created: false });
    expect(odooFake.all('crm.lead').filter((l) => l.email_from === email)).toHaveLength(1);
  });

  it('answers 502 with the correlation id when the retry fails again, and logs its calls', async () => {
    const email = `retry-again-${randomUUID()}@example.com`;
    const related = { table: 'whitepaper_downloads', id: randomUUID() };
    odooFake.failNext('crm.lead.search', FakeOdoo.fault('odoo.exceptions.AccessError', 'No access', 403), 2);
    await failure(
      odoo().ensure('crm.lead', { match: [['email_from', '=', email]], values: { name: 'L' } }, { related }),
    );
    const [failed] = (await list(`status=error&related_id=${related.id}`)).items;
    const res = await call(adminS, 'POST', `/api/v1/integration-logs/${failed?.id ?? ''}/retry`);
    expect(res.statusCode).toBe(502);
    const message = res.json<{ error: { code: string; message: string } }>().error;
    expect(message.code).toBe('integrations.call_failed');
    expect(message.message).toContain('No access');
    const logged = await list(`retry_of=${failed?.id ?? ''}`);
    expect(logged.items.map((r) => [r.status, r.triggered_by])).toEqual([['error', admin.id]]);
    expect(message.message).toContain(logged.items[0]?.correlation_id ?? 'missing');
  });

  it('re-runs a failed calendar delete with the current credentials', async () => {
    const client = calendar();
    const event = await client.insertEvent(
      {
        summary: 'Consultation',
        start: { dateTime: '2027-01-04T09:00:00Z' },
        end: { dateTime: '2027-01-04T10:00:00Z' },
      },
      { requestId: randomUUID() },
    );
    google.failNext('events.delete', {
      status: 403,
      body: {
        error: { code: 403, message: 'Rate Limit Exceeded', errors: [{ reason: 'rateLimitExceeded' }] },
      },
    });
    const related = { table: 'bookings', id: randomUUID() };
    await failure(client.deleteEvent(event.id ?? '', {}, { related }));
    const [failed] = (await list(`operation=events.delete&status=error&related_id=${related.id}`)).items;
    expect(failed).toMatchObject({ error_code: 'rateLimitExceeded', retryable: true });

    const res = await call(adminS, 'POST', `/api/v1/integration-logs/${failed?.id ?? ''}/retry`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<RetryJson>().result).toEqual({ alreadyGone: false });
    expect(google.eventsOf(CALENDAR).find((e) => e.id === event.id)?.status).toBe('cancelled');
    // The retry signed in anew: its own token call is logged under the retry too.
    expect(res.json<RetryJson>().logs.map((r) => r.operation)).toEqual(['token', 'events.delete']);
  });

  it('refuses entries that succeeded, operations that are not safe to repeat, and missing settings', async () => {
    const [success] = (await list('status=success&integration_name=odoo&per_page=1')).items;
    const done = await call(adminS, 'POST', `/api/v1/integration-logs/${success?.id ?? ''}/retry`);
    expect(done.statusCode).toBe(409);
    expect(done.json<{ error: { code: string } }>().error.code).toBe('integrations.not_failed');

    const name = `bare-${randomUUID()}`;
    odooFake.failNext('crm.lead.create', FakeOdoo.fault('odoo.exceptions.UserError', 'Nope', 400));
    await failure(odoo().create('crm.lead', { name }));
    const [bare] = (await list('operation=crm.lead.create&status=error&per_page=1')).items;
    expect(bare?.retryable).toBe(false);
    const unsafe = await call(adminS, 'POST', `/api/v1/integration-logs/${bare?.id ?? ''}/retry`);
    expect(unsafe.statusCode).toBe(422);
    expect(unsafe.json<{ error: { code: string } }>().error.code).toBe('integrations.not_retryable');

    const missing = await call(adminS, 'POST', `/api/v1/integration-logs/${randomUUID()}/retry`);
    expect(missing.statusCode).toBe(404);

    const related = { table: 'whitepaper_downloads', id: randomUUID() };
    odooFake.failNext('crm.lead.search', FakeOdoo.fault('odoo.exceptions.AccessError', 'No access', 403));
    await failure(
      odoo().ensure(
        'crm.lead',
        { match: [['email_from', '=', 'x@example.com']], values: { name: 'x' } },
        { related },
      ),
    );
    const [failed] = (await list(`status=error&related_id=${related.id}`)).items;
    await setSetting(database, 'odoo.enabled', false);
    try {
      const off = await call(adminS, 'POST', `/api/v1/integration-logs/${failed?.id ?? ''}/retry`);
      expect(off.statusCode).toBe(409);
      expect(off.json<{ error: { code: string } }>().error.code).toBe('integrations.not_configured');
    } finally {
      await setSetting(database, 'odoo.enabled', true);
    }
  });

  it('logged every call the fakes received, with no secret in any row', async () => {
    const rows = await database.db.selectFrom('integration_logs').selectAll().execute();
    expect(rows).toHaveLength(odooFake.calls.length + google.calls.length);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(odooFake.apiKey);
    expect(stored).not.toContain(keys.privateKey.split('\n')[3] ?? 'missing');
    for (const token of google.issuedTokens) expect(stored).not.toContain(token);
  });
});
