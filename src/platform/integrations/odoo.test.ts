import { rejection } from '../../../test/helpers/errors.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOdoo } from '../../../test/fakes/odoo.ts';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import type { Database } from '../db/connection.ts';
import { IntegrationError, IntegrationHttp } from './http.ts';
import { OdooClient, type OdooConfig, type OdooProtocol } from './odoo.ts';
import { REDACTED } from './redact.ts';

let database: Database;
let fake: FakeOdoo;
let userId: string;

function config(protocol: OdooProtocol, overrides: Partial<OdooConfig> = {}): OdooConfig {
  return protocol === 'json2'
    ? { url: fake.url, database: fake.database, protocol, apiKey: fake.apiKey, ...overrides }
    : {
        url: fake.url,
        database: fake.database,
        protocol,
        login: fake.login,
        password: fake.password,
        ...overrides,
      };
}

function odoo(
  protocol: OdooProtocol,
  options: { timeoutMs?: number; attempts?: number; config?: Partial<OdooConfig> } = {},
): OdooClient {
  const http = new IntegrationHttp({
    db: database.db,
    integration: 'odoo',
    timeoutMs: options.timeoutMs ?? 2_000,
    retry: { attempts: options.attempts ?? 3, baseDelayMs: 20, maxDelayMs: 100 },
  });
  return new OdooClient(config(protocol, options.config), http);
}

function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  return rejection(promise, IntegrationError);
}

function logsOf(correlationId: string) {
  return database.db
    .selectFrom('integration_logs')
    .selectAll()
    .where('correlation_id', '=', correlationId)
    .orderBy('started_at')
    .orderBy('attempt')
    .execute();
}

beforeAll(async () => {
  database = await createTestDatabase();
  fake = await FakeOdoo.start();
  userId = (await Factories.for(database).admin()).id;
});

afterAll(async () => {
  await fake.close();
  await database.close();
});

describe.each(['jsonrpc', 'json2'] as const)(`the Odoo client over %s on ${testEngine()}`, (protocol) => {
  const tag = `${protocol}-${Date.now().toString(36)}`;

  it('creates, finds and changes partners, leads, events and registrations', async () => {
    const client = odoo(protocol);
    const partner = await client.create('res.partner', {
      name: 'Erika Musterfrau',
      email: `erika-${tag}@example.com`,
    });
    const lead = await client.create('crm.lead', {
      name: 'Whitepaper download',
      email_from: `erika-${tag}@example.com`,
      partner_id: partner,
    });
    const event = await client.create('event.event', {
      name: `AI basics ${tag}`,
      date_begin: '2027-01-04 09:00:00',
    });
    const registration = await client.create('event.registration', {
      event_id: event,
      partner_id: partner,
      email: `erika-${tag}@example.com`,
    });
    expect(new Set([partner, lead, event, registration]).size).toBe(4);

    expect(await client.search('res.partner', [['email', '=', `erika-${tag}@example.com`]])).toEqual([
      partner,
    ]);
    const leads = await client.searchRead('crm.lead', [['email_from', '=', `erika-${tag}@example.com`]], {
      fields: ['name', 'partner_id'],
    });
    expect(leads).toEqual([{ id: lead, name: 'Whitepaper download', partner_id: partner }]);
    expect(
      await client.search('event.registration', ['|', ['event_id', '=', event], ['event_id', '=', -1]]),
    ).toEqual([registration]);

    await client.write('crm.lead', [lead], { name: 'Whitepaper download (qualified)' });
    expect(fake.all('crm.lead').find((l) => l.id === lead)?.name).toBe('Whitepaper download (qualified)');
    await client.write('event.event', [event], { seats_max: 50 });
    expect(fake.all('event.event').find((e) => e.id === event)?.seats_max).toBe(50);
  });

  it('speaks the wire format of its protocol', async () => {
    const before = fake.calls.length;
    await odoo(protocol).search('res.partner', [['email', '=', 'nobody@example.com']], { limit: 1 });
    const calls = fake.calls.slice(before);
    if (protocol === 'jsonrpc') {
      expect(calls.map((c) => c.op)).toEqual(['authenticate', 'res.partner.search']);
      expect(calls.every((c) => c.path === '/jsonrpc')).toBe(true);
      expect(calls[0]?.body).toMatchObject({
        jsonrpc: '2.0',
        method: 'call',
        params: {
          service: 'common',
          method: 'authenticate',
          args: [fake.database, fake.login, fake.password, {}],
        },
      });
      expect(calls[1]?.body).toMatchObject({
        params: {
          service: 'object',
          method: 'execute_kw',
          args: [
            fake.database,
            fake.uid,
            fake.password,
            'res.partner',
            'search',
            [[['email', '=', 'nobody@example.com']]],
            { limit: 1 },
          ],
        },
      });
    } else {
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatchObject({
        path: '/json/2/res.partner/search',
        body: { domain: [['email', '=', 'nobody@example.com']], limit: 1 },
      });
      expect(calls[0]?.headers.authorization).toBe(`bearer ${fake.apiKey}`);
      expect(calls[0]?.headers['x-odoo-database']).toBe(fake.database);
    }
  });

  it('searches before it creates: an existing record is found, not duplicated', async () => {
    const client = odoo(protocol);
    const email = `max-${tag}@example.com`;
    const first = await client.ensure('res.partner', {
      match: [['email', '=', email]],
      values: { name: 'Max', email },
    });
    const second = await client.ensure('res.partner', {
      match: [['email', '=', email]],
      values: { name: 'Max', email },
    });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, created: false });
    expect(fake.all('res.partner').filter((p) => p.email === email)).toHaveLength(1);

    await client.ensure('res.partner', {
      match: [['email', '=', email]],
      values: { name: 'Max Mustermann' },
      update: true,
    });
    expect(fake.all('res.partner').find((p) => p.id === first.id)?.name).toBe('Max Mustermann');
  });

  it('makes one lead, not two, when the create times out but lands: the retry finds it', async () => {
    const email = `timeout-${tag}@example.com`;
    // Odoo creates the lead, then answers too late for the client.
    fake.delayNext('crm.lead.create', 1_500);
    const correlationId = crypto.randomUUID();
    const result = await odoo(protocol, { timeoutMs: 300 }).ensure(
      'crm.lead',
      { match: [['email_from', '=', email]], values: { name: 'Lead', email_from: email } },
      {
        triggeredBy: userId,
        correlationId,
        related: { table: 'whitepaper_downloads', id: crypto.randomUUID() },
      },
    );
    expect(result.created).toBe(false);
    expect(fake.all('crm.lead').filter((l) => l.email_from === email)).toHaveLength(1);
    expect(
      fake.callsOf('crm.lead.create').filter((c) => JSON.stringify(c.body).includes(email)),
    ).toHaveLength(1);

    const rows = (await logsOf(correlationId)).filter((r) => r.operation !== 'authenticate');
    expect(rows.map((r) => [r.operation, r.status])).toEqual([
      ['crm.lead.search', 'success'],
      ['crm.lead.create', 'timeout'],
      ['crm.lead.search', 'success'],
    ]);
    expect(rows.every((r) => r.triggered_by === userId && r.related_table === 'whitepaper_downloads')).toBe(
      true,
    );
    expect(rows[1]?.retry_context).toEqual({
      operation: 'ensure',
      input: {
        model: 'crm.lead',
        match: [['email_from', '=', email]],
        values: { name: 'Lead', email_from: email },
      },
    });
  });

  it('a later export (a job, a retry) after a failed one finds the lead the timed-out call made', async () => {
    const email = `later-${tag}@example.com`;
    fake.delayNext('crm.lead.create', 1_500);
    const input = {
      match: [['email_from', '=', email]] as [string, string, unknown][],
      values: { name: 'Lead', email_from: email },
    };
    const error = await failure(odoo(protocol, { timeoutMs: 300, attempts: 1 }).ensure('crm.lead', input));
    expect(error.kind).toBe('timeout');
    const again = await odoo(protocol).ensure('crm.lead', input);
    expect(again.created).toBe(false);
    expect(fake.all('crm.lead').filter((l) => l.email_from === email)).toHaveLength(1);
  });

  it('never repeats a bare create, which may have happened', async () => {
    const name = `bare-${tag}`;
    const client = odoo(protocol);
    await client.search('crm.lead', []); // signed in before the failure
    const creates = fake.callsOf('crm.lead.create').length;
    fake.failNext('crm.lead.create', FakeOdoo.fault('werkzeug.exceptions.ServiceUnavailable', 'busy', 503));
    const error = await failure(client.create('crm.lead', { name }));
    expect(fake.callsOf('crm.lead.create').length - creates).toBe(1);
    if (protocol === 'json2') expect(error).toMatchObject({ kind: 'http', status: 503, transient: true });
    else expect(error).toMatchObject({ kind: 'remote', transient: false });
  });

  it('retries a transient failure of a search', async () => {
    const client = odoo(protocol);
    await client.search('res.partner', []);
    fake.failNext('res.partner.search', { status: 502, body: 'Bad Gateway' });
    const before = fake.callsOf('res.partner.search').length;
    expect(await client.search('res.partner', [['email', '=', 'none@example.com']])).toEqual([]);
    expect(fake.callsOf('res.partner.search').length - before).toBe(2);
  });

  it('reports Odoo errors with their name and message', async () => {
    fake.failNext(
      'crm.lead.write',
      FakeOdoo.fault('odoo.exceptions.AccessError', 'You are not allowed to modify leads', 403),
    );
    const error = await failure(odoo(protocol).write('crm.lead', [1], { name: 'x' }));
    expect(error).toMatchObject({
      message: 'You are not allowed to modify leads',
      details: { code: 'odoo.exceptions.AccessError' },
    });
    const row = await database.db
      .selectFrom('integration_logs')
      .select(['status', 'error_code', 'error_message'])
      .where('operation', '=', 'crm.lead.write')
      .where('status', '=', 'error')
      .orderBy('started_at', 'desc')
      .executeTakeFirstOrThrow();
    expect(row).toEqual({
      status: 'error',
      error_code: 'odoo.exceptions.AccessError',
      error_message: 'You are not allowed to modify leads',
    });
  });

  it('refuses wrong credentials', async () => {
    const wrong =
      protocol === 'json2'
        ? { apiKey: 'wrong-api-key-000' }
        : { password: 'wrong-password-000', apiKey: undefined };
    const error = await failure(odoo(protocol, { config: wrong }).search('res.partner', []));
    if (protocol === 'json2')
      expect(error).toMatchObject({ kind: 'http', status: 401, message: 'Invalid apikey' });
    else expect(error).toMatchObject({ kind: 'remote', details: { code: 'odoo.access_denied' } });
  });
});

describe(`Odoo configuration and logging on ${testEngine()}`, () => {
  it('refuses a configuration that cannot sign in', () => {
    const http = new IntegrationHttp({ db: database.db, integration: 'odoo' });
    expect(() => new OdooClient({ url: fake.url, database: 'x', protocol: 'json2' }, http)).toThrow(
      /API key/,
    );
    expect(
      () => new OdooClient({ url: fake.url, database: 'x', protocol: 'jsonrpc', login: 'a' }, http),
    ).toThrow(/password/);
  });

  it('logged every call the fake received, and stored neither the password nor the API key', async () => {
    const rows = await database.db
      .selectFrom('integration_logs')
      .selectAll()
      .where('integration_name', '=', 'odoo')
      .execute();
    expect(rows.length).toBeGreaterThan(30);
    expect(rows).toHaveLength(fake.calls.length);
    const stored = JSON.stringify(rows);
    for (const secret of [fake.password, fake.apiKey, 'wrong-api-key-000', 'wrong-password-000']) {
      expect(stored).not.toContain(secret);
    }
    const json2 = rows.find((r) => r.endpoint?.includes('/json/2/'));
    expect(json2?.request_data).toMatchObject({
      headers: { authorization: REDACTED, 'x-odoo-database': fake.database },
    });
    const auth = rows.find((r) => r.operation === 'authenticate');
    expect(auth?.request_data).toMatchObject({
      body: { params: { args: [fake.database, fake.login, REDACTED, {}] } },
    });
  });
});
