import { rejection } from '../../../test/helpers/errors.ts';
import { createServer } from 'node:net';
import type { Selectable } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, testEngine } from '../../../test/helpers/db.ts';
import { Factories } from '../../../test/helpers/factories.ts';
import { FakeServer, type FakeCall, type FakeResponse } from '../../../test/fakes/server.ts';
import type { Database } from '../db/connection.ts';
import type { IntegrationLogs } from '../db/schema.ts';
import { backoffDelay, IntegrationError, IntegrationHttp } from './http.ts';
import { redact, redactString, redactUrl, REDACTED } from './redact.ts';

/** Answers 200 with what it received; the tests make it fail or wait. */
class EchoServer extends FakeServer {
  protected operationOf(_method: string, path: string): string {
    return path.slice(1);
  }
  protected handle(call: FakeCall): FakeResponse {
    return { status: 200, body: { received: call.body, ok: true } };
  }
}

let database: Database;
let server: EchoServer;
let delays: number[];
let userId: string;

function client(options: { timeoutMs?: number; attempts?: number } = {}): IntegrationHttp {
  return new IntegrationHttp({
    db: database.db,
    integration: 'odoo',
    timeoutMs: options.timeoutMs ?? 2_000,
    retry: { attempts: options.attempts ?? 3, baseDelayMs: 100, maxDelayMs: 1_000 },
    sleep: (ms) => {
      delays.push(ms);
      return Promise.resolve();
    },
  });
}

async function rowsOf(operation: string): Promise<Selectable<IntegrationLogs>[]> {
  return database.db
    .selectFrom('integration_logs')
    .selectAll()
    .where('operation', '=', operation)
    .orderBy('attempt')
    .execute();
}

function failure(promise: Promise<unknown>): Promise<IntegrationError> {
  return rejection(promise, IntegrationError);
}

beforeAll(async () => {
  database = await createTestDatabase();
  server = await new EchoServer().listen();
  userId = (await Factories.for(database).admin()).id;
});

afterAll(async () => {
  await server.close();
  await database.close();
});

beforeEach(() => {
  delays = [];
  server.reset();
});

describe(`the integration HTTP client on ${testEngine()}`, () => {
  it('logs a successful call with its context: who, what record, endpoint, request, response, duration', async () => {
    const related = { table: 'bookings', id: '3f8a2c1e-0000-4000-8000-000000000001' };
    const response = await client().request(
      {
        operation: 'ok-call',
        method: 'POST',
        url: `${server.url}/ok-call`,
        json: { name: 'Erika' },
        idempotent: false,
        retryContext: { operation: 'ensure', input: { model: 'crm.lead' } },
      },
      { triggeredBy: userId, related, correlationId: 'c0ffee00-0000-4000-8000-000000000000' },
    );
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ received: { name: 'Erika' }, ok: true });
    const [row, ...more] = await rowsOf('ok-call');
    expect(more).toEqual([]);
    expect(row).toMatchObject({
      id: response.logId,
      integration_name: 'odoo',
      direction: 'outbound',
      endpoint: `${server.url}/ok-call`,
      status: 'success',
      error_message: null,
      attempt: 1,
      triggered_by: userId,
      related_table: 'bookings',
      related_id: related.id,
      correlation_id: 'c0ffee00-0000-4000-8000-000000000000',
      retry_context: { operation: 'ensure', input: { model: 'crm.lead' } },
    });
    expect(row?.request_data).toMatchObject({ method: 'POST', body: { name: 'Erika' } });
    expect(row?.response_data).toEqual({ status: 200, body: { received: { name: 'Erika' }, ok: true } });
    expect(row?.duration_ms).toBeGreaterThanOrEqual(0);
    expect(row?.completed_at?.getTime()).toBeGreaterThanOrEqual(row?.started_at.getTime() ?? Infinity);
  });

  it('retries an idempotent call after 503s with growing waits, one row per attempt', async () => {
    server.failNext('flaky-read', { status: 503, body: { message: 'busy' } }, 2);
    const response = await client().request({
      operation: 'flaky-read',
      method: 'GET',
      url: `${server.url}/flaky-read`,
      idempotent: true,
    });
    expect(response.status).toBe(200);
    expect(server.callsOf('flaky-read')).toHaveLength(3);
    const rows = await rowsOf('flaky-read');
    expect(rows.map((r) => [r.attempt, r.status, r.error_code])).toEqual([
      [1, 'error', 'http_503'],
      [2, 'error', 'http_503'],
      [3, 'success', null],
    ]);
    expect(delays).toHaveLength(2);
    expect(delays[0]).toBeGreaterThanOrEqual(50);
    expect(delays[0]).toBeLessThanOrEqual(100);
    expect(delays[1]).toBeGreaterThanOrEqual(100);
    expect(delays[1]).toBeLessThanOrEqual(200);
  });

  it('retries a call that carries an idempotency key, and stores the key', async () => {
    server.failNext('keyed', { status: 502 });
    await client().request({
      operation: 'keyed',
      method: 'POST',
      url: `${server.url}/keyed`,
      json: {},
      idempotent: false,
      idempotencyKey: 'booking-42',
    });
    const rows = await rowsOf('keyed');
    expect(rows.map((r) => [r.attempt, r.status, r.idempotency_key])).toEqual([
      [1, 'error', 'booking-42'],
      [2, 'success', 'booking-42'],
    ]);
  });

  it('never repeats a call that is not idempotent: one attempt, one row, even after a 503', async () => {
    server.failNext('create-once', { status: 503 });
    const error = await failure(
      client().request({
        operation: 'create-once',
        method: 'POST',
        url: `${server.url}/create-once`,
        json: { name: 'x' },
        idempotent: false,
      }),
    );
    expect(error.transient).toBe(true);
    expect(server.callsOf('create-once')).toHaveLength(1);
    expect(await rowsOf('create-once')).toHaveLength(1);
    expect(delays).toEqual([]);
  });

  it('gives up after the timeout, logs status timeout, and does not repeat a non-idempotent call', async () => {
    server.delayNext('slow-create', 1_500);
    const started = Date.now();
    const error = await failure(
      client({ timeoutMs: 200 }).request({
        operation: 'slow-create',
        method: 'POST',
        url: `${server.url}/slow-create`,
        json: {},
        idempotent: false,
      }),
    );
    expect(Date.now() - started).toBeLessThan(1_400);
    expect(error.kind).toBe('timeout');
    const rows = await rowsOf('slow-create');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: 'timeout', error_code: 'timeout', response_data: null });
    expect(rows[0]?.duration_ms).toBeGreaterThanOrEqual(150);
    expect(server.callsOf('slow-create')).toHaveLength(1);
  });

  it('retries an idempotent call after a timeout', async () => {
    server.delayNext('slow-read', 1_000);
    const response = await client({ timeoutMs: 200 }).request({
      operation: 'slow-read',
      method: 'GET',
      url: `${server.url}/slow-read`,
      idempotent: true,
    });
    expect(response.status).toBe(200);
    expect((await rowsOf('slow-read')).map((r) => r.status)).toEqual(['timeout', 'success']);
  });

  it('does not retry an answer that will not change (400), even for an idempotent call', async () => {
    server.failNext('bad', { status: 400, body: { message: 'no' } });
    const error = await failure(
      client().request({
        operation: 'bad',
        method: 'GET',
        url: `${server.url}/bad`,
        idempotent: true,
        describeError: (status, body) => ({
          code: `refused_${status}`,
          message: (body as { message: string }).message,
        }),
      }),
    );
    expect(error).toMatchObject({
      kind: 'http',
      message: 'no',
      details: { status: 400, code: 'refused_400' },
    });
    expect(await rowsOf('bad')).toHaveLength(1);
  });

  it('logs a connection failure with its cause, and retries it when idempotent', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(
      client({ attempts: 2 }).request({
        operation: 'unreachable',
        method: 'GET',
        url: `http://127.0.0.1:${port}/x`,
        idempotent: true,
      }),
    );
    expect(error.kind).toBe('network');
    const rows = await rowsOf('unreachable');
    expect(rows.map((r) => [r.attempt, r.status, r.error_code])).toEqual([
      [1, 'error', 'ECONNREFUSED'],
      [2, 'error', 'ECONNREFUSED'],
    ]);
  });

  it('treats the statuses it is told to as answers, and finds errors inside a 200', async () => {
    server.failNext('gone', { status: 410, body: { error: 'deleted' } });
    const gone = await client().request({
      operation: 'gone',
      method: 'DELETE',
      url: `${server.url}/gone`,
      idempotent: true,
      okStatuses: [204, 404, 410],
    });
    expect(gone.status).toBe(410);
    expect((await rowsOf('gone'))[0]?.status).toBe('success');

    const error = await failure(
      client().request({
        operation: 'rpc-error',
        method: 'POST',
        url: `${server.url}/rpc-error`,
        json: {},
        idempotent: true,
        remoteError: (body) =>
          (body as { ok?: boolean }).ok ? { code: 'app.refused', message: 'refused' } : null,
      }),
    );
    expect(error).toMatchObject({ kind: 'remote', transient: false, details: { code: 'app.refused' } });
    expect((await rowsOf('rpc-error')).map((r) => r.status)).toEqual(['error']);
  });

  it('stores no secret: headers, body keys, positional values, URL credentials and query tokens', async () => {
    const password = 'pa55word-positional-9f3k';
    const apiKey = 'api-key-7d1c0e2b9a';
    const token = 'ya29.bearer-token-abcdef';
    const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
    server.failNext('secrets', {
      status: 500,
      body: { access_token: 'echoed-token-xyz1', message: `denied for ${password}` },
    });
    await failure(
      client({ attempts: 1 }).request({
        operation: 'secrets',
        method: 'POST',
        url: `http://user:${password}@127.0.0.1:${new URL(server.url).port}/secrets?access_token=${token}&page=2`,
        headers: { authorization: `Bearer ${token}`, 'x-api-key': apiKey, 'x-trace': 'visible' },
        json: {
          args: ['db', 7, password, 'crm.lead'],
          nested: { api_key: apiKey, private_key: pem, note: `key ${apiKey} inside` },
          refresh_token: 'refresh-1234',
        },
        idempotent: true,
        secrets: [password, apiKey],
        describeError: () => ({ code: 'denied', message: `denied for ${password}` }),
        retryContext: { operation: 'x', input: { password } },
      }),
    );
    const [row] = await rowsOf('secrets');
    const stored = JSON.stringify(row);
    for (const secret of [
      password,
      apiKey,
      token,
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      'refresh-1234',
      'echoed-token-xyz1',
    ]) {
      expect(stored).not.toContain(secret);
    }
    expect(row?.endpoint).toBe(
      `http://127.0.0.1:${new URL(server.url).port}/secrets?access_token=${REDACTED}&page=2`,
    );
    expect(row?.request_data).toMatchObject({
      headers: { authorization: REDACTED, 'x-api-key': REDACTED, 'x-trace': 'visible' },
      body: { args: ['db', 7, REDACTED, 'crm.lead'], nested: { api_key: REDACTED, private_key: REDACTED } },
    });
    expect(row?.error_message).toBe(`denied for ${REDACTED}`);
    // The server did get the real values.
    expect(server.callsOf('secrets')[0]?.headers.authorization).toBe(`Bearer ${token}`);
  });
});

describe('redaction', () => {
  it('replaces values under secret keys, whatever their case or separators, and keeps the rest', () => {
    expect(
      redact({
        Password: 'x1',
        clientSecret: 's',
        'X-Api-Key': 'k',
        token_type: 'Bearer',
        token_uri: 'https://oauth2.googleapis.com/token',
        email: 'a@b.c',
        list: [{ key: 'v' }],
        empty: { password: '' },
      }),
    ).toEqual({
      Password: REDACTED,
      clientSecret: REDACTED,
      'X-Api-Key': REDACTED,
      token_type: 'Bearer',
      token_uri: 'https://oauth2.googleapis.com/token',
      email: 'a@b.c',
      list: [{ key: REDACTED }],
      empty: { password: '' },
    });
  });

  it('finds secrets by shape: bearer tokens, JWTs, PEM keys', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl';
    expect(redactString(`Authorization: Bearer abc.def-123 and ${jwt}`)).toBe(
      `Authorization: Bearer ${REDACTED} and ${REDACTED}`,
    );
    expect(redactString('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----')).toBe(
      REDACTED,
    );
  });

  it('strips credentials from URLs', () => {
    expect(redactUrl('https://bot:hunter22@odoo.example.com/jsonrpc?key=abc&db=x')).toBe(
      `https://odoo.example.com/jsonrpc?key=${REDACTED}&db=x`,
    );
  });

  it('waits longer after each attempt, never beyond the cap, and honours Retry-After', () => {
    const policy = { attempts: 5, baseDelayMs: 100, maxDelayMs: 300 };
    for (let i = 0; i < 20; i++) {
      expect(backoffDelay(policy, 1)).toBeGreaterThanOrEqual(50);
      expect(backoffDelay(policy, 1)).toBeLessThanOrEqual(100);
      expect(backoffDelay(policy, 4)).toBeLessThanOrEqual(300);
    }
    expect(backoffDelay(policy, 1, 250)).toBe(250);
  });
});
