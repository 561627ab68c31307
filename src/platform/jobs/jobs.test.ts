import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, TestClock } from '../../../test/helpers/app.ts';
import { as, makeUser, signIn } from '../../../test/helpers/auth.ts';
import { createTestDatabase, secondConnection, testEngine } from '../../../test/helpers/db.ts';
import type { Database } from '../db/connection.ts';
import { Jobs } from './index.ts';

let database: Database;

const FAST = { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1 };

async function until<T>(check: () => Promise<T | undefined> | T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function state(queue: string, id: string): Promise<string | undefined> {
  const { rows } = await sql<{ state: string }>`
    SELECT state::text AS state FROM pgboss.job WHERE name = ${queue} AND id = ${id}`.execute(database.db);
  return rows[0]?.state;
}

beforeAll(async () => {
  database = await createTestDatabase();
});

afterAll(async () => {
  await database.close();
});

describe(`background jobs on ${testEngine()}`, () => {
  it('runs a job scheduled for later at its time, not before', async () => {
    const jobs = Jobs.create(database, FAST);
    const ran: number[] = [];
    jobs.define<{ at: number }>({ name: 'test.later', retryLimit: 0, retryDelay: 1 }, () => {
      ran.push(Date.now());
    });
    await jobs.start();
    try {
      const sentAt = Date.now();
      const id = await jobs.send('test.later', { at: sentAt }, { startAfter: 3 });
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(ran).toEqual([]);
      expect(await state('test.later', id)).toBe('created');
      const at = await until(() => ran[0]);
      expect(at - sentAt).toBeGreaterThanOrEqual(2900);
      expect(
        await until(async () => ((await state('test.later', id)) === 'completed' ? true : undefined)),
      ).toBe(true);
    } finally {
      await jobs.stop();
    }
  });

  it('keeps a job across a restart: enqueued by one instance, run by the next', async () => {
    const first = Jobs.create(database, FAST);
    first.define({ name: 'test.durable', retryLimit: 0, retryDelay: 1 }, () => {
      throw new Error('the first instance must not run it');
    });
    await first.start();
    const id = await first.send('test.durable', { n: 1 }, { startAfter: 2 });
    await first.stop();

    const second = Jobs.create(database, FAST);
    const ran: unknown[] = [];
    second.define({ name: 'test.durable', retryLimit: 0, retryDelay: 1 }, (data) => {
      ran.push(data);
    });
    await second.start();
    try {
      await until(() => (ran.length ? ran : undefined));
      expect(ran).toEqual([{ n: 1 }]);
      expect(
        await until(async () => ((await state('test.durable', id)) === 'completed' ? 1 : undefined)),
      ).toBe(1);
    } finally {
      await second.stop();
    }
  });

  it('retries a failing job with backoff, keeps it as failed, and runs it again on request', async () => {
    const jobs = Jobs.create(database, FAST);
    const attempts: number[] = [];
    const times: number[] = [];
    let healthy = false;
    jobs.define({ name: 'test.flaky', retryLimit: 2, retryDelay: 1 }, (_data, job) => {
      attempts.push(job.retryCount);
      times.push(Date.now());
      if (!healthy) throw new Error('the partner system is down');
    });
    await jobs.start();
    try {
      const id = await jobs.send('test.flaky', { order: 42 });
      await until(async () => ((await state('test.flaky', id)) === 'failed' ? true : undefined), 30_000);
      expect(attempts).toEqual([0, 1, 2]);
      // Exponential backoff: about 1 s before the first retry, about 2 s before the second.
      const [t0 = 0, t1 = 0, t2 = 0] = times;
      expect(t1 - t0).toBeGreaterThanOrEqual(900);
      expect(t2 - t1).toBeGreaterThanOrEqual(1800);

      const failed = await jobs.failed(database.db, { queue: 'test.flaky', page: 1, per_page: 10 });
      expect(failed.total).toBe(1);
      expect(failed.items[0]).toMatchObject({
        id,
        queue: 'test.flaky',
        data: { order: 42 },
        error: 'the partner system is down',
        retry_count: 2,
      });

      healthy = true;
      expect(await jobs.retry('test.flaky', id)).toBe(true);
      await until(async () => ((await state('test.flaky', id)) === 'completed' ? true : undefined));
      expect(attempts.length).toBe(4);
      expect(await jobs.retry('test.flaky', id)).toBe(false);
    } finally {
      await jobs.stop();
    }
  }, 60_000);

  it('runs each job once when two instances work the same queue', async () => {
    const other = await secondConnection(database);
    const runs = new Map<number, string[]>();
    const instances = ['a', 'b'].map((name, i) => {
      const jobs = Jobs.create(i === 0 ? database : other.database, FAST);
      jobs.define<{ n: number }>({ name: 'test.once', retryLimit: 0, retryDelay: 1 }, async ({ n }) => {
        runs.set(n, [...(runs.get(n) ?? []), name]);
        await new Promise((resolve) => setTimeout(resolve, 20));
      });
      return jobs;
    });
    for (const jobs of instances) await jobs.start();
    try {
      const [first] = instances;
      if (!first) throw new Error('no instance');
      for (let n = 0; n < 20; n++) await first.send('test.once', { n });
      await until(() => (runs.size === 20 ? true : undefined), 40_000);
      // Settle: a second run would show up now.
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect([...runs.values()].every((by) => by.length === 1)).toBe(true);
      expect(runs.size).toBe(20);
    } finally {
      for (const jobs of instances) await jobs.stop();
      await other.close();
    }
  }, 60_000);
});

describe(`the jobs API on ${testEngine()}`, () => {
  it('lists queues and failed jobs, retries one, and is for settings.manage only', async () => {
    let healthy = false;
    const app = await buildTestApp(database, (app) => {
      app.jobs.define({ name: 'test.api', retryLimit: 0, retryDelay: 1 }, () => {
        if (!healthy) throw new Error('Odoo answered 502');
      });
    });
    try {
      const admin = await signIn(app, await makeUser(database, 'admin'));
      const editor = await signIn(app, await makeUser(database, 'editor'));

      const id = await app.jobs.send('test.api', { lead: 'x' });
      const listed = await until(async () => {
        const list = await app.inject(
          as(admin, { method: 'GET', url: '/api/v1/jobs/failed?queue=test.api' }),
        );
        const body = list.json<{ items: { id: string; error: string }[]; total: number }>();
        return body.total > 0 ? body : undefined;
      });
      expect(listed.items[0]).toMatchObject({ id, error: 'Odoo answered 502' });

      const queues = await app.inject(as(admin, { method: 'GET', url: '/api/v1/jobs/queues' }));
      expect(queues.statusCode).toBe(200);
      const items = queues.json<{ items: { name: string; counts: Record<string, number> }[] }>().items;
      expect(items.map((q) => q.name)).toEqual(
        expect.arrayContaining(['maintenance.audit_partitions', 'maintenance.sessions', 'test.api']),
      );
      expect(items.find((q) => q.name === 'test.api')?.counts['failed']).toBe(1);
      const { rows: schedules } = await sql<{ name: string }>`
        SELECT name FROM pgboss.schedule ORDER BY name`.execute(database.db);
      expect(schedules.map((s) => s.name)).toEqual([
        'bookings.calendar_sweep',
        'maintenance.audit_partitions',
        'maintenance.booking_idempotency_keys',
        'maintenance.sessions',
      ]);

      healthy = true;
      const retried = await app.inject(
        as(admin, { method: 'POST', url: `/api/v1/jobs/test.api/${id}/retry` }),
      );
      expect(retried.statusCode).toBe(202);
      await until(async () => ((await state('test.api', id)) === 'completed' ? true : undefined));
      const again = await app.inject(as(admin, { method: 'POST', url: `/api/v1/jobs/test.api/${id}/retry` }));
      expect([again.statusCode, again.json<{ error: { code: string } }>().error.code]).toEqual([
        404,
        'jobs.not_failed',
      ]);
      const unknownQueue = await app.inject(
        as(admin, { method: 'POST', url: `/api/v1/jobs/no.such.queue/${id}/retry` }),
      );
      expect(unknownQueue.statusCode).toBe(404);

      const forbidden = await app.inject(as(editor, { method: 'GET', url: '/api/v1/jobs/queues' }));
      expect(forbidden.statusCode).toBe(403);
      const bad = await app.inject(as(admin, { method: 'GET', url: '/api/v1/jobs/failed?per_page=0' }));
      expect(bad.statusCode).toBe(400);
    } finally {
      await app.close();
    }
  }, 60_000);

  it('keeps the audit trail partitions ahead, through the maintenance job', async () => {
    const app = await buildTestApp(database);
    try {
      const { rows: before } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'audit_logs'::regclass`.execute(
        database.db,
      );
      const id = await app.jobs.send('maintenance.audit_partitions', {});
      await until(async () =>
        (await state('maintenance.audit_partitions', id)) === 'completed' ? 1 : undefined,
      );
      const { rows: after } = await sql<{ n: number }>`
        SELECT count(*)::int AS n FROM pg_inherits WHERE inhparent = 'audit_logs'::regclass`.execute(
        database.db,
      );
      // The default partition plus this month and the next three.
      expect(after[0]?.n).toBeGreaterThanOrEqual(5);
      expect(after[0]?.n).toBeGreaterThanOrEqual(before[0]?.n ?? 0);
    } finally {
      await app.close();
    }
  });

  it('forgets booking idempotency keys after a day, through the maintenance job', async () => {
    const clock = new TestClock(new Date('2026-11-20T12:00:00Z'));
    const app = await buildTestApp(database, { clock: clock.now });
    try {
      await database.db
        .insertInto('booking_idempotency_keys')
        .values([
          {
            key_digest: 'a'.repeat(64),
            request_digest: 'b'.repeat(64),
            created_at: new Date('2026-11-19T11:00:00Z'),
          },
          {
            key_digest: 'c'.repeat(64),
            request_digest: 'd'.repeat(64),
            created_at: new Date('2026-11-19T13:00:00Z'),
          },
        ])
        .execute();
      const id = await app.jobs.send('maintenance.booking_idempotency_keys', {});
      await until(async () =>
        (await state('maintenance.booking_idempotency_keys', id)) === 'completed' ? 1 : undefined,
      );
      const left = await database.db.selectFrom('booking_idempotency_keys').select('key_digest').execute();
      expect(left.map((k) => k.key_digest)).toEqual(['c'.repeat(64)]);
    } finally {
      await app.close();
    }
  });
});
