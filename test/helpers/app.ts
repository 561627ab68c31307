import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Clock } from '../../src/platform/clock.ts';
import type { Database } from '../../src/platform/db/connection.ts';
import type { ResponseViolation } from '../../src/platform/http/response-check.ts';
import type { Mailer } from '../../src/platform/mail/mailer.ts';

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    APP_SECRET: 'test-secret-that-is-at-least-32-characters',
    DATA_DIR: mkdtempSync(path.join(tmpdir(), 'magnetiq-app-')),
    // Tests sign in far more often than people; the limit has its own test.
    AUTH_RATE_LIMIT: '0',
    BOOKING_RATE_LIMIT: '0',
    SLOTS_RATE_LIMIT: '0',
    ...env,
  });
}

export interface TestAppOptions {
  /** Extra environment for the config (e.g. AUTH_RATE_LIMIT, SMTP_URL). */
  env?: Record<string, string>;
  clock?: Clock;
  mailer?: Mailer;
  /** Routes or hooks a test adds before the app is ready. */
  extend?: (app: FastifyInstance) => void | Promise<void>;
}

/** A clock a test moves by hand: stopped at a time, or (`TestClock.running()`) real time plus what it was moved. */
export class TestClock {
  private offset = 0;

  constructor(private current: Date | null = new Date()) {}

  static running(): TestClock {
    return new TestClock(null);
  }

  readonly now: Clock = () => new Date((this.current?.getTime() ?? Date.now()) + this.offset);
  advance(minutes: number): void {
    this.offset += minutes * 60_000;
  }
  set(date: Date): void {
    this.current = new Date(date);
    this.offset = 0;
  }
}

/** The real app on a test database, without a port: call it with app.inject(). */
export async function buildTestApp(
  database: Database,
  options: TestAppOptions | TestAppOptions['extend'] = {},
): Promise<FastifyInstance> {
  const { env, clock, mailer, extend } = typeof options === 'function' ? { extend: options } : options;
  const violations: ResponseViolation[] = [];
  const app = await buildApp({
    config: testConfig(env),
    responseViolations: violations,
    database,
    logger: false,
    ...(clock ? { clock } : {}),
    ...(mailer ? { mailer } : {}),
    jobs: { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1 },
  });
  responseChecks.set(app, violations);
  if (extend) await extend(app);
  await app.ready();
  return app;
}

const responseChecks = new WeakMap<FastifyInstance, ResponseViolation[]>();

/**
 * The answers of `app` so far that did not match their route's response schema, emptied by the call. The test
 * fixture fails a test that saw any.
 */
export function takeResponseViolations(app: FastifyInstance): ResponseViolation[] {
  const violations = responseChecks.get(app) ?? [];
  return violations.splice(0, violations.length);
}
