import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../test/helpers/app.ts';
import { createTestDatabase, testEngine } from '../test/helpers/db.ts';
import { Factories } from '../test/helpers/factories.ts';
import { writeTransaction } from './platform/audit/context.ts';
import type { Database } from './platform/db/connection.ts';
import { errorResponses } from './platform/http/schemas.ts';

let database: Database;
let app: FastifyInstance;
let adminId: string;
let release: () => void = () => undefined;

const Body = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 20 }), count: Type.Integer({ minimum: 1 }) },
  { additionalProperties: false },
);

beforeAll(async () => {
  database = await createTestDatabase();
  adminId = (await Factories.for(database).admin({ role: 'super_admin' })).id;
  app = await buildTestApp(database, (app) => {
    // Routes of the test only: a validated body, a write on behalf of the request, a slow request.
    app.post(
      '/api/v1/test/echo',
      {
        config: { access: 'public' },
        schema: { operationId: 'testEcho', body: Body, response: { 200: Body, ...errorResponses(400) } },
      },
      (request) => request.body,
    );
    app.post<{ Params: { id: string } }>(
      '/api/v1/test/pages/:id/archive',
      { config: { access: 'public' }, schema: { operationId: 'testArchive' } },
      async (request) => {
        await writeTransaction(
          database.db,
          { ...request.actor, userId: adminId, userEmail: 'ada@example.com' },
          (trx) =>
            trx
              .updateTable('pages')
              .set({ status: 'archived' })
              .where('id', '=', request.params.id)
              .execute(),
        );
        return { ok: true };
      },
    );
    app.get(
      '/api/v1/test/slow',
      { config: { access: 'public' }, schema: { operationId: 'testSlow' } },
      async () => {
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        return { finished: true };
      },
    );
    app.get(
      '/api/v1/test/boom',
      { config: { access: 'public' }, schema: { operationId: 'testBoom' } },
      () => {
        throw new Error('secret internals: password=hunter2');
      },
    );
  });
});

afterAll(async () => {
  await app.close();
  await database.close();
});

describe(`the server on ${testEngine()}`, () => {
  it('answers liveness and readiness', async () => {
    expect((await app.inject('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ok', checks: { database: 'ok' } });
  });

  it('answers JSON 404 under /api in the error shape, in German when asked', async () => {
    const en = await app.inject('/api/v1/nothing-here');
    expect(en.statusCode).toBe(404);
    expect(en.json()).toEqual({
      error: { code: 'not_found', message: 'There is nothing at this address.', details: [] },
    });
    const de = await app.inject({
      url: '/api/v1/nothing-here',
      headers: { 'accept-language': 'de-DE,de;q=0.9' },
    });
    expect(de.json<{ error: { message: string } }>().error.message).toBe(
      'Unter dieser Adresse gibt es nichts.',
    );
  });

  it.each([
    ['a missing field', { name: 'x' }, 'count'],
    ['a wrong type', { name: 'x', count: '5' }, 'count'],
    ['a too long value', { name: 'x'.repeat(21), count: 1 }, 'name'],
    ['an unknown field', { name: 'x', count: 1, admin: true }, ''],
  ])('refuses %s with 400 validation.failed naming the field', async (_label, payload, field) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/test/echo', payload });
    expect(res.statusCode).toBe(400);
    const body = res.json<{ error: { code: string; details: { field: string }[] } }>();
    expect(body.error.code).toBe('validation.failed');
    expect(body.error.details.map((d) => d.field).join(' ')).toContain(field);
  });

  it('refuses malformed JSON with 400 and the error shape', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/v1/test/echo',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": ',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('request.malformed');
  });

  it('hides the internals of a 500 and gives the request id instead', async () => {
    const res = await app.inject('/api/v1/test/boom');
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('hunter2');
    expect(res.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'internal',
      message: expect.stringContaining(res.headers['x-request-id'] as string) as unknown,
    });
  });

  it('keeps a caller-given request id and creates one otherwise', async () => {
    const given = randomUUID();
    expect(
      (await app.inject({ url: '/health/live', headers: { 'x-request-id': given } })).headers['x-request-id'],
    ).toBe(given);
    const made = (await app.inject({ url: '/health/live', headers: { 'x-request-id': 'not a uuid' } }))
      .headers['x-request-id'];
    expect(made).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends security headers', async () => {
    const res = await app.inject('/health/live');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('carries the actor, IP, user agent and request id of a request into the audit trail', async () => {
    const page = await Factories.for(database).page(adminId);
    const requestId = randomUUID();
    const res = await app.inject({
      method: 'POST',
      url: `/api/v1/test/pages/${page.id}/archive`,
      headers: { 'x-request-id': requestId, 'user-agent': 'Mozilla/5.0 (test)' },
      remoteAddress: '198.51.100.23',
    });
    expect(res.statusCode).toBe(200);
    const row = await database.db
      .selectFrom('audit_logs')
      .selectAll()
      .where('record_id', '=', page.id)
      .where('event_type', '=', 'UPDATE')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      user_id: adminId,
      user_email: 'ada@example.com',
      ip_address: '198.51.100.23',
      user_agent: 'Mozilla/5.0 (test)',
      request_id: requestId,
      changed_fields: ['status'],
    });
  });

  it('publishes an OpenAPI 3.1 document and the docs UI', async () => {
    const doc = (await app.inject('/api/openapi.json')).json<{
      openapi: string;
      paths: Record<string, Record<string, { tags?: string[] }>>;
      tags: { name: string; description: string }[];
    }>();
    expect(doc.openapi).toBe('3.1.0');
    // Every tag an operation uses is declared with a description, so the docs group and explain it.
    const used = new Set(
      Object.values(doc.paths).flatMap((operations) =>
        Object.values(operations).flatMap((o) => o.tags ?? []),
      ),
    );
    expect([...used].filter((tag) => !doc.tags.some((t) => t.name === tag))).toEqual([]);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/health/live', '/health/ready']));
    const ui = await app.inject('/api/docs/');
    expect(ui.statusCode).toBe(200);
    expect(ui.headers['content-type']).toContain('text/html');
  });

  it('refuses at start a route under /api/v1 that declares no access rule', async () => {
    await expect(
      buildTestApp(database, (other) => {
        other.get('/api/v1/undeclared', () => 'x');
      }),
    ).rejects.toThrow(/GET \/api\/v1\/undeclared declares no access rule/);
  });

  it('refuses at start a documented route without an operationId, or with one already taken', async () => {
    const access = { config: { access: 'public' as const } };
    await expect(
      buildTestApp(database, (other) => {
        other.get('/api/v1/unnamed', access, () => 'x');
      }),
    ).rejects.toThrow(/GET \/api\/v1\/unnamed declares no schema.operationId/);
    await expect(
      buildTestApp(database, (other) => {
        other.get('/api/v1/twin', { ...access, schema: { operationId: 'listPages' } }, () => 'x');
      }),
    ).rejects.toThrow(/GET \/api\/v1\/pages and GET \/api\/v1\/twin share the operationId "listPages"/);
  });
});

describe(`shutdown on ${testEngine()}`, () => {
  it('lets an in-flight request finish before it closes', async () => {
    const slow = app.inject('/api/v1/test/slow');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closing = app.close();
    release();
    const res = await slow;
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ finished: true });
    await closing;
  });

  it('keeps its validators when a module adds a shared schema of its own', async () => {
    const other = await buildTestApp(database, async (extended) => {
      await extended.register((scope, _options, done) => {
        scope.addSchema({ $id: 'ModuleOwn', type: 'object', properties: { n: { type: 'integer' } } });
        scope.post(
          '/api/v1/test/strict',
          {
            config: { access: 'public' },
            schema: { operationId: 'testEcho', body: Body, response: { 200: Body, ...errorResponses(400) } },
          },
          (request) => request.body,
        );
        done();
      });
    });
    try {
      // Bodies are still not coerced ("5" is not a number) and unknown fields are still refused.
      const coerced = await other.inject({
        method: 'POST',
        url: '/api/v1/test/strict',
        payload: { name: 'a', count: '5' },
      });
      expect(coerced.statusCode).toBe(400);
      const extra = await other.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'a@example.com', password: 'x', surprise: true },
      });
      expect(extra.statusCode).toBe(400);
    } finally {
      await other.close();
    }
  });
});
