import { describe, expect, it } from 'vitest';
import { useTestApp, type ErrorJson } from '../../../test/fixture.ts';
import { operationsOf, type Operation } from '../../../test/fuzz/operations.ts';

const t = useTestApp();

/** The operations of the API document that need no sign-in. */
async function publicOperations(): Promise<Operation[]> {
  const doc: unknown = (await t.app.inject({ url: '/api/openapi.json' })).json();
  return operationsOf(doc).filter((op) => op.isPublic);
}

const NUL = 'a\u0000b';

function fill(path: string, name?: string, value = 'x'): string {
  return path.replace(/\{([^}]+)\}/g, (_, param: string) => encodeURIComponent(param === name ? value : 'x'));
}

describe('text the database cannot store', () => {
  it('a NUL in any text of any public operation (path, query, body) answers 400 naming the field', async () => {
    const tried: string[] = [];
    for (const { method, path, parameters, jsonBody } of await publicOperations()) {
      const requests: { url: string; payload?: object; field: string }[] = [];
      for (const p of parameters) {
        if (p.in === 'path') requests.push({ url: fill(path, p.name, NUL), field: `params.${p.name}` });
        if (p.in === 'query') {
          requests.push({
            url: `${fill(path)}?${p.name}=${encodeURIComponent(NUL)}`,
            field: `querystring.${p.name}`,
          });
        }
      }
      const body = jsonBody?.['properties'];
      for (const name of Object.keys(typeof body === 'object' && body !== null ? body : {})) {
        requests.push({ url: fill(path), payload: { [name]: NUL }, field: `body.${name}` });
      }
      for (const { url, payload, field } of requests) {
        const res = await t.app.inject({ method: method as 'GET', url, ...(payload ? { payload } : {}) });
        tried.push(`${method} ${url} ${field}`);
        expect(res.statusCode, `${method} ${path} with NUL in ${field}`).toBe(400);
        const { error } = res.json<ErrorJson>();
        expect(error.code).toBe('validation.failed');
        expect(error.details).toEqual([{ field, code: 'text', message: expect.any(String) as unknown }]);
      }
    }
    // The public API has path, query and body text: the walk must have reached all three.
    expect(tried.some((line) => line.includes(' params.'))).toBe(true);
    expect(tried.some((line) => line.includes(' querystring.'))).toBe(true);
    expect(tried.some((line) => line.includes(' body.'))).toBe(true);
  });

  it('a NUL deep in a JSON body, or in a key, is found; half a surrogate pair too', async () => {
    const admin = await t.as('admin');
    const cases: [object, string][] = [
      [{ title: { en: 'ok', de: 'x\u0000' }, slug: 'nul-deep' }, 'body.title.de'],
      [{ title: { en: 'ok', de: 'ok' }, slug: 'nul-key', seo: { 'k\u0000': 'v' } }, 'body.seo'],
      // A bad key is named by where it is, not repeated (it may be huge).
      [{ [`${'k'.repeat(5000)}\u0000`]: 1 }, 'body'],
      [{ title: { en: 'half \ud800 a pair', de: 'ok' }, slug: 'surrogate' }, 'body.title.en'],
    ];
    for (const [payload, field] of cases) {
      const res = await t.call(admin.session, 'POST', '/api/v1/pages', payload);
      expect(res.statusCode).toBe(400);
      expect(res.json<ErrorJson>().error.details[0]?.field).toBe(field);
    }
    // A whole pair (an emoji) is fine text.
    const emoji = await t.call(admin.session, 'POST', '/api/v1/pages', {
      title: { en: 'Rocket 🚀', de: 'Rakete 🚀' },
      slug: 'rocket',
    });
    expect(emoji.statusCode).toBe(201);
  });
});

describe('search input that would overflow the query parser', () => {
  // Runs of negations, also with the operator characters the parser skips between them.
  const hostile = [
    '-'.repeat(60),
    '- '.repeat(60),
    `${'-'.repeat(60)}a`,
    '"-"-'.repeat(40),
    'a -- b',
    '-!'.repeat(60),
    '-('.repeat(60),
    '&-'.repeat(60),
    '-:*'.repeat(50),
  ];

  it.each(hostile)('public search for %j answers 200', async (q) => {
    const res = await t.app.inject({ url: `/api/v1/public/search?q=${encodeURIComponent(q)}` });
    expect(res.statusCode).toBe(200);
  });

  it.each(hostile)('the pages list filtered by %j answers 200', async (q) => {
    const admin = await t.as('admin');
    const res = await t.call(admin.session, 'GET', `/api/v1/pages?q=${encodeURIComponent(q)}`);
    expect(res.statusCode).toBe(200);
  });
});

describe('requests the router cannot read answer in our shape, without repeating them', () => {
  it.each([
    ['bad percent-encoding', '/api/v1/pages/%ED%A0%80', 400, 'request.malformed'],
    ['a parameter over the length limit', `/api/v1/pages/${'a'.repeat(5000)}`, 414, 'request.uri_too_long'],
    ['no such route', `/api/v1/nothing/${'secret'.repeat(20)}`, 404, 'not_found'],
  ])('%s', async (_what, url, status, code) => {
    const res = await t.app.inject({ url, headers: { 'accept-language': 'de' } });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    const { error } = res.json<ErrorJson>();
    expect(error.code).toBe(code);
    expect(res.body).not.toContain('aaaa');
    expect(res.body).not.toContain('secret');
    expect(res.body).not.toContain('%ED');
    expect(error.message).toMatch(/[äöüß]|Adresse|Anfrage/);
  });

  it('malformed JSON names the body and does not quote it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": "hidden-value@example.com", ',
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json<ErrorJson>();
    expect(error.code).toBe('request.malformed');
    expect(error.details).toEqual([
      { field: 'body', code: 'malformed', message: 'the body is not valid JSON' },
    ]);
    expect(res.body).not.toContain('hidden-value');
  });
});
