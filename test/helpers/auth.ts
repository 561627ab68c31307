import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Role } from '../../src/modules/identity/index.ts';
import type { Database } from '../../src/platform/db/connection.ts';
import { createAdmin } from '../../src/platform/seed.ts';

export const PASSWORD = 'correct horse battery staple';

export interface TestUser {
  id: string;
  email: string;
  password: string;
  role: Role;
}

let counter = 0;

/** A user of `role` with a known password, written straight to the database. */
export async function makeUser(database: Database, role: Role, password = PASSWORD): Promise<TestUser> {
  counter += 1;
  const email = `${role.replace('_', '-')}-${counter}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  const { id } = await createAdmin(database.db, { email, password, role, firstName: 'Test', lastName: role });
  return { id, email, password, role };
}

export interface Session {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  user: { id: string; role: string; version: number };
}

/** Signs in through the API; fails the test when that does not answer 200. */
export async function signIn(
  app: FastifyInstance,
  user: Pick<TestUser, 'email' | 'password'>,
): Promise<Session> {
  const response = await app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email: user.email, password: user.password },
  });
  if (response.statusCode !== 200) {
    throw new Error(`sign-in of ${user.email} answered ${response.statusCode}: ${response.body}`);
  }
  return response.json<Session>();
}

/** Inject options with the session's bearer token. */
export function as(session: Pick<Session, 'access_token'>, options: InjectOptions): InjectOptions {
  return { ...options, headers: { ...options.headers, authorization: `Bearer ${session.access_token}` } };
}

/** One request as `session` (or without one), with an optional JSON body and headers. */
export function request(
  app: FastifyInstance,
  session: Pick<Session, 'access_token'> | undefined,
  method: InjectOptions['method'],
  url: string,
  payload?: object,
  headers: Record<string, string> = {},
) {
  const options: InjectOptions = { method, url, headers, ...(payload ? { payload } : {}) };
  return app.inject(session ? as(session, options) : options);
}
