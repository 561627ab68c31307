import { beforeAll, describe, expect, it } from 'vitest';
import { useTestApp, type ErrorJson } from '../../test/fixture.ts';
import { testEngine } from '../../test/helpers/db.ts';
import { Html } from '../../test/helpers/html.ts';
import type { Session } from '../../test/helpers/auth.ts';
import { previewToken, readPreviewToken } from './preview.tsx';

const t = useTestApp();
let authorId: string;
let viewer: Session;
const json = (value: unknown) => JSON.stringify(value);

beforeAll(async () => {
  authorId = (await t.factories.admin()).id;
  viewer = (await t.as('viewer')).session;
});

async function link(id: string, body: object = {}) {
  return t.call(viewer, 'POST', `/api/v1/pages/${id}/preview-link`, body);
}

describe(`page previews on ${testEngine()}`, () => {
  it('gives staff a signed link that shows a draft, noindex and never cached, until it expires', async () => {
    const parent = await t.factories.page(authorId, { slug: 'drafts', status: 'draft' });
    const draft = await t.factories.page(authorId, {
      slug: 'coming-soon',
      parent_id: parent.id,
      status: 'draft',
      title: json({ en: 'Coming soon', de: 'Demnächst' }),
    });
    // The draft is not on the site.
    expect((await t.app.inject({ method: 'GET', url: '/de/drafts/coming-soon' })).statusCode).toBe(404);
    const answer = await link(draft.id, { lang: 'de', minutes: 30 });
    expect(answer.statusCode).toBe(201);
    const { url, expires_at } = answer.json<{ url: string; expires_at: string }>();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/preview\/[\w.-]+\?lang=de$/);
    expect(Date.parse(expires_at) - Date.now()).toBeGreaterThan(29 * 60_000);
    const path = url.replace('http://127.0.0.1:3000', '');
    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect([page.headers['cache-control'], page.headers['x-robots-tag'], page.headers['etag']]).toEqual([
      'no-store',
      'noindex',
      undefined,
    ]);
    const html = new Html(page.body);
    expect(html.text('h1')).toEqual(['Demnächst']);
    expect(html.attr('meta', { name: 'robots' }, 'content')).toBe('noindex, nofollow');
    expect(html.all('link', { rel: 'canonical' })).toHaveLength(0);
    expect(html.text('p', { class: 'notice preview', role: 'status' })).toHaveLength(1);
    // A saved change shows at once (nothing cached).
    await t.database.db
      .updateTable('pages')
      .set({ title: json({ en: 'Soon', de: 'Bald' }) })
      .where('id', '=', draft.id)
      .execute();
    expect(new Html((await t.app.inject({ method: 'GET', url: path })).body).text('h1')).toEqual(['Bald']);
    // Past its time the link answers 410 with a page that says so; a forged or altered one 404.
    const secret = t.app.config.appSecret ?? '';
    const old = previewToken(secret, draft.id, new Date(Date.now() - 1000));
    const expired = await t.app.inject({ method: 'GET', url: `/preview/${old}?lang=en` });
    expect(expired.statusCode).toBe(410);
    expect(new Html(expired.body).text('h1')).toEqual(['This preview link has expired']);
    const token = path.split('/')[2]?.split('?')[0] ?? '';
    const [id, seconds, mac] = token.split('.');
    const later = `${id ?? ''}.${String(Number(seconds) + 3600)}.${mac ?? ''}`;
    expect((await t.app.inject({ method: 'GET', url: `/preview/${later}` })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'GET', url: '/preview/garbage' })).statusCode).toBe(404);
    expect(readPreviewToken(secret, token, new Date())).toEqual({ id: draft.id, expired: false });
    expect(readPreviewToken('another secret of enough length!!', token, new Date())).toBeUndefined();
  });

  it('renders unsaved changes over the saved page for the panel, in either language', async () => {
    const page = await t.factories.page(authorId, {
      status: 'published',
      published_at: new Date(Date.now() - 1000),
    });
    const answer = await t.call(viewer, 'POST', `/api/v1/pages/${page.id}/preview`, {
      lang: 'de',
      changes: {
        title: { en: 'New title', de: 'Neuer Titel' },
        blocks: [{ type: 'faq', items: [{ question: { en: 'Q?', de: 'F?' }, answer: { en: 'A.' } }] }],
      },
    });
    expect(answer.statusCode).toBe(200);
    expect(answer.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(answer.headers['cache-control']).toBe('no-store');
    const html = new Html(answer.body);
    expect(html.text('h1')).toEqual(['Neuer Titel']);
    expect(html.text('summary')).toEqual(['F?']);
    // Nothing was saved, and the public page is the saved one.
    const row = await t.database.db
      .selectFrom('pages')
      .select('title')
      .where('id', '=', page.id)
      .executeTakeFirstOrThrow();
    expect(row.title).toEqual({ en: 'About us', de: 'Über uns' });
    expect(
      new Html((await t.app.inject({ method: 'GET', url: `/de/${page.slug}` })).body).text('h1'),
    ).toEqual(['Über uns']);
  });

  it('refuses bad requests: no sign-in, unknown or deleted page, bad language, bad blocks, too long a lifetime', async () => {
    const page = await t.factories.page(authorId, { status: 'draft' });
    const gone = await t.factories.page(authorId, { status: 'draft', deleted_at: new Date() });
    expect((await t.call(undefined, 'POST', `/api/v1/pages/${page.id}/preview-link`, {})).statusCode).toBe(
      401,
    );
    expect(
      (await t.call(undefined, 'POST', `/api/v1/pages/${page.id}/preview`, { lang: 'en' })).statusCode,
    ).toBe(401);
    for (const id of [gone.id, '00000000-0000-4000-8000-000000000000']) {
      const missing = await link(id);
      expect([missing.statusCode, missing.json<ErrorJson>().error.code]).toEqual([404, 'pages.not_found']);
    }
    const cases: [string, object][] = [
      ['preview-link', { minutes: 0 }],
      ['preview-link', { minutes: 7 * 24 * 60 + 1 }],
      ['preview-link', { minutes: '5' }],
      ['preview-link', { lang: 'fr' }],
      ['preview', {}],
      ['preview', { lang: 'en', changes: { blocks: [{ type: 'nope' }] } }],
      ['preview', { lang: 'en', changes: { title: { en: 'x'.repeat(201) } } }],
      ['preview', { lang: 'en', changes: { slug: 'other' } }],
    ];
    for (const [route, body] of cases) {
      const answer = await t.call(viewer, 'POST', `/api/v1/pages/${page.id}/${route}`, body);
      expect([answer.statusCode, answer.json<ErrorJson>().error.code], JSON.stringify(body)).toEqual([
        400,
        'validation.failed',
      ]);
    }
  });
});
