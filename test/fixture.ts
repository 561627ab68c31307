import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { Role } from '../src/modules/identity/permissions.ts';
import type { Database } from '../src/platform/db/connection.ts';
import { buildTestApp, takeResponseViolations, TestClock, type TestAppOptions } from './helpers/app.ts';
import { makeUser, request, signIn, type Session, type TestUser } from './helpers/auth.ts';
import { createTestDatabase, testEngine, type TestEngine } from './helpers/db.ts';
import { Factories } from './helpers/factories.ts';

export interface ErrorJson {
  error: { code: string; message: string; details: { field?: string; code: string; message: string }[] };
}

export interface SignedIn {
  user: TestUser;
  session: Session;
}

export interface TestContext {
  readonly engine: TestEngine;
  readonly database: Database;
  readonly app: FastifyInstance;
  /** The app's clock; `clock.advance(minutes)` moves it, `clock.set(date)` stops it at a time. */
  readonly clock: TestClock;
  readonly factories: Factories;
  /** One user of `role`, made and signed in on first use, then the same one for the rest of the file. */
  as(role: Role): Promise<SignedIn>;
  /** A fresh user of `role` with a session of its own. */
  newUser(role: Role): Promise<SignedIn>;
  /** One request as `session` (or anonymous), with an optional JSON body and headers. */
  call(
    session: Pick<Session, 'access_token'> | undefined,
    method: InjectOptions['method'],
    url: string,
    payload?: object,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

export interface FixtureOptions extends Omit<TestAppOptions, 'clock'> {
  /** Stops the clock at this time (the test moves it); without it the clock runs with real time. */
  now?: Date;
  /** Work on the database before the app is built (seeding, rows the app reads at start). */
  before?: (database: Database) => Promise<void>;
}

/**
 * The one set-up of a test file: its own migrated database, the real app on it with a clock the test moves,
 * factories and signed-in users. Call it at the top of the file; the database and the app are built before the
 * first test and closed after the last. Every JSON answer is checked against its route's response schema, and a
 * test whose answers lied fails.
 */
export function useTestApp(options: FixtureOptions = {}): TestContext {
  const { now, before, ...appOptions } = options;
  let database: Database | undefined;
  let app: FastifyInstance | undefined;
  const clock = now ? new TestClock(now) : TestClock.running();
  const signedIn = new Map<Role, Promise<SignedIn>>();
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the test fixture's ${what} is used before beforeAll ran`);
    return value;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    await before?.(database);
    app = await buildTestApp(database, { ...appOptions, clock: clock.now });
  });

  afterEach(() => {
    if (app) expect(takeResponseViolations(app), 'answers that do not match their schema').toEqual([]);
  });

  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  const context: TestContext = {
    engine: testEngine(),
    get database() {
      return ready(database, 'database');
    },
    get app() {
      return ready(app, 'app');
    },
    clock,
    get factories() {
      return Factories.for(ready(database, 'database'));
    },
    async newUser(role) {
      const user = await makeUser(context.database, role);
      return { user, session: await signIn(context.app, user) };
    },
    as(role) {
      let entry = signedIn.get(role);
      if (!entry) {
        entry = context.newUser(role);
        signedIn.set(role, entry);
      }
      return entry;
    },
    call(session, method, url, payload, headers = {}) {
      return request(context.app, session, method, url, payload, headers);
    },
  };
  return context;
}

/** The error code of an answer. */
export function errorCode(response: LightMyRequestResponse): string {
  return response.json<ErrorJson>().error.code;
}

/** The fields named by an error answer's details. */
export function errorFields(response: LightMyRequestResponse): (string | undefined)[] {
  return response.json<ErrorJson>().error.details.map((d) => d.field);
}
