import { describe, expect, it } from 'vitest';
import { useTestApp, type ErrorJson } from '../../../test/fixture.ts';
import { seedEssentials } from '../seed.ts';

// Seeded as a server start does, so the setting is changed through the settings API with its rules.
const t = useTestApp({
  before: async (database) => {
    await seedEssentials(database.db, { email: 'seed@example.com', password: 'a long seed password' });
  },
});
const FRONT = 'https://front.example.com';

async function allowOrigins(origins: string[]): Promise<void> {
  const admin = await t.as('admin');
  const key = '/api/v1/settings/security.cors_origins';
  const current = await t.call(admin.session, 'GET', key);
  expect(current.statusCode).toBe(200);
  const { version } = current.json<{ version: number }>();
  const res = await t.call(admin.session, 'PUT', key, { value: origins, version });
  expect(res.statusCode).toBe(200);
}

function preflight(origin: string) {
  return t.app.inject({
    method: 'OPTIONS',
    url: '/api/v1/pages',
    headers: {
      origin,
      'access-control-request-method': 'PATCH',
      'access-control-request-headers': 'content-type, x-csrf-token',
    },
  });
}

describe('cross-origin calls (security.cors_origins)', () => {
  it('none by default: no CORS headers, and a preflight finds nothing', async () => {
    const res = await t.app.inject({ url: '/api/v1/public/navigation', headers: { origin: FRONT } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const pre = await preflight(FRONT);
    expect(pre.statusCode).toBe(404);
    expect(pre.json<ErrorJson>().error.code).toBe('not_found');
  });

  it('an allowed origin gets its preflight answered and its credentials accepted; others still do not', async () => {
    // Written as a person might (upper case, the default port): compared as the browser sends it.
    await allowOrigins(['https://Front.Example.com:443']);
    const pre = await preflight(FRONT);
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(FRONT);
    expect(pre.headers['access-control-allow-credentials']).toBe('true');
    expect(pre.headers['access-control-allow-methods']).toContain('PATCH');
    expect(String(pre.headers['access-control-allow-headers'])).toContain('x-csrf-token');

    const res = await t.app.inject({ url: '/api/v1/public/navigation', headers: { origin: FRONT } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(FRONT);
    expect(res.headers['access-control-expose-headers']).toContain('x-request-id');

    const other = await t.app.inject({
      url: '/api/v1/public/navigation',
      headers: { origin: 'https://evil.example.net' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    // Allowed or not, the answer depends on Origin: caches must keep the two apart.
    expect(other.headers['vary']).toContain('Origin');
    expect(res.headers['vary']).toContain('Origin');
    expect((await preflight('https://evil.example.net')).statusCode).toBe(404);
  });

  it('the setting refuses what is not an origin', async () => {
    const admin = await t.as('admin');
    const key = '/api/v1/settings/security.cors_origins';
    const { version } = (await t.call(admin.session, 'GET', key)).json<{ version: number }>();
    for (const value of [['*'], ['https://front.example.com/path'], 'https://front.example.com']) {
      const res = await t.call(admin.session, 'PUT', key, { value, version });
      expect(res.statusCode, JSON.stringify(value)).toBe(400);
    }
  });
});

describe('the API docs page', () => {
  it('asks no upgrade to https when served over http', async () => {
    const res = await t.app.inject({ url: '/api/docs' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-security-policy']).toBeDefined();
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });
});
