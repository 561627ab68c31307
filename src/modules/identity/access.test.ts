import { randomUUID } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp } from '../../../test/helpers/app.ts';
import { as, makeUser, signIn, type Session, type TestUser } from '../../../test/helpers/auth.ts';
import { useTestApp } from '../../../test/fixture.ts';
import type { AccessRule } from './guard.ts';
import { isPermission, ROLE_PERMISSIONS, ROLES, type Role } from './permissions.ts';

const t = useTestApp();
const users = {} as Record<Role, TestUser>;
const sessions = {} as Record<Role, Session>;
/** Every answer the walk saw, searched for secrets at the end. */
const bodies: string[] = [];

const GUARD_CODES = ['auth.required', 'auth.invalid_token', 'auth.token_expired', 'auth.forbidden'];

function errorCode(response: LightMyRequestResponse): string | undefined {
  try {
    return response.json<{ error?: { code?: string } }>().error?.code;
  } catch {
    return undefined;
  }
}

/** The route's URL with made-up ids; a body for the methods that carry one. */
function requestFor(rule: AccessRule): InjectOptions {
  const url = rule.url.replace(/:[A-Za-z]+/g, () => randomUUID());
  const method = rule.method as InjectOptions['method'];
  return ['POST', 'PUT', 'PATCH'].includes(rule.method) ? { method, url, payload: {} } : { method, url };
}

async function call(options: InjectOptions): Promise<LightMyRequestResponse> {
  const response = await t.app.inject(options);
  // The API description names the fields (refresh_token...) by design; answers carry data.
  if (options.url !== '/api/openapi.json') bodies.push(response.body, JSON.stringify(response.headers));
  return response;
}

/** Logging out ends the session the walk uses: sign in again for it, so later checks keep a live token. */
async function sessionFor(role: Role, rule: AccessRule): Promise<Session> {
  if (rule.url === '/api/v1/auth/logout') return signIn(t.app, users[role]);
  return sessions[role];
}

const apiRules = () =>
  t.app.accessRules.filter((r) => /^\/(api|health)(\/|$)/.test(r.url) && r.method !== 'HEAD');
const guarded = () => apiRules().filter((r) => r.access !== undefined && r.access !== 'public');

beforeAll(async () => {
  for (const role of ROLES) {
    users[role] = await makeUser(t.database, role);
    sessions[role] = await signIn(t.app, users[role]);
  }
});

describe(`access rules on ${t.engine}`, () => {
  it('every /api/v1 and /health route declares public, a session, or a permission from the catalogue', () => {
    const rules = apiRules().filter((r) => /^\/(api\/v1|health)(\/|$)/.test(r.url));
    expect(rules.length).toBeGreaterThan(30);
    for (const rule of rules) {
      const { access } = rule;
      expect(access, `${rule.method} ${rule.url}`).toBeDefined();
      if (typeof access === 'object') expect(isPermission(access.permission), rule.url).toBe(true);
    }
  });

  it('refuses to start with a route that declares no rule, or a permission the catalogue lacks', async () => {
    await expect(
      buildTestApp(t.database, (other) => {
        other.get('/api/v1/test/undeclared', () => ({}));
      }),
    ).rejects.toThrow(/declares no access rule/);
    await expect(
      buildTestApp(t.database, (other) => {
        other.get(
          '/api/v1/test/unknown',
          {
            config: { access: { permission: 'pages.destroy' as 'pages.read' } },
            schema: { operationId: 'testUnknown' },
          },
          () => ({}),
        );
      }),
    ).rejects.toThrow(/not in the permission catalogue/);
  });

  it('answers 401 auth.required without a session on every guarded route', async () => {
    const rules = guarded();
    expect(rules.length).toBeGreaterThan(25);
    for (const rule of rules) {
      const response = await call(requestFor(rule));
      expect([response.statusCode, errorCode(response)], `${rule.method} ${rule.url}`).toEqual([
        401,
        'auth.required',
      ]);
    }
  });

  it('answers 401 with a made-up or malformed token', async () => {
    const rule = guarded()[0];
    if (!rule) throw new Error('no guarded route');
    const madeUp = await call(as({ access_token: 'x'.repeat(43) }, requestFor(rule)));
    expect([madeUp.statusCode, errorCode(madeUp)]).toEqual([401, 'auth.invalid_token']);
    const malformed = await call({ ...requestFor(rule), headers: { authorization: 'Basic abc' } });
    expect([malformed.statusCode, errorCode(malformed)]).toEqual([401, 'auth.invalid_token']);
  });

  it('lets public routes through without a session', async () => {
    for (const rule of apiRules().filter((r) => r.access === 'public' || r.access === undefined)) {
      const response = await call(requestFor(rule));
      expect(GUARD_CODES, `${rule.method} ${rule.url}`).not.toContain(errorCode(response));
      expect(response.statusCode, `${rule.method} ${rule.url}`).not.toBe(403);
    }
  });

  for (const role of ROLES) {
    it(`gives ${role} exactly what the catalogue says: 403 without the permission, through with it`, async () => {
      const granted = ROLE_PERMISSIONS[role];
      for (const rule of guarded()) {
        const { access } = rule;
        const allowed =
          access === 'authenticated' || (typeof access === 'object' && granted.has(access.permission));
        const response = await call(as(await sessionFor(role, rule), requestFor(rule)));
        const what = `${role} ${rule.method} ${rule.url}`;
        if (allowed) {
          expect(GUARD_CODES, what).not.toContain(errorCode(response));
          expect(response.statusCode, what).not.toBe(403);
        } else {
          expect([response.statusCode, errorCode(response)], what).toEqual([403, 'auth.forbidden']);
        }
      }
    });
  }

  it('counts a grant scoped to a resource only on routes about that resource, and only while it lives', async () => {
    const scoped = await buildTestApp(t.database, (other) => {
      other.post<{ Params: { id: string } }>(
        '/api/v1/test/pages/:id/edit',
        {
          config: {
            access: {
              permission: 'pages.write',
              resource: (request) => `page:${(request.params as { id: string }).id}`,
            },
          },
          schema: { operationId: 'testEditPage' },
        },
        (request) => ({ id: request.params.id }),
      );
    });
    const viewer = users.viewer;
    const session = await signIn(scoped, viewer);
    const grant = await t.database.db
      .insertInto('user_permissions')
      .values({ user_id: viewer.id, permission: 'pages.write', resource: 'page:mine' })
      .returning('id')
      .executeTakeFirstOrThrow();
    try {
      const mine = await scoped.inject(as(session, { method: 'POST', url: '/api/v1/test/pages/mine/edit' }));
      expect(mine.statusCode).toBe(200);
      const other = await scoped.inject(
        as(session, { method: 'POST', url: '/api/v1/test/pages/theirs/edit' }),
      );
      expect([other.statusCode, errorCode(other)]).toEqual([403, 'auth.forbidden']);
      // A scoped grant is not a global one: the users' own guarded routes still refuse.
      const global = await scoped.inject(as(session, { method: 'GET', url: '/api/v1/users' }));
      expect(global.statusCode).toBe(403);

      await t.database.db
        .updateTable('user_permissions')
        .set({ granted_at: new Date(Date.now() - 7_200_000), expires_at: new Date(Date.now() - 1000) })
        .where('id', '=', grant.id)
        .execute();
      const expired = await scoped.inject(
        as(session, { method: 'POST', url: '/api/v1/test/pages/mine/edit' }),
      );
      expect([expired.statusCode, errorCode(expired)]).toEqual([403, 'auth.forbidden']);
    } finally {
      await t.database.db.deleteFrom('user_permissions').where('id', '=', grant.id).execute();
      await scoped.close();
    }
  });

  it('has the role defaults the issue names', () => {
    expect([...ROLE_PERMISSIONS.viewer].every((p) => p.endsWith('.read'))).toBe(true);
    expect(ROLE_PERMISSIONS.editor.has('pages.write')).toBe(true);
    expect(ROLE_PERMISSIONS.editor.has('users.manage')).toBe(false);
    expect(ROLE_PERMISSIONS.editor.has('settings.manage')).toBe(false);
    expect(ROLE_PERMISSIONS.admin.has('users.manage')).toBe(true);
    expect(ROLE_PERMISSIONS.super_admin.size).toBe(ROLE_PERMISSIONS.admin.size);
  });

  it('never let a password hash, a token digest or a secret into any answer of the walk', () => {
    expect(bodies.length).toBeGreaterThan(100);
    const all = bodies.join('\n');
    // Column names may be listed as changed (changed_fields), but never carry a value.
    const keys = ['hashed_password', 'password_reset_token', 'totp_secret', 'session_token', 'refresh_token'];
    for (const secret of ['$argon2', ...keys.map((k) => `"${k}":`)]) {
      expect(all.includes(secret), secret).toBe(false);
    }
    for (const session of Object.values(sessions)) {
      expect(all.includes(session.refresh_token), 'a refresh token').toBe(false);
    }
  });

  it('documents each operation’s rule in the OpenAPI description', async () => {
    const spec = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { security?: unknown[]; 'x-permission'?: string | null }>>;
    }>();
    expect(spec.paths['/api/v1/users']?.['get']?.['x-permission']).toBe('users.read');
    expect(spec.paths['/api/v1/auth/me']?.['get']?.['x-permission']).toBeNull();
    expect(spec.paths['/api/v1/auth/me']?.['get']?.security).toHaveLength(2);
    // Public: an empty security requirement (no sign-in), and no permission.
    expect(spec.paths['/api/v1/auth/login']?.['post']?.security).toEqual([]);
    expect(spec.paths['/api/v1/auth/login']?.['post']?.['x-permission']).toBeUndefined();
  });
});
